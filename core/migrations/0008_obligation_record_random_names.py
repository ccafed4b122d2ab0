"""Stored attachment files get random names (the security review: paths were guessable and served
without a check); the original name moves to ``attachment_name``."""

import secrets
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db import migrations


def move(apps, schema_editor):
    ObligationRecord = apps.get_model("core", "ObligationRecord")
    for record in ObligationRecord.objects.exclude(attachment="").select_related("obligation").iterator():
        old = record.attachment.name
        name = record.attachment_name or PurePosixPath(old).name
        new = f"obligations/{record.obligation.union_id}/{record.created_at:%Y/%m}/{secrets.token_hex(16)}"
        if default_storage.exists(old):
            with default_storage.open(old, "rb") as handle:
                new = default_storage.save(new, handle)
            default_storage.delete(old)
        ObligationRecord.objects.filter(pk=record.pk).update(attachment=new, attachment_name=name[:200])


class Migration(migrations.Migration):
    dependencies = [("core", "0007_obligation_record_attachment_name")]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
