"""S5.3: the planner's statistics of the archive's search tokens cover the 1,000 most common words (the
default 100 left a word of middling frequency estimated as rare, and a search of the largest archives took
the slow plan; bench P10)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_default_rules")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE archive_archiverecord ALTER COLUMN search_vector SET STATISTICS 1000",
            "ALTER TABLE archive_archiverecord ALTER COLUMN search_vector SET STATISTICS -1",
        )
    ]
