"""Reads for the oversight pages (issue 9). Each selector costs one SQL query, whatever the number of
unions, processes and tasks: counts, buckets, medians and trends are computed by PostgreSQL
(GROUP BY, window functions, percentile_cont, generate_series), never by looping in Python.

Scope: a supervisor sees every union below the union of their supervisor seat; a union chair sees
their own union. ``oversight_scope`` reads the user's seats (one query); the other selectors take the
scope as a SQL predicate on ``union_id`` (``scope.union_sql()``), so the unions below the provincial
organs union (20,000 at bench scale) are never sent back and forth as a list; the unions below a
department (a few hundred) are read once per request (``OversightScope.below``) and inlined, so that
PostgreSQL estimates them. For the whole province, the figures of the pages are kept in
``oversight.rollups`` instead of being counted per request.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import Union, UnionKind
from core.selectors import MAX_DEPTH
from core.statutory import ObligationCode, ObligationStatus
from workflows.models import DocumentType, WorkItem, WorkItemState

DEFAULT_OLDER_THAN_DAYS = 7
PAGE_SIZE = 50
SCORECARD_PAGE_SIZE = 50
TOP_UNIONS = 30  # the "by union" lists show the unions with the most stuck (or slowest) work
EFFICIENCY_DAYS = 365
TREND_MONTHS = 12

# (label, newest age in days, oldest age in days or None): "days since created", whole days.
AGE_BUCKETS = [("0–3", 0, 3), ("4–7", 4, 7), ("8–14", 8, 14), ("15–30", 15, 30), (">30", 31, None)]


def _ints(values) -> str:
    """A literal SQL list of integers (ids read from the database, int() again to be sure)."""
    return ", ".join(str(int(v)) for v in values) or "NULL"


# --- Scope ----------------------------------------------------------------------------------------

# The user's oversight seats in force (supervisor; chair of the union committee), and one row per union
# that is a seat union, a department below a supervisor seat (the department filter) or one of the
# unions asked for by a filter (checked here, not trusted). "Below" is found by walking UP from these
# few candidates (seat unions, departments, asked unions: tens of rows) to a supervisor seat, never by
# walking down the 20,000 unions below a provincial seat (43 ms per request at bench scale; this walk
# costs well under 1 ms with core_union's primary key).
# ``tops`` counts the roots of the tree: a supervisor of the only root oversees every other union,
# which the other queries then say as ``union_id <> root`` instead of walking 20,000 unions again.
_SCOPE_SQL = f"""
WITH RECURSIVE mine(union_id, role) AS (
    SELECT s.union_id, s.role FROM core_seat s LEFT JOIN core_body b ON b.id = s.body_id
    WHERE s.person_id = %s AND s.start_date <= %s AND (s.end_date IS NULL OR s.end_date >= %s)
      AND (s.role = 'supervisor' OR (s.role = 'chair' AND (s.body_id IS NULL OR b.kind = 'union_committee')))
),
candidate(id) AS (
    SELECT union_id FROM mine
    UNION SELECT id FROM core_union
        WHERE kind = 'department' AND EXISTS (SELECT 1 FROM mine WHERE role = 'supervisor')
    UNION SELECT id FROM core_union WHERE id IN ({{asked}})
),
up(id, ancestor, depth) AS (
    SELECT u.id, u.parent_id, 1 FROM core_union u JOIN candidate c ON c.id = u.id
    UNION ALL
    -- a scalar subquery: one primary-key probe per step up (a join here is planned as a hash of
    -- every union)
    SELECT up.id, (SELECT p.parent_id FROM core_union p WHERE p.id = up.ancestor), up.depth + 1 FROM up
    WHERE up.ancestor IS NOT NULL AND up.depth < {MAX_DEPTH}
),
sub(id) AS (
    SELECT DISTINCT id FROM up WHERE ancestor IN (SELECT union_id FROM mine WHERE role = 'supervisor')
)
SELECT u.id, u.name, u.kind, u.parent_id,
    u.id IN (SELECT id FROM sub) AS supervised,
    u.id IN (SELECT union_id FROM mine WHERE role = 'chair') AS chaired,
    u.id IN (SELECT union_id FROM mine WHERE role = 'supervisor') AS supervisor_seat,
    (SELECT COUNT(*) FROM core_union t WHERE t.parent_id IS NULL) AS tops
FROM core_union u
WHERE u.id IN (SELECT id FROM candidate) AND (
    u.id IN (SELECT union_id FROM mine)
    OR (u.id IN (SELECT id FROM sub) AND (u.kind = 'department' OR u.id IN ({{asked}}))))
