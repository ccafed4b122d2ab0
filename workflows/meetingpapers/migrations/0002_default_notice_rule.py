"""REG congress notice (issue 33): the provincial default, as data — the congress's notice goes out at least
5 working days before the meeting and its seat holders are reminded 1 working day before."""

from django.db import migrations


def add(apps, schema_editor):
    NoticeRule = apps.get_model("meetingpapers", "NoticeRule")
    NoticeRule.objects.get_or_create(
        union=None, body_kind="congress", defaults={"notice_working_days": 5, "remind_working_days": 1}
    )


def remove(apps, schema_editor):
    apps.get_model("meetingpapers", "NoticeRule").objects.filter(union=None, body_kind="congress").delete()


class Migration(migrations.Migration):
    dependencies = [("meetingpapers", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
