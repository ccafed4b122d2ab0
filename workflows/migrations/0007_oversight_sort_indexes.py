"""Indexes for the sortable columns of the stuck-approvals page (issue 10, P5). Written as SQL like
0006_oversight_indexes: they belong to the oversight feature alone.

Each sort of oversight.selectors.stuck_page orders on (column, id), NULLs last only where the column
may be NULL (``_ordering``), and reads one page (51 rows) of a partial index of the open top-level
items forwards or backwards, instead of sorting the 184,000 stuck items of the province (1.6 s)."""

from django.db import migrations

OPEN_TOP = "WHERE state = 'open' AND parent_id IS NULL"

INDEXES = [
    # stuck_page ?sort=-due and ?sort=late: due date newest first, NULLs last (a backward scan of
    # workitem_open_top_due would put the NULLs first).
    ("workitem_open_top_due_desc", f"ON workflows_workitem (due_at DESC NULLS LAST, id DESC) {OPEN_TOP}"),
    # stuck_page ?sort=document / -document.
    ("workitem_open_top_title", f"ON workflows_workitem (document_title, id) {OPEN_TOP}"),
    # stuck_page ?sort=type / -type.
    ("workitem_open_top_type", f"ON workflows_workitem (document_type, id) {OPEN_TOP}"),
    # stuck_page ?sort=step / -step.
    ("workitem_open_top_step", f"ON workflows_workitem (step_title, id) {OPEN_TOP}"),
    # stuck_page ?sort=union / -union: the inner side of the nested loop over core_union's union_name
    # index (one union's open items in id order); also stuck_counts for one union.
    ("workitem_open_top_union", f"ON workflows_workitem (union_id, id) {OPEN_TOP}"),
]


def create(apps, schema_editor):
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def drop(apps, schema_editor):
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("workflows", "0006_oversight_indexes")]

    operations = [migrations.RunPython(create, drop)]