ORDER BY u.name, u.id"""

_SUBTREE_SQL = f"""
WITH RECURSIVE sub(id, depth) AS (
    SELECT id, 1 FROM core_union WHERE parent_id IN ({{roots}})
    UNION ALL
    SELECT u.id, sub.depth + 1 FROM core_union u JOIN sub ON u.parent_id = sub.id
    WHERE sub.depth < {MAX_DEPTH}
)
SELECT id FROM sub"""


@dataclass(frozen=True)
class OversightScope:
    """The unions whose work a user oversees: below their supervisor seats, and the unions they chair."""

    unions: list[Union] = field(default_factory=list)
    tops: int = 0
    # The unions below some roots, read once per request (``below``).
    _below: dict = field(default_factory=dict, compare=False, repr=False)

    def below(self, roots: tuple[int, ...]) -> list[int]:
        """Every union below ``roots`` (one query, then remembered for this scope's request).

        The ids are put in the SQL as a list, not as the recursive query: PostgreSQL estimates a
        recursive subtree at 50,000 unions where a department has 330, and then reads all 5 million
        work items in parallel (and compiles the plan with JIT): 1.2 s instead of a few ms."""
        if roots not in self._below:
            with connection.cursor() as cursor:
                cursor.execute(_SUBTREE_SQL.format(roots=_ints(roots)))
                self._below[roots] = sorted(row[0] for row in cursor.fetchall())
        return self._below[roots]

    def below_sql(self, roots: tuple[int, ...], *, including: bool = False) -> str:
        """``below`` as a literal SQL list (ids read from the database), with the roots if asked."""
        return _ints([*(roots if including else ()), *self.below(roots)])

    @property
    def is_empty(self) -> bool:
        return not self.unions

    @property
    def supervisor_roots(self) -> list[Union]:
        return [u for u in self.unions if u.supervisor_seat]

    @property
    def chaired_ids(self) -> list[int]:
        return [u.pk for u in self.unions if u.chaired and not u.supervised]

    @property
    def departments(self) -> list[Union]:
        return [u for u in self.unions if u.supervised and u.kind == UnionKind.DEPARTMENT]

    def covers(self, union_id: int | None) -> bool:
        """Whether a union asked for by a filter (passed to oversight_scope) is in scope."""
        return any(u.pk == union_id and (u.supervised or u.chaired) for u in self.unions)

    def supervises(self, union_id: int) -> bool:
        """For a union named by a filter or form (passed to oversight_scope as ``asked``)."""
        return any(u.pk == union_id and u.supervised for u in self.unions)

    def supervises_listed(self, union_id: int) -> bool:
        """For a union of a row already read through the scope: supervised unless only chaired."""
        return union_id not in self.chaired_ids

    def union_named(self, union_id: int | None) -> Union | None:
        return next((u for u in self.unions if u.pk == union_id), None)

    def union_sql(self, column: str = "union_id") -> str:
        """A SQL predicate: ``column`` is a union this user oversees."""
        roots = self.supervisor_roots
        parts = []
        whole_tree = self.tops == 1 and any(r.parent_id is None for r in roots)
        if whole_tree:
            top = next(r for r in roots if r.parent_id is None)
            parts.append(f"{column} <> {int(top.pk)}")
        elif roots:
            parts.append(f"{column} IN ({self.below_sql(tuple(r.pk for r in roots))})")
        if self.chaired_ids:
            parts.append(f"{column} IN ({_ints(self.chaired_ids)})")
        return "(" + (" OR ".join(parts) or "1 = 0") + ")"

    def union_q(self, column: str = "union_id") -> Q:
        """The same predicate for the ORM."""
        roots = self.supervisor_roots
        q = Q(**{f"{column}__in": self.chaired_ids}) if self.chaired_ids else Q(pk__in=[])
        top = next((r for r in roots if r.parent_id is None), None) if self.tops == 1 else None
        if top is not None:
            return q | ~Q(**{column: top.pk})
        if roots:
            q |= Q(**{f"{column}__in": self.below(tuple(r.pk for r in roots))})
        return q


def oversight_scope(*, user, asked: list[int] | None = None) -> OversightScope:
    """One query: the user's supervisor and chair seat unions, the departments below, and whichever
    of the ``asked`` unions (filter values) lie below. A supervisor's own union is returned too (flag
    ``supervisor_seat``) so a supervisor with nothing below still counts as one; its own work is not
    in scope."""
    if not user.is_authenticated or not user.is_active:
        return OversightScope()
    today = timezone.localdate()
    sql = _SCOPE_SQL.format(asked=_ints(a for a in asked or [] if a is not None))
    unions = list(Union.objects.raw(sql, [user.pk, today, today]))
    for union in unions:
        union.supervised, union.chaired = bool(union.supervised), bool(union.chaired)
        union.supervisor_seat = bool(union.supervisor_seat)
    return OversightScope(unions=unions, tops=unions[0].tops if unions else 0)


def _subtree_q(scope: OversightScope, department_id: int | None, column: str = "union_id") -> Q:
    """The department union and everything below it (a filter inside the scope)."""
    if department_id is None:
        return Q()
    return Q(**{f"{column}__in": [department_id, *scope.below((department_id,))]})


def nav_counts(*, user) -> dict[str, int]:
    """The navigation badge (to-do count) and bell (unread count) in one query instead of two: the
    oversight pages pass them to the template, which takes them before the lazy context processors."""
    from workflows.selectors import todo_queryset

    todo_sql, params = todo_queryset(user=user).order_by().values("id").query.sql_with_params()
    sql = (
        f"SELECT (SELECT COUNT(*) FROM ({todo_sql}) t), (SELECT COUNT(*) FROM notifications_notification n"
        " WHERE n.recipient_id = %s AND n.read_at IS NULL)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, user.pk])
        todo, unread = cursor.fetchone()
    return {"inbox_count": todo, "unread_notifications": unread}


# --- Stuck approvals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StuckFilters:
    older_than: int = DEFAULT_OLDER_THAN_DAYS
    union_id: int | None = None
    department_id: int | None = None
    step: str = ""
    document_type: str = ""


# Sortable columns (whitelist): the column's name in the URL → the expression ordered on. "late"
# orders on the due date the other way round (the most days late first).
SORTS = {
    "union": ("union__name", False),
    "document": ("document_title", False),
    "type": ("document_type", False),
    "step": ("step_title", False),
    "who": ("who", False),
    "since": ("created_at", False),
    "due": ("due_at", False),
    "late": ("due_at", True),
}
# Who must act is a person's name or a body's kind, read through two joins: no index orders it, and
# over the 184,000 stuck items of a province the sort alone takes 1.5 s. A provincial supervisor
# chooses a department or a union first (oversight.views, errors.SORT_NEEDS_NARROWER_SCOPE).
WHOLE_TREE_UNSORTABLE = {"who"}
DATETIME_SORTS = {"created_at", "due_at"}
# Only these may be NULL: the other columns are ordered without NULLS LAST, which PostgreSQL would
# otherwise not serve from a plain index scanned backwards.
NULLABLE_SORTS = {"due_at", "who"}
DEFAULT_SORT = "since"


@dataclass(frozen=True)
class Sort:
    column: str = DEFAULT_SORT
    descending: bool = False

    @property
    def field(self) -> str:
        return SORTS[self.column][0]

    @property
    def sql_descending(self) -> bool:
        return self.descending != SORTS[self.column][1]

    @property
    def param(self) -> str:
        return ("-" if self.descending else "") + self.column


def stuck_items(
    *, scope: OversightScope, filters: StuckFilters, now: datetime.datetime
) -> QuerySet[WorkItem]:
    """Open top-level items in the scope that are overdue or older than the threshold."""
    threshold = now - datetime.timedelta(days=filters.older_than)
    qs = WorkItem.objects.filter(scope.union_q(), state=WorkItemState.OPEN, parent__isnull=True).filter(
        Q(due_at__lt=now) | Q(created_at__lt=threshold)
    )
    if filters.union_id is not None:
        qs = qs.filter(union_id=filters.union_id)
    if filters.department_id is not None:
        qs = qs.filter(_subtree_q(scope, filters.department_id))
    if filters.step:
        qs = qs.filter(step=filters.step)
    if filters.document_type:
        qs = qs.filter(document_type=filters.document_type)
    return qs


def _sortable(items: QuerySet[WorkItem]) -> QuerySet[WorkItem]:
    # who must act: the person's name, else the body's kind (a body's queue)
    return items.annotate(who=Coalesce(F("assignee__full_name"), F("body__kind")))


def stuck_page(
    *,
    items: QuerySet[WorkItem],
    sort: Sort | None = None,
    after: tuple | None = None,
    size: int | None = None,
) -> tuple[list[WorkItem], tuple | None]:
    """One page in the chosen order; keyset on (sort value, id), NULLs last in both directions.

    The default order (oldest first) walks the partial index ``workitem_open_top_created``; the
    other orders sort the stuck rows of the scope (a top-N heap sort in PostgreSQL)."""
    size = size or PAGE_SIZE
    sort = sort or Sort()
    key, desc = sort.field, sort.sql_descending
    qs = _sortable(items).select_related("union", "body", "assignee")
    if after is not None:
        value, pk = after
        if value is None:
            qs = qs.filter(**{f"{key}__isnull": True, "id__lt" if desc else "id__gt": pk})
        else:
            beyond = f"{key}__lt" if desc else f"{key}__gt"
            later = Q(**{beyond: value}) | Q(**{key: value}, **{"id__lt" if desc else "id__gt": pk})
            qs = qs.filter(later | Q(**{f"{key}__isnull": True}) if key in NULLABLE_SORTS else later)
    rows = list(qs.order_by(*_ordering(sort))[: size + 1])
    if len(rows) > size:
        last = rows[size - 1]
        value = last.who if key == "who" else _attr(last, key)
        return rows[:size], (value, last.pk)
    return rows, None


def _ordering(sort: Sort) -> list:
    """ORDER BY of a sort: (column, id) in one direction, NULLs last for the nullable columns, so that
    each order is one partial index scan (workflows 0007_oversight_sort_indexes)."""
    key, desc = sort.field, sort.sql_descending
    if key in NULLABLE_SORTS:
        return [F(key).desc(nulls_last=True), "-id"] if desc else [F(key).asc(nulls_last=True), "id"]
    return [F(key).desc(), "-id"] if desc else [F(key).asc(), "id"]


def _attr(item: WorkItem, key: str):
    obj = item
    for part in key.split("__"):
        obj = getattr(obj, part)
    return obj


@dataclass
class StuckCounts:
    by_step: list[dict]
    by_union: list[dict]
    by_type: list[dict]
    buckets: list[tuple[str, int]]
    total: int
    unions_total: int = 0


def _bucket_case(now: datetime.datetime) -> Case:
    whens = []
    for i, (_label, _young, old) in enumerate(AGE_BUCKETS):
        if old is None:
            continue
        # age in whole days <= old  <=>  created_at > now - (old + 1) days
        whens.append(When(created_at__gt=now - datetime.timedelta(days=old + 1), then=Value(i)))
    return Case(*whens, default=Value(len(AGE_BUCKETS) - 1), output_field=IntegerField())


def stuck_counts(*, items: QuerySet[WorkItem], now: datetime.datetime) -> StuckCounts:
    """One query: the stuck rows (with their ageing bucket) once, grouped four ways — by step, by
    union (the TOP_UNIONS with the most, ranked by a window function), by document type, and all —
    each with a conditional count per ageing bucket."""
    base = (
        items.order_by()
        .annotate(bucket=_bucket_case(now))
        .values("union_id", "step", "step_title", "document_type", "bucket")
    )
    base_sql, params = base.query.sql_with_params()
    n_buckets = range(len(AGE_BUCKETS))
    buckets = ", ".join(f"SUM(CASE WHEN s.bucket = {i} THEN 1 ELSE 0 END)" for i in n_buckets)
    named_buckets = ", ".join(f"SUM(CASE WHEN s.bucket = {i} THEN 1 ELSE 0 END) AS b{i}" for i in n_buckets)
    r_buckets = ", ".join(f"r.b{i}" for i in n_buckets)
    sql = f"""
    WITH s AS ({base_sql})
    SELECT 'step', s.step, MIN(s.step_title), COUNT(*), 0, {buckets} FROM s GROUP BY s.step
    UNION ALL
    SELECT 'union', CAST(r.union_id AS TEXT), r.name, r.n, r.unions, {r_buckets}
    FROM (
        SELECT s.union_id, u.name, COUNT(*) AS n,
            {named_buckets},
            ROW_NUMBER() OVER (ORDER BY COUNT(*) DESC, u.name, s.union_id) AS rank,
            COUNT(*) OVER () AS unions
        FROM s JOIN core_union u ON u.id = s.union_id GROUP BY s.union_id, u.name
    ) r WHERE r.rank <= {TOP_UNIONS}
    UNION ALL
    SELECT 'type', s.document_type, '', COUNT(*), 0, {buckets} FROM s GROUP BY s.document_type
    UNION ALL
    SELECT 'all', '', '', COUNT(*), 0, {buckets} FROM s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_step, by_union, by_type = [], [], []
    bucket_counts = [0] * len(AGE_BUCKETS)
    total = unions_total = 0
    type_labels = dict(DocumentType.choices)
    for set_name, key, title, count, unions, *b in rows:
        b = [int(x or 0) for x in b]
        if set_name == "step":
            by_step.append({"step": key, "step_title": title, "count": count, "buckets": b})
        elif set_name == "union":
            by_union.append({"union_id": int(key), "union__name": title, "count": count, "buckets": b})
            unions_total = unions
        elif set_name == "type":
            by_type.append(
                {"document_type": key, "label": type_labels.get(key, key), "count": count, "buckets": b}
            )
        else:
            total, bucket_counts = count, b
    return StuckCounts(
        by_step=sorted(by_step, key=lambda r: (-r["count"], r["step"])),
        by_union=sorted(by_union, key=lambda r: (-r["count"], r["union__name"])),
        by_type=sorted(by_type, key=lambda r: (-r["count"], r["document_type"])),
        buckets=[(label, bucket_counts[i]) for i, (label, _y, _o) in enumerate(AGE_BUCKETS)],
        total=total,
        unions_total=unions_total,
    )


