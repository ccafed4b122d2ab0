"""Hot SELECTs compiled once per process (issue 10, P6), like SQLAlchemy's compiled cache.

A workflow step reads a handful of rows by key: the process it locks, the work item it completes,
the recorder's right to act. Django builds and compiles each such queryset anew on every call,
and for these one-row reads that costs more than PostgreSQL spends running them (a profile of the
Party decision step: about a quarter of the step's time in ``filter()``/``as_sql()``).

``fetch(key, build, params)`` compiles the queryset ``build()`` returns the first time a ``key``
is used on a database alias, and keeps its SQL and the compiler's description of the columns.
Later calls run the kept SQL with ``params`` — the values of the SQL's placeholders, in order,
which the caller states next to the queryset — and make model instances exactly as Django's
``ModelIterable`` does (``from_db``, ``select_related`` populators, annotations, the fields'
converters). The first compile checks that the stated parameters are the compiler's; with
``VERIFY`` on (the test suite) every call compiles again and checks SQL and parameters, so a
query whose shape depends on its values cannot slip through.

Reads still go through the connection's cursor: the execute wrappers (``core.writebehind``'s
read-your-writes, query logging) see them as any other query.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators
from django.db.transaction import TransactionManagementError

logger = logging.getLogger(__name__)

# Tests turn this on (tests/conftest.py): every call is compiled again and compared.
VERIFY = False


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    model: type | None  # None: rows of values (a values_list query)
    init_list: tuple[str, ...]
    model_slice: slice
    populators: tuple
    annotation_col_map: tuple[tuple[str, int], ...]
    converters: tuple  # ((position, (converter, ...), expression), ...)
    for_update: bool


_cache: dict[tuple, _Compiled] = {}


class ParameterMismatch(AssertionError):
    """The parameters a caller stated are not those of the compiled query."""


def _compile(build: Callable[[], QuerySet], using: str) -> _Compiled:
    queryset = build()
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    select = compiler.select
    fields = [s[0] for s in select[0 : compiler.col_count]]
    converters = tuple(
        (pos, tuple(convs), expression)
        for pos, (convs, expression) in compiler.get_converters(fields).items()
    )
    klass_info = compiler.klass_info
    iterable = queryset._iterable_class
    plain_values = iterable is ValuesListIterable and not (
        queryset.query.annotation_select or queryset.query.extra_select
    )  # (with those, Django reorders the columns of each row)
    if getattr(queryset, "_coerced", False) or not (issubclass(iterable, ModelIterable) or plain_values):
        # viewflow's coerced querysets and flat/named/values iterables make other objects
        raise ValueError(f"core.compiled takes model or plain values_list querysets, not {iterable.__name__}")
    if issubclass(iterable, ModelIterable):
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            model=klass_info["model"],
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            model_slice=slice(start, end),
            populators=tuple(get_related_populators(klass_info, select, using)),
            annotation_col_map=tuple((compiler.annotation_col_map or {}).items()),
            converters=converters,
            for_update=bool(queryset.query.select_for_update),
        )
    return _Compiled(
        sql=sql,
        params=tuple(params),
        model=None,
        init_list=(),
        model_slice=slice(0, 0),
        populators=(),
        annotation_col_map=(),
        converters=converters,
        for_update=bool(queryset.query.select_for_update),
    )


def _check(key, compiled: _Compiled, params: tuple) -> None:
    if compiled.params != params:
        raise ParameterMismatch(
            f"compiled query {key!r}: stated parameters {params!r}, compiled {compiled.params!r}"
        )


_mismatched: set[tuple] = set()


def fetch(
    key: tuple, build: Callable[[], QuerySet], params: Sequence, *, using: str = DEFAULT_DB_ALIAS
) -> list:
    """The rows of ``build()`` — model instances, or tuples for a ``values_list`` queryset —
    compiled once per ``key`` and database alias. ``params``: the SQL's placeholder values, in order."""
    connection = connections[using]
    # dates, times and decimals as the backend binds them (SQLite: text), as the compiler does
    params = tuple(map(connection.ops.adapt_unknown_value, params))
    compiled = _cache.get((key, using))
    if compiled is None or VERIFY:
        fresh = _compile(build, using)
        try:
            _check(key, fresh, params)
        except ParameterMismatch:
            if VERIFY:
                raise
            # a wrong statement of parameters is a bug: run the fresh compile (correct, if slower),
            # say so once, and keep nothing for the key
            if (key, using) not in _mismatched:
                _mismatched.add((key, using))
                logger.error("core.compiled: %r stated parameters unlike the compiler's; not cached", key)
            compiled, params = fresh, fresh.params
        else:
            if compiled is not None and compiled.sql != fresh.sql:
                raise ParameterMismatch(f"compiled query {key!r}: its SQL changed with its values")
            compiled = _cache.setdefault((key, using), fresh)
    if compiled.for_update and not connection.in_atomic_block:
        raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    if compiled.converters:
        rows = [list(row) for row in rows]
        for row in rows:
            for pos, convs, expression in compiled.converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[pos] = value
    if compiled.model is None:
        return [tuple(row) for row in rows]
    objs = []
    from_db = compiled.model.from_db
    for row in rows:
        obj = from_db(using, compiled.init_list, row[compiled.model_slice])
        for populator in compiled.populators:
            populator.populate(row, obj)
        for attr, pos in compiled.annotation_col_map:
            setattr(obj, attr, row[pos])
        objs.append(obj)
    return objs


def first(key: tuple, build: Callable[[], QuerySet], params: Sequence, *, using: str = DEFAULT_DB_ALIAS):
    """The first row of ``fetch`` or None (the queryset should be ordered and sliced [:1])."""
    rows = fetch(key, build, params, using=using)
    return rows[0] if rows else None
