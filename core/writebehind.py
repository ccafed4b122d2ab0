"""Writes a locked workflow step makes but never reads back, sent in one round trip (issue 10, P6).

A human step writes a dozen rows nobody in the same step reads again: its events, the next work
item's reminder, the document's new status, the viewflow task's link to its predecessor, the
finished work item's outcome. Issued one by one through the ORM, each cost a round trip and the
ORM's per-statement work (about 0.5 ms here, more than PostgreSQL spends on it). Inside
``batch()`` — opened by ``process_lock`` and a meeting's transaction, inside the transaction that
holds the lock — such statements are compiled by Django's own SQL compilers at once (so values are
converted exactly as ``save()`` would) and kept; when the block ends without an error they go to
PostgreSQL together, as one ``execute`` of several statements (Django's psycopg 3 cursor binds
parameters client-side, which allows that). Outside a batch, and on SQLite (whose driver takes one
statement per call), every statement runs at once, in order.

The rule for callers: defer only a write whose row the rest of the step does not read from the
database (the step's objects in memory carry the new values; ``workflows.memo`` shares them). The
statements keep their order, and they run before the transaction commits, so a failure (a
constraint, a lost connection) rolls the whole step back as before. An exception inside the block
drops what was kept: the transaction is being rolled back anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, models
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery, UpdateQuery


class _Batch:
    __slots__ = ("statements", "tables", "depth")

    def __init__(self, depth: int):
        self.statements: list[tuple[str, tuple]] = []
        self.tables: set[str] = set()
        self.depth = depth  # savepoints open when the batch began


_current: ContextVar[_Batch | None] = ContextVar("wuyi_write_behind", default=None)


@contextmanager
def batch():
    """Keep the deferred writes of the block and send them when it ends without an error.

    While statements are kept, any other statement that reads one of their tables (a SELECT, an
    UPDATE or DELETE with its WHERE, an INSERT … SELECT) sends them first: a read in the step always
    sees the step's writes, whoever issues it (viewflow, a hook, a selector). A savepoint sends
    them too, before it begins: a rollback to it keeps them, and writes inside it run at once."""
    if _current.get() is not None or connection.vendor != "postgresql":
        yield  # nested: the outermost batch sends; SQLite: every write runs at once
        return
    token = _current.set(_Batch(len(connection.savepoint_ids)))
    try:
        with connection.execute_wrapper(_read_your_writes):
            yield
            flush()
    finally:
        _current.reset(token)


def active() -> bool:
    return _current.get() is not None


def _read_your_writes(execute, sql, params, many, context):
    current = _current.get()
    if current is not None and current.statements:
        if sql.startswith("SAVEPOINT"):
            flush()  # what was kept before a savepoint must survive the savepoint's rollback
        elif not _blind_insert(sql) and any(table in sql for table in current.tables):
            flush()
    return execute(sql, params, many, context)


def _blind_insert(sql: str) -> bool:
    """An INSERT … VALUES reads no rows of its table (constraints aside)."""
    return sql.startswith("INSERT INTO") and "SELECT" not in sql


def execute(sql: str, params: Iterable = (), *, tables: Iterable[str] = ()) -> None:
    """Run a statement whose result nobody reads: now, or with the batch. ``tables``: every table
    the statement writes (reads of them send the batch first)."""
    current = _current.get()
    if current is not None and len(connection.savepoint_ids) > current.depth:
        # Inside a savepoint that may be rolled back on its own (a viewflow function node): run
        # at once, inside it. (What was kept before it was sent when the savepoint began.)
        current = None
    if current is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, tuple(params))
        return
    current.statements.append((sql, tuple(params)))
    current.tables.update(tables)


def flush() -> None:
    """Send what the batch holds now, in one round trip."""
    current = _current.get()
    if current is None or not current.statements:
        return
    statements = current.statements
    current.statements = []
    current.tables = set()
    sql = ";\n".join(s for s, _ in statements)
    params = tuple(p for _, ps in statements for p in ps)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def insert(objs: list[models.Model], *, ignore_conflicts: bool = False) -> None:
    """INSERT rows whose ids nobody needs (events, reminders, links), compiled as ``bulk_create``
    would compile them; ``ignore_conflicts`` adds ON CONFLICT DO NOTHING."""
    if not objs:
        return
    model = type(objs[0])
    fields = [
        f for f in model._meta.concrete_fields if not (f.primary_key and getattr(objs[0], f.attname) is None)
    ]
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore_conflicts else None)
    query.insert_values(fields, objs, raw=False)
    for sql, params in query.get_compiler(connection=connection).as_sql():
        execute(sql, params, tables=[model._meta.db_table])


def update(model: type[models.Model], pk, **values) -> None:
    """UPDATE one row by primary key, compiled as ``QuerySet.update`` would compile it."""
    query = UpdateQuery(model)
    query.add_update_values(values)
    query.add_filter("pk", pk)
    sql, params = query.get_compiler(connection=connection).as_sql()
    if sql:
        execute(sql, params, tables=[model._meta.db_table])