def stuck_export_rows(*, items: QuerySet[WorkItem], sort: Sort | None = None, limit: int = 100_000):
    """Every stuck row in the page's order, as tuples (a streamed export; one query)."""
    sort = sort or Sort()
    return (
        _sortable(items)
        .order_by(*_ordering(sort))
        .values_list(
            "id",
            "union__name",
            "document_type",
            "document_title",
            "step_title",
            "assignee__full_name",
            "body__kind",
            "created_at",
            "due_at",
        )[:limit]
        .iterator(chunk_size=2000)
    )


# --- Compliance scorecard -------------------------------------------------------------------------

# An obligation's status on a day (core.statutory.Obligation.status_on, in SQL), with "in progress"
# when nothing is late yet and the matching document has open work.
CELL_STATUSES = ["met", "in_progress", "pending", "returned", "late", "missed"]
SCORE_STATUS_LABELS = {
    "met": ObligationStatus.MET.label,
    "in_progress": "in progress",
    "pending": ObligationStatus.PENDING.label,
    "returned": ObligationStatus.RETURNED.label,
    "late": ObligationStatus.LATE.label,
    "missed": ObligationStatus.MISSED.label,
}


def _progress_sql(year: int, unions: str = "") -> str:
    """(union_id, code, step): per union and obligation of ``year`` whose document is under way, the
    first open step of that document — budget → S3.3, annual plan → S2.2, year-end summary → S1.2,
    work report → S2.3, finance report and final accounts → S3.5.

    Set-based (a join through ``workitem_document``, the first step by ROW_NUMBER) instead of a
    subquery per obligation: grading the 273,000 obligations of a province's year looked up the
    open step once per obligation (10 s). ``unions`` narrows the documents (e.g. to a page's unions)."""
    from django.apps import apps

    from workflows.budget.models import Budget
    from workflows.plan.models import AnnualPlan
    from workflows.reports.models import CongressReport, YearEndSummary

    branches = [
        ("S3.3", "budget", Budget._meta.db_table, ""),
        ("S2.2", "annual_plan", AnnualPlan._meta.db_table, ""),
        ("S1.2", "year_end_summary", YearEndSummary._meta.db_table, ""),
        ("S2.3", "work_report", CongressReport._meta.db_table, " AND d.kind = 'work_report'"),
        ("S3.5", "finance_report", CongressReport._meta.db_table, " AND d.kind = 'finance_report'"),
    ]
    try:  # the final accounts (S3.5) come with their own app
        branches.append(
            ("S3.5", "final_accounts", apps.get_model("final_accounts", "FinalAccounts")._meta.db_table, "")
        )
    except LookupError:
        pass
    docs = "\n        UNION ALL ".join(
        f"SELECT d.union_id, '{code}' AS code, '{kind}' AS document_type, d.id AS document_id FROM {table} d"
        f" WHERE d.year = {int(year)} AND d.status <> 'withdrawn'{extra}{unions}"
        for code, kind, table, extra in branches
    )
    join = f"""FROM ({docs}) docs
        JOIN workflows_workitem w ON w.document_type = docs.document_type AND w.document_id = docs.document_id
        WHERE w.state = 'open' AND w.parent_id IS NULL"""
    # GROUP BY, not "ROW_NUMBER() ... = 1": PostgreSQL estimates the latter at one row and then
    # plans the status filter's semi-join as a nested loop over it (10 s over a province)
    return f"""SELECT docs.union_id, docs.code,
        (array_agg(w.step_title ORDER BY w.created_at, w.id))[1] AS step
    {join} GROUP BY docs.union_id, docs.code"""


