"""Seed the default obligation rules and the working-day calendar 2024–2026 from `holidays`."""

import datetime

from django.db import migrations

from core.statutory_defaults import DEFAULT_RULES

SEEDED_YEARS = (2024, 2025, 2026)  # the years whose 调休 working weekends the package knows


def seed(apps, schema_editor):
    import holidays

    ObligationRule = apps.get_model("core", "ObligationRule")
    for code, spec in DEFAULT_RULES.items():
        ObligationRule.objects.update_or_create(
            union=None,
            code=code,
            defaults={
                "periods": spec["periods"],
                "generated": spec.get("generated", True),
                "min_members": spec.get("min_members"),
                "kinds": spec.get("kinds", "department,grassroots"),
            },
        )
    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    for year in SEEDED_YEARS:
        cn = holidays.China(years=year)
        rows = []
        day = datetime.date(year, 1, 1)
        while day.year == year:
            working = cn.is_working_day(day)
            if working != (day.weekday() < 5):
                rows.append(CalendarDay(date=day, is_working=working, name=cn.get(day, "") or ("调休上班" if working else "")))
            day += datetime.timedelta(days=1)
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(rows)
        CalendarYear.objects.update_or_create(year=year, defaults={"source": f"holidays {holidays.__version__}"})


class Migration(migrations.Migration):
    dependencies = [("core", "0004_statutory_calendar")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
