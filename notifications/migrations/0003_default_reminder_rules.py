from django.db import migrations

DEFAULT_OFFSETS = [30, 14, 7, 3, 1, 0]


def seed(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for kind in ("obligation", "work_item"):
        ReminderRule.objects.update_or_create(union=None, subject_kind=kind, defaults={"offsets": DEFAULT_OFFSETS})


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_reminders_and_channels")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