def _status_sql(today: datetime.date, under_way: str = "p.step IS NOT NULL") -> tuple[str, list]:
    """The CASE that names an obligation's status (core.statutory.Obligation.status_on, S-rule dates
    as data): met, returned, missed (beyond missed_after_days), late, in progress, pending.
    ``under_way``: the obligation ``o`` has a document with open work (``p`` is ``_progress_sql``)."""
    sql = f"""CASE WHEN o.met_on IS NOT NULL THEN 'met'
        WHEN o.status = 'returned' THEN 'returned'
        WHEN %s::date > o.due_date + o.missed_after_days THEN 'missed'
        WHEN %s::date > o.due_date THEN 'late'
        WHEN {under_way} THEN 'in_progress'
        ELSE 'pending' END"""
    return sql, [today, today]


@dataclass(frozen=True)
class ScoreFilters:
    year: int
    department_id: int | None = None
    kind: str = ""
    status: str = ""
    code: str = ""


@dataclass
class ScoreCell:
    code: str
    period: str
    status: str
    due_date: datetime.date | None
    met_on: datetime.date | None
    step: str


@dataclass
class ScoreRow:
    union_id: int
    name: str
    kind: str
    cells: dict[tuple[str, str], ScoreCell]


def _score_union_where(scope: OversightScope, filters: ScoreFilters, today) -> tuple[str, list]:
    """Unions of the scorecard: in scope, of an obligation-bearing kind, filtered."""
    where = [scope.union_sql("u.id"), "u.kind IN ('department', 'grassroots')"]
    params: list = []
    if filters.kind:
        where.append("u.kind = %s")
        params.append(filters.kind)
    if filters.department_id is not None:
        where.append(f"u.id IN ({scope.below_sql((filters.department_id,), including=True)})")
    if filters.status:
        # the query defines ``progress`` (_progress_sql) as a common table expression
        status_sql, status_params = _status_sql(today)
        code = " AND o.code = %s" if filters.code else ""
        # set-based (every obligation of the year graded once, a hash semi-join), not an EXISTS per
        # union that scans ``progress`` again for each (5 s for "in progress" over a province)
        # (OFFSET 0 keeps it a subplan hashed once: pulled up as a semi-join, PostgreSQL walks the
        # unions by name and grades each union's obligations again, 20 s when none matches)
        where.append(
            "u.id IN (SELECT o.union_id FROM core_obligation o LEFT JOIN progress p"
            " ON p.union_id = o.union_id AND p.code = o.code"
            f" WHERE o.fiscal_year = %s{code} AND {status_sql} = %s OFFSET 0)"
        )
        params += [filters.year, *([filters.code] if filters.code else []), *status_params, filters.status]
    return " AND ".join(where), params


