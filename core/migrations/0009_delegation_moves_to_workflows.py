"""Delegation belongs to workflows (it routes tasks); its table core_delegation stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0008_obligation_record_random_names")]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Delegation")]),
    ]
