"""Indexes of the oversight pages (issue 9). Written as SQL (the model's Meta does not declare them)
so that they belong to the oversight feature alone."""

from django.db import migrations

INDEXES = [
    # oversight.selectors.stuck_page, default order: open top-level items oldest first, keyset on
    # (created_at, id) — the provincial page reads the first 51 rows of this index instead of
    # sorting every stuck item of the province.
    (
        "workitem_open_top_created",
        "ON workflows_workitem (created_at, id) WHERE state = 'open' AND parent_id IS NULL",
    ),
    # oversight.selectors.stuck_page sorted by due date / days late, and the stuck predicate
    # "due_at < now": open top-level items by due moment.
    (
        "workitem_open_top_due",
        "ON workflows_workitem (due_at, id) WHERE state = 'open' AND parent_id IS NULL",
    ),
    # oversight.selectors.efficiency_by_step / efficiency_by_union / overdue_trend: top-level items
    # finished in the last 12 months (finished_at >= now - 365 days).
    (
        "workitem_done_top_finished",
        "ON workflows_workitem (finished_at, union_id) WHERE state = 'done' AND parent_id IS NULL",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("workflows", "0005_alter_attachment_document_type_and_more")]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {name} {definition}",
            reverse_sql=f"DROP INDEX IF EXISTS {name}",
        )
        for name, definition in INDEXES
    ]