def _score_documents(scope: OversightScope, filters: ScoreFilters) -> str:
    """The documents worth grading: of the scope's unions, of the department asked for."""
    where = f" AND {scope.union_sql('d.union_id')}"
    if filters.department_id is not None:
        where += f" AND d.union_id IN ({scope.below_sql((filters.department_id,), including=True)})"
    return where


def scorecard_page(
    *,
    scope: OversightScope,
    filters: ScoreFilters,
    today: datetime.date,
    after: tuple[str, int] | None = None,
    size: int | None = None,
) -> tuple[list[ScoreRow], tuple[str, int] | None]:
    """One query: a page of unions (keyset on name, id) joined to their obligations of the year, each
    with its status and, when the matching document is under way, the step it waits at."""
    size = size or SCORECARD_PAGE_SIZE
    where, params = _score_union_where(scope, filters, today)
    if after is not None:
        where += " AND (u.name > %s OR (u.name = %s AND u.id > %s))"
        params += [after[0], after[0], after[1]]
    status_sql, status_params = _status_sql(today)
    # The documents of the page's unions only, unless the status filter grades every union.
    unions = (
        _score_documents(scope, filters) if filters.status else " AND d.union_id IN (SELECT id FROM page)"
    )
    progress = _progress_sql(filters.year, unions)
    limit = int(size) + 1
    page_sql = (
        f"SELECT u.id, u.name, u.kind FROM core_union u WHERE {where} ORDER BY u.name, u.id LIMIT {limit}"
    )
    ctes = (
        f"progress AS ({progress}), page AS ({page_sql})"
        if filters.status
        else (f"page AS ({page_sql}), progress AS ({progress})")
    )
    sql = f"""
    WITH {ctes}
    SELECT page.id, page.name, page.kind, o.code, o.period, o.due_date, o.met_on,
        {status_sql} AS status, p.step
    FROM page LEFT JOIN core_obligation o ON o.union_id = page.id AND o.fiscal_year = %s
    LEFT JOIN progress p ON p.union_id = o.union_id AND p.code = o.code
    ORDER BY page.name, page.id, o.code, o.period"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *status_params, filters.year])
        rows = cursor.fetchall()
    out: dict[int, ScoreRow] = {}
    for union_id, name, kind, code, period, due, met_on, status, step in rows:
        row = out.setdefault(union_id, ScoreRow(union_id, name, kind, {}))
        if code is not None:
            row.cells[(code, period)] = ScoreCell(code, period, status, _date(due), _date(met_on), step or "")
    ordered = list(out.values())
    if len(ordered) > size:
        last = ordered[size - 1]
        return ordered[:size], (last.name, last.union_id)
    return ordered, None


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


@dataclass
class ScoreTotals:
    columns: list[tuple[str, str]]  # (code, period)
    counts: dict[tuple[str, str], dict[str, int]]
    unions: int


def scorecard_totals(*, scope: OversightScope, filters: ScoreFilters, today: datetime.date) -> ScoreTotals:
    """One GROUP BY (obligation, period, status) over every union of the filtered scorecard; also
    names the columns of the grid and counts its unions (a window over the same rows)."""
    where, params = _score_union_where(scope, filters, today)
    status_sql, status_params = _status_sql(today)
    sql = f"""
    WITH progress AS ({_progress_sql(filters.year, _score_documents(scope, filters))})
    SELECT o.code, o.period, {status_sql} AS status, COUNT(*)
    FROM core_obligation o JOIN core_union u ON u.id = o.union_id
    LEFT JOIN progress p ON p.union_id = o.union_id AND p.code = o.code
    WHERE o.fiscal_year = %s AND {where}
    GROUP BY o.code, o.period, 3
    UNION ALL
    SELECT NULL, NULL, NULL, COUNT(*) FROM core_union u WHERE {where}"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*status_params, filters.year, *params, *params])
        rows = cursor.fetchall()
    counts: dict[tuple[str, str], dict[str, int]] = {}
    unions = 0
    for code, period, status, count in rows:
        if code is None:
            unions = count
            continue
        counts.setdefault((code, period), dict.fromkeys(CELL_STATUSES, 0))[status] = count
    order = {c: i for i, c in enumerate(ObligationCode.values)}
    columns = sorted(counts, key=lambda c: (order.get(c[0], 99), c[1]))
    return ScoreTotals(columns=columns, counts=counts, unions=unions)


