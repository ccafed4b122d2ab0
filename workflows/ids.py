"""Ids reserved with the process lock, so that a step's new rows are blind writes (issue 10, P6).

A step creates a few rows whose ids the rest of the step needs: viewflow's task of the next node
(its work item and its predecessor links point at it) and that task's work item (its reminder and
opinion request point at it). Inserted with ``RETURNING id``, each is a round trip of its own,
in the middle of the step. Instead, the statement that locks the process also takes a few values
from the two tables' sequences (``nextval``; a handful, enough for every step but a wide opinion
fan-out); a row created with one of them is inserted with the step's other deferred writes
(``core.writebehind``), and when the step needs more, the next row is inserted at once, as before.

The ids are taken under the process lock, when the step begins, so within one document they keep
the order in which its steps ran (pages list a document's work items by id). Unused ones are
dropped with the step: a sequence has gaps anyway. PostgreSQL only; SQLite inserts at once.
"""

from __future__ import annotations

from django.db import connection
from django.db.models.expressions import RawSQL

from workflows import memo

# table -> ids taken per locked process
RESERVED = {"viewflow_task": 4, "workflows_workitem": 2}


def lock_annotations() -> dict:
    """Annotations for the query that locks a process row: arrays of fresh ids per table."""
    if connection.vendor != "postgresql":
        return {}
    return {
        f"_wuyi_ids_{table}": RawSQL(
            # correlated with the locked row: evaluated once per process (an uncorrelated
            # subquery is evaluated once per statement, giving every row the same ids)
            f"ARRAY(SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)"
            f' WHERE "viewflow_process"."id" IS NOT NULL)',
            (count,),
        )
        for table, count in RESERVED.items()
    }


def lock_params() -> tuple:
    """The placeholder values of ``lock_annotations()``, in the SQL's order (``core.compiled``)."""
    if connection.vendor != "postgresql":
        return ()
    return tuple(RESERVED.values())


def keep(rows) -> None:
    """Keep the ids the lock query returned for the step (its memo)."""
    for table in RESERVED:
        pool = memo.peek(("ids", table))
        if pool is None:
            pool = []
            memo.put(("ids", table), pool)
        for row in rows:
            pool.extend(i for i in getattr(row, f"_wuyi_ids_{table}", None) or () if i not in pool)


def take(model) -> int | None:
    """A reserved id for a new row of the model, or None (insert it at once)."""
    pool = memo.peek(("ids", model._meta.db_table))
    return pool.pop(0) if pool else None
