"""Indexes on core_union that only the oversight pages need. Written as SQL, like
workflows 0006_oversight_indexes, so that they belong to the oversight feature."""

from django.db import migrations

INDEXES = [
    # oversight.selectors.stuck.stuck_page sorted by union (?sort=union): a nested loop walks the unions in
    # name order and probes workitem_open_top_union for each, stopping after one page; and
    # scorecard_page's keyset on (name, id) over 20,000 unions.
    ("union_name", "ON core_union (name, id)"),
    # oversight.selectors.scope._SCOPE_SQL: the departments (the filter's choices) without reading every union.
    ("union_department", "ON core_union (id) WHERE kind = 'department'"),
]


class Migration(migrations.Migration):
    dependencies = [("oversight", "0001_initial"), ("core", "0006_alter_obligation_status")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES
    ]