# --- Efficiency -----------------------------------------------------------------------------------


def _seconds(later: str, earlier: str) -> str:
    return f"EXTRACT(EPOCH FROM ({later} - {earlier}))"


@dataclass
class StepTime:
    key: str
    title: str
    count: int
    mean_days: float
    median_days: float
    overdue: int

    @property
    def overdue_rate(self) -> float:
        return round(100.0 * self.overdue / self.count, 1) if self.count else 0.0


def _efficiency_sql(group: str, title: str, scope: OversightScope, extra_where: str, order: str) -> str:
    """Completed top-level items of the last 12 months grouped by ``group``: count, mean and median
    duration (percentile_cont) and how many finished after their due moment. Uses
    ``workitem_done_top_finished`` (finished_at WHERE done)."""
    seconds = _seconds("w.finished_at", "w.created_at")
    where = (
        f"w.state = 'done' AND w.parent_id IS NULL AND w.finished_at >= %s AND w.finished_at <= %s"
        f" AND {scope.union_sql('w.union_id')}{extra_where}"
    )
    late = "SUM(CASE WHEN w.due_at IS NOT NULL AND w.finished_at > w.due_at THEN 1 ELSE 0 END)"
    return f"""SELECT {group} AS k, MIN({title}) AS t, COUNT(*) AS n, AVG({seconds}) AS mean,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY {seconds}) AS median, {late} AS late
        FROM workflows_workitem w JOIN core_union u ON u.id = w.union_id
        WHERE {where} GROUP BY {group} ORDER BY {order} LIMIT {TOP_UNIONS}"""


