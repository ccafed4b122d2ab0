"""S5.3: the provincial default retention period of each archive category (rows with no union)."""

from django.db import migrations

DEFAULTS = {
    "meetings": "permanent",
    "plans_reports": "permanent",
    "budget_accounts": "permanent",
    "finance_records": "30",
    "institutions": "30",
    "party": "30",
    "other": "10",
}


def add(apps, schema_editor):
    ArchiveRule = apps.get_model("archive", "ArchiveRule")
    for category, retention in DEFAULTS.items():
        ArchiveRule.objects.get_or_create(union=None, category=category, defaults={"retention": retention})


class Migration(migrations.Migration):
    dependencies = [("archive", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
