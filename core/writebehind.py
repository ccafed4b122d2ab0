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

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
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
            raw = context["cursor"].cursor
            if many or not hasattr(raw, "mogrify") or getattr(raw, "name", None):
                flush()  # executemany, a server-side cursor: the writes go first, on their own
            else:
                return _send_before(execute, raw, sql, params, context)
    return execute(sql, params, many, context)


def _send_before(execute, raw, sql, params, context):
    """The kept writes and then the statement that reads them, in one round trip (one text of
    several statements, as ``flush`` sends). The cursor is left on the last statement's result,
    so its caller fetches, counts and describes exactly what it asked for."""
    statements = _take()
    text = ";\n".join(
        [*(raw.mogrify(s, p) for s, p in statements), sql if params is None else raw.mogrify(sql, params)]
    )
    _log_sent(context["connection"], statements)
    result = execute(text, None, False, context)
    while raw.nextset():
        pass
    return result


def _take() -> list[tuple[str, tuple]]:
    current = _current.get()
    statements = current.statements
    current.statements = []
    current.tables = set()
    return statements


def _log_sent(conn, statements) -> None:
    """With query logging on (DEBUG, tests counting queries), the writes sent ahead of a read
    are logged as the one entry a ``flush`` would have made."""
    if conn.queries_logged:
        conn.queries_log.append(
            {
                "sql": ";\n".join(sql for sql, _params in statements) + " -- sent with the next read",
                "time": "0.000",
            }
        )


def _blind_insert(sql: str) -> bool:
    """An INSERT … VALUES reads no rows of its table (constraints aside)."""
    return sql.startswith("INSERT INTO") and "SELECT" not in sql


def _conn():
    """The thread's default connection object itself: ``django.db.connection`` is a proxy that
    looks the connection up again on every attribute access (a compile makes hundreds)."""
    return connections[DEFAULT_DB_ALIAS]


def execute(sql: str, params: Iterable = (), *, tables: Iterable[str] = ()) -> None:
    """Run a statement whose result nobody reads: now, or with the batch. ``tables``: every table
    the statement writes (reads of them send the batch first)."""
    current = _current.get()
    conn = _conn()
    if current is not None and len(conn.savepoint_ids) > current.depth:
        # Inside a savepoint that may be rolled back on its own (a viewflow function node): run
        # at once, inside it. (What was kept before it was sent when the savepoint began.)
        current = None
    if current is None:
        with conn.cursor() as cursor:
            cursor.execute(sql, tuple(params))
        return
    current.statements.append((sql, tuple(params)))
    current.tables.update(tables)


def flush() -> None:
    """Send what the batch holds now, in one round trip.

    Each statement is bound on its own (psycopg caches the parsing of each statement's text) and
    the bound statements go as one text without parameters: passed as one parameterised text,
    every batch would be parsed anew, being a new text each time."""
    current = _current.get()
    if current is None or not current.statements:
        return
    statements = _take()
    with _conn().cursor() as cursor:
        if len(statements) == 1:
            cursor.execute(*statements[0])
            return
        mogrify = cursor.cursor.mogrify
        cursor.execute(";\n".join(mogrify(sql, params) for sql, params in statements))


# Compiled statements by shape: Django's compilers cost more than PostgreSQL spends running these
# one-row statements, and a step repeats the same few shapes. Only plain values are cached (no
# expressions, no fields with their own placeholders); the parameters are prepared per call with
# the same field methods the compilers call (pre_save, get_db_prep_save).
_insert_sql: dict[tuple, str] = {}
_update_sql: dict[tuple, str] = {}


def _plain(fields, values) -> bool:
    return not any(hasattr(v, "resolve_expression") or hasattr(v, "as_sql") for v in values) and not any(
        hasattr(f, "get_placeholder") for f in fields
    )


def insert(objs: list[models.Model], *, ignore_conflicts: bool = False) -> None:
    """INSERT rows whose ids nobody needs (events, reminders, links), compiled as ``bulk_create``
    would compile them; ``ignore_conflicts`` adds ON CONFLICT DO NOTHING. A row with its id set
    (reserved, ``workflows.ids``) counts as saved afterwards."""
    if not objs:
        return
    conn = _conn()
    model = type(objs[0])
    fields = [
        f for f in model._meta.concrete_fields if not (f.primary_key and getattr(objs[0], f.attname) is None)
    ]
    table = model._meta.db_table
    done = False
    if len(objs) == 1:
        obj = objs[0]
        values = [f.pre_save(obj, add=True) for f in fields]
        if _plain(fields, values):
            key = (model, tuple(f.attname for f in fields), ignore_conflicts, conn.alias)
            sql = _insert_sql.get(key)
            if sql is None:
                sql = _insert_sql[key] = _compile_insert(conn, model, fields, objs, ignore_conflicts)[0][0]
            execute(
                sql,
                [f.get_db_prep_save(v, connection=conn) for f, v in zip(fields, values, strict=True)],
                tables=[table],
            )
            done = True
    if not done:
        for sql, params in _compile_insert(conn, model, fields, objs, ignore_conflicts):
            execute(sql, params, tables=[table])
    for obj in objs:
        if obj.pk is not None:  # as after save(): a later save() updates the row
            obj._state.adding = False
            obj._state.db = conn.alias


def _compile_insert(conn, model, fields, objs, ignore_conflicts):
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore_conflicts else None)
    query.insert_values(fields, objs, raw=False)
    return query.get_compiler(connection=conn).as_sql()


def update(model: type[models.Model], pk, **values) -> None:
    """UPDATE one row by primary key, compiled as ``QuerySet.update`` would compile it."""
    conn = _conn()
    meta = model._meta
    fields = [meta.get_field(name) for name in values]
    if _plain(fields, values.values()) and not any(
        hasattr(v, "prepare_database_save") for v in values.values()
    ):
        # None is written as a NULL literal, not a parameter: it is part of the shape.
        key = (model, tuple(values), tuple(v is None for v in values.values()), conn.alias)
        sql = _update_sql.get(key)
        if sql is None:
            sql = _update_sql[key] = _compile_update(conn, model, pk, values)[0]
        params = [
            f.get_db_prep_save(v, connection=conn)
            for f, v in zip(fields, values.values(), strict=True)
            if v is not None
        ]
        params.append(meta.pk.get_db_prep_value(pk, connection=conn))
        execute(sql, params, tables=[meta.db_table])
        return
    sql, params = _compile_update(conn, model, pk, values)
    if sql:
        execute(sql, params, tables=[meta.db_table])


def _compile_update(conn, model, pk, values):
    query = UpdateQuery(model)
    query.add_update_values(values)
    query.add_filter("pk", pk)
    return query.get_compiler(connection=conn).as_sql()