@dataclass(frozen=True)
class EfficiencyFilters:
    union_id: int | None = None
    department_id: int | None = None
    step: str = ""


def _efficiency_where(scope: OversightScope, filters: EfficiencyFilters) -> str:
    where = ""
    if filters.union_id is not None:
        where += f" AND w.union_id = {int(filters.union_id)}"
    if filters.department_id is not None:
        # one list of ids (not "= d OR IN (recursive query)"): PostgreSQL then probes the items union by
        # union instead of reading all 5 million work items (1.3 s for a department)
        where += f" AND w.union_id IN ({scope.below_sql((filters.department_id,), including=True)})"
    return where


def _efficiency_rows(sql: str, params: list) -> list[StepTime]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        StepTime(
            key=str(k),
            title=t or "",
            count=n,
            mean_days=round(float(mean or 0) / 86400, 1),
            median_days=round(float(median or 0) / 86400, 1),
            overdue=int(late or 0),
        )
        for k, t, n, mean, median, late in rows
    ]


def efficiency_by_step(*, scope: OversightScope, filters: EfficiencyFilters, now: datetime.datetime):
    """One query: mean and median time per step over the last 12 months, slowest median first."""
    where = _efficiency_where(scope, filters)
    if filters.step:
        where += " AND w.step = %s"
    sql = _efficiency_sql("w.step", "w.step_title", scope, where, "median DESC, k")
    params = [now - datetime.timedelta(days=EFFICIENCY_DAYS), now, *([filters.step] if filters.step else [])]
    return _efficiency_rows(sql, params)


