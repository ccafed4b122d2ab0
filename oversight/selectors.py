"""Reads for the oversight pages (issue 9). Each selector costs one SQL query.

Scope: a supervisor sees every union below the union of their supervisor seat; a union chair
sees their own union. The descendants come from a recursive CTE written like core.selectors, so
it runs unchanged on PostgreSQL and SQLite.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.models import Union
from core.selectors import MAX_DEPTH
from workflows.models import WorkItem, WorkItemState

DEFAULT_OLDER_THAN_DAYS = 7
PAGE_SIZE = 50

# (label, newest age in days, oldest age in days or None): "days since created", whole days.
AGE_BUCKETS = [("0–3", 0, 3), ("4–7", 4, 7), ("8–14", 8, 14), ("15–30", 15, 30), (">30", 31, None)]


# The user's oversight seats in force (supervisor; chair of the union committee or of a group), the
# unions below each supervisor seat, and one row per union that is either: its flags say why.
_SCOPE_SQL = f"""
WITH RECURSIVE mine(union_id, role) AS (
    SELECT s.union_id, s.role FROM core_seat s LEFT JOIN core_body b ON b.id = s.body_id
    WHERE s.person_id = %s AND s.start_date <= %s AND (s.end_date IS NULL OR s.end_date >= %s)
      AND (s.role = 'supervisor' OR (s.role = 'chair' AND (s.body_id IS NULL OR b.kind = 'union_committee')))
),
sub(id, depth) AS (
    SELECT id, 1 FROM core_union WHERE parent_id IN (SELECT union_id FROM mine WHERE role = 'supervisor')
    UNION ALL
    SELECT u.id, sub.depth + 1 FROM core_union u JOIN sub ON u.parent_id = sub.id
    WHERE sub.depth < {MAX_DEPTH}
)
SELECT u.id, u.name, u.kind, u.parent_id,
    u.id IN (SELECT id FROM sub) AS supervised,
    u.id IN (SELECT union_id FROM mine WHERE role = 'chair') AS chaired,
    u.id IN (SELECT union_id FROM mine WHERE role = 'supervisor') AS supervisor_seat
FROM core_union u
WHERE u.id IN (SELECT id FROM sub) OR u.id IN (SELECT union_id FROM mine)
ORDER BY u.name, u.id"""


@dataclass(frozen=True)
class OversightScope:
    """The unions whose stuck work a user oversees, and whether the user oversees anything at all."""

    unions: list[Union] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.unions

    @property
    def visible(self) -> list[Union]:
        return [u for u in self.unions if u.supervised or u.chaired]

    @property
    def supervised_ids(self) -> set[int]:
        return {u.pk for u in self.unions if u.supervised}


def oversight_scope(*, user) -> OversightScope:
    """One query: the unions below the user's supervisor seats and the unions they chair.

    A supervisor's own union is returned too (flag ``supervisor_seat``) so a supervisor with
    nothing below still counts as one; its own items are not in scope.
    """
    if not user.is_authenticated or not user.is_active:
        return OversightScope()
    today = timezone.localdate()
    unions = list(Union.objects.raw(_SCOPE_SQL, [user.pk, today, today]))
    for union in unions:
        union.supervised, union.chaired = bool(union.supervised), bool(union.chaired)
    return OversightScope(unions=unions)


@dataclass(frozen=True)
class StuckFilters:
    older_than: int = DEFAULT_OLDER_THAN_DAYS
    union_id: int | None = None
    step: str = ""
    document_type: str = ""


def stuck_items(*, union_ids: list[int], filters: StuckFilters, now: datetime.datetime) -> QuerySet[WorkItem]:
    """Open top-level items in these unions that are overdue or older than the threshold."""
    threshold = now - datetime.timedelta(days=filters.older_than)
    qs = WorkItem.objects.filter(
        union_id__in=union_ids if filters.union_id is None else [filters.union_id],
        state=WorkItemState.OPEN,
        parent__isnull=True,
    ).filter(Q(due_at__lt=now) | Q(created_at__lt=threshold))
    if filters.step:
        qs = qs.filter(step=filters.step)
    if filters.document_type:
        qs = qs.filter(document_type=filters.document_type)
    return qs


def stuck_page(
    *, items: QuerySet[WorkItem], after: tuple[datetime.datetime, int] | None, size: int | None = None
) -> tuple[list[WorkItem], tuple[datetime.datetime, int] | None]:
    """Oldest first, keyset on (created_at, id); returns the page and the cursor of the next one."""
    size = size or PAGE_SIZE
    qs = items.select_related("union", "body", "assignee").order_by("created_at", "id")
    if after is not None:
        created, pk = after
        qs = qs.filter(Q(created_at__gt=created) | Q(created_at=created, id__gt=pk))
    rows = list(qs[: size + 1])
    if len(rows) > size:
        last = rows[size - 1]
        return rows[:size], (last.created_at, last.pk)
    return rows, None


@dataclass
class StuckCounts:
    by_step: list[dict]
    by_union: list[dict]
    buckets: list[tuple[str, int]]
    total: int


def stuck_counts(*, items: QuerySet[WorkItem], now: datetime.datetime) -> StuckCounts:
    """One GROUP BY (union, step) with a conditional count per ageing bucket (whole days since
    created); the per-step, per-union and bucket totals are sums over those few group rows."""
    aggregates = {"count": Count("id")}
    for i, (_label, young, old) in enumerate(AGE_BUCKETS):
        # age in whole days >= young  <=>  created_at <= now - young days
        q = Q(created_at__lte=now - datetime.timedelta(days=young))
        if old is not None:
            q &= Q(created_at__gt=now - datetime.timedelta(days=old + 1))
        aggregates[f"b{i}"] = Count("id", filter=q)
    groups = list(
        items.order_by().values("union_id", "union__name", "step", "step_title").annotate(**aggregates)
    )
    by_step: dict[str, dict] = {}
    by_union: dict[int, dict] = {}
    for row in groups:
        step = by_step.setdefault(
            row["step"], {"step": row["step"], "step_title": row["step_title"], "count": 0}
        )
        step["count"] += row["count"]
        union = by_union.setdefault(
            row["union_id"], {"union_id": row["union_id"], "union__name": row["union__name"], "count": 0}
        )
        union["count"] += row["count"]
    buckets = [(label, sum(row[f"b{i}"] for row in groups)) for i, (label, _y, _o) in enumerate(AGE_BUCKETS)]
    return StuckCounts(
        by_step=sorted(by_step.values(), key=lambda r: (-r["count"], r["step"])),
        by_union=sorted(by_union.values(), key=lambda r: (-r["count"], r["union__name"])),
        buckets=buckets,
        total=sum(row["count"] for row in groups),
    )
