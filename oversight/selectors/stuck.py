"""The stuck approvals page: open top-level work items overdue or older than a threshold in the
scope, one page of them in a chosen order, and their counts by step, union, document type and age.
Each row says whether nobody can act on it (its body has no seat in force, issue 24); the "nobody
can act" filter lists only those, whatever their age."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from oversight.selectors.scope import OversightScope
from oversight.selectors.sql import TOP_UNIONS
from workflows.models import DocumentType, WorkItem, WorkItemKind, WorkItemState
from workflows.services.vacancy import body_seated_exists

DEFAULT_OLDER_THAN_DAYS = 7
PAGE_SIZE = 50

# (label, newest age in days, oldest age in days or None): "days since created", whole days.
AGE_BUCKETS = [("0–3", 0, 3), ("4–7", 4, 7), ("8–14", 8, 14), ("15–30", 15, 30), (">30", 31, None)]


@dataclass(frozen=True)
class StuckFilters:
    older_than: int = DEFAULT_OLDER_THAN_DAYS
    union_id: int | None = None
    department_id: int | None = None
    step: str = ""
    document_type: str = ""
    # only the steps nobody can act on (their body has no seat in force today), whatever their age
    vacant: bool = False


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
# chooses a department or a union first (oversight.views.stuck, errors.SORT_NEEDS_NARROWER_SCOPE).
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
    """Open top-level items in the scope that are overdue or older than the threshold; with
    ``vacant``, those nobody can act on instead, stuck from their first day."""
    qs = WorkItem.objects.filter(scope.union_q(), state=WorkItemState.OPEN, parent__isnull=True)
    if filters.vacant:
        qs = qs.filter(kind=WorkItemKind.BODY, body__isnull=False).exclude(_seated(now))
    else:
        threshold = now - datetime.timedelta(days=filters.older_than)
        qs = qs.filter(Q(due_at__lt=now) | Q(created_at__lt=threshold))
    if filters.union_id is not None:
        qs = qs.filter(union_id=filters.union_id)
    if filters.department_id is not None:
        qs = qs.filter(_subtree_q(scope, filters.department_id))
    if filters.step:
        qs = qs.filter(step=filters.step)
    if filters.document_type:
        qs = qs.filter(document_type=filters.document_type)
    return qs


def _subtree_q(scope: OversightScope, department_id: int | None, column: str = "union_id") -> Q:
    """The department union and everything below it (a filter inside the scope)."""
    if department_id is None:
        return Q()
    return Q(**{f"{column}__in": [department_id, *scope.below((department_id,))]})


def _seated(now: datetime.datetime):
    """The item's body has a seat in force on the day (a NOT EXISTS anti-join over core_seat)."""
    return body_seated_exists(on=timezone.localdate(now))


def _sortable(items: QuerySet[WorkItem], now: datetime.datetime | None = None) -> QuerySet[WorkItem]:
    # who must act: the person's name, else the body's kind (a body's queue)
    items = items.annotate(who=Coalesce(F("assignee__full_name"), F("body__kind")))
    if now is None:
        return items
    # nobody can act: a body's step whose body has no seat in force, for the page's rows in its query
    vacant = Q(kind=WorkItemKind.BODY, body__isnull=False) & ~_seated(now)
    return items.annotate(vacant=ExpressionWrapper(vacant, output_field=BooleanField()))


def stuck_page(
    *,
    items: QuerySet[WorkItem],
    sort: Sort | None = None,
    after: tuple | None = None,
    size: int | None = None,
    now: datetime.datetime | None = None,
) -> tuple[list[WorkItem], tuple | None]:
    """One page in the chosen order; keyset on (sort value, id), NULLs last in both directions.

    The default order (oldest first) walks the partial index ``workitem_open_top_created``; the
    other orders sort the stuck rows of the scope (a top-N heap sort in PostgreSQL). Each row says
    whether nobody can act on it (``vacant``) as of ``now`` (the present by default)."""
    size = size or PAGE_SIZE
    sort = sort or Sort()
    key, desc = sort.field, sort.sql_descending
    qs = _sortable(items, now or timezone.now()).select_related("union", "body", "assignee")
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
    with connection.cursor() as cursor:
        cursor.execute(_counts_sql(base_sql), params)
        rows = cursor.fetchall()
    return _counts_from_rows(rows)


def _counts_sql(base_sql: str) -> str:
    """The four groupings of ``stuck_counts`` over the stuck rows ``s``, one UNION ALL: (set, key,
    title, count, unions in all, one count per ageing bucket)."""
    n_buckets = range(len(AGE_BUCKETS))
    buckets = ", ".join(f"SUM(CASE WHEN s.bucket = {i} THEN 1 ELSE 0 END)" for i in n_buckets)
    named_buckets = ", ".join(f"SUM(CASE WHEN s.bucket = {i} THEN 1 ELSE 0 END) AS b{i}" for i in n_buckets)
    r_buckets = ", ".join(f"r.b{i}" for i in n_buckets)
    return f"""
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


def _counts_from_rows(rows) -> StuckCounts:
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