def efficiency_by_union(*, scope: OversightScope, filters: EfficiencyFilters, now: datetime.datetime):
    """One query: per union, mean and median time per step and the share of steps finished late
    (the TOP_UNIONS slowest by median)."""
    where = _efficiency_where(scope, filters)
    if filters.step:
        where += " AND w.step = %s"
    sql = _efficiency_sql("w.union_id", "u.name", scope, where, "median DESC, k")
    params = [now - datetime.timedelta(days=EFFICIENCY_DAYS), now, *([filters.step] if filters.step else [])]
    return _efficiency_rows(sql, params)


@dataclass
class TrendPoint:
    month: datetime.date
    open: int
    overdue: int


def _month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def overdue_trend(
    *, scope: OversightScope, filters: EfficiencyFilters, now: datetime.datetime
) -> list[TrendPoint]:
    """One query: for each of the last 12 month ends (generate_series), how many top-level items were
    open then and how many of those were past their due moment.
    Only items alive during the window are read (open, or finished since its start)."""
    local = timezone.localtime(now)
    last = _month_start(local.date())
    first = last
    for _i in range(TREND_MONTHS - 1):
        first = _month_start(first - datetime.timedelta(days=1))
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time(0), tz)
    where = f"w.parent_id IS NULL AND {scope.union_sql('w.union_id')}{_efficiency_where(scope, filters)}" + (
        " AND w.step = %s" if filters.step else ""
    )
    step_params = [filters.step] if filters.step else []
    # The moment a month is read: its last instant, or now for the running month.
    # An item is open at a month's end ``at`` when created < at and not ended (finished) before:
    # open = #(created < at) - #(greatest(created, end) < at), and overdue likewise with the due
    # moment. Each count is a running sum over the months of one histogram, so the alive items are
    # read once (width_bucket: how many month ends are <= the moment) instead of once per month
    # (a join of 12 months × 500,000 items at provincial scale: 4.7 s).
    sql = f"""
    WITH m AS (
        SELECT i, month::date AS month,
            LEAST((month + interval '1 month') AT TIME ZONE %s, %s::timestamptz) AS at
        FROM generate_series(1, {TREND_MONTHS}) AS i,
            LATERAL (SELECT %s::timestamp + (i - 1) * interval '1 month' AS month) AS start
    ),
    ends AS (SELECT array_agg(at ORDER BY i) AS a FROM m),
    s AS (
        SELECT w.created_at AS c, w.due_at AS d,
            CASE WHEN w.state IN ('open', 'blocked') THEN NULL ELSE w.finished_at END AS e
        FROM workflows_workitem w
        WHERE (w.state IN ('open', 'blocked') OR w.finished_at >= %s) AND {where}
    ),
    h AS (
        SELECT width_bucket(s.c, ends.a) AS bc,
            width_bucket(GREATEST(s.c, s.e), ends.a) + CASE WHEN s.e IS NULL THEN NULL ELSE 0 END AS be,
            width_bucket(GREATEST(s.c, s.d), ends.a) + CASE WHEN s.d IS NULL THEN NULL ELSE 0 END AS bd,
            width_bucket(GREATEST(s.c, s.d, s.e), ends.a)
                + CASE WHEN s.d IS NULL OR s.e IS NULL THEN NULL ELSE 0 END AS bde,
            COUNT(*) AS n
        FROM s, ends GROUP BY 1, 2, 3, 4
    )
    SELECT m.month,
        COALESCE(SUM(h.n) FILTER (WHERE h.bc < m.i), 0) - COALESCE(SUM(h.n) FILTER (WHERE h.be < m.i), 0),
        COALESCE(SUM(h.n) FILTER (WHERE h.bd < m.i), 0) - COALESCE(SUM(h.n) FILTER (WHERE h.bde < m.i), 0)
    FROM m LEFT JOIN h ON true
    GROUP BY m.i, m.month ORDER BY m.month"""
    # generate_series over local month starts, read as Asia/Shanghai wall-clock times
    # (integers for the series: PostgreSQL then plans for 12 months, not 1,000 — a plan costed
    # for 1,000 months crossed JIT's threshold and spent 400 ms compiling)
    params = [tz.key, now, first, start, *step_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [TrendPoint(month=_date(r[0]), open=int(r[1]), overdue=int(r[2])) for r in rows]
