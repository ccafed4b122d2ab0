"""Stored attachment files get random names (the security review: ``attachments/<union>/<yyyy>/<mm>/
<original name>`` was guessable and served without a check). The original name stays in ``name``;
links now go through the download view by the row's id, so every link keeps working."""

import re
import secrets

from django.core.files.storage import default_storage
from django.db import migrations

RANDOM = re.compile(r"/[0-9a-f]{32}$")


def move(apps, schema_editor):
    Attachment = apps.get_model("workflows", "Attachment")
    for attachment in Attachment.objects.exclude(file="").iterator():
        old = attachment.file.name
        if RANDOM.search(old):
            continue
        new = f"attachments/{attachment.union_id}/{attachment.uploaded_at:%Y/%m}/{secrets.token_hex(16)}"
        if default_storage.exists(old):
            with default_storage.open(old, "rb") as handle:
                new = default_storage.save(new, handle)
            default_storage.delete(old)
        Attachment.objects.filter(pk=attachment.pk).update(file=new)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0010_inbox_change_log")]

    operations = [migrations.RunPython(move, migrations.RunPython.noop)]
