"""Reading the roster (S4.2): a union's roster, its staffing rule (nearest wins), the gaps of many
unions at once, and the social workers' contracts ending soon."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import Union

from .models import FULL_TIME_CHAIR_FROM_MEMBERS, Category, RosterEntry, StaffingRule

ENDING_SOON_DAYS = 30


@dataclass(frozen=True)
class Gap:
    """S4.2: a union at or above the rule's threshold with no full-time chair on its roster."""

    union_id: int
    members: int
    full_time_chair_from_members: int


def roster_of(union: Union) -> QuerySet[RosterEntry]:
    """Who is on the union's roster today (those who left are kept, not listed)."""
    return (
        RosterEntry.objects.filter(union=union, active_until__isnull=True)
        .select_related("person")
        .order_by("category", "-is_chair", "name", "id")
    )


def _thresholds(unions: list[tuple[int, int | None]]) -> dict[int, int]:
    """Nearest wins for each (union id, parent id): its own row, its parent's, the default, 200."""
    scopes = {pk for pair in unions for pk in pair if pk is not None}
    rows = dict(
        StaffingRule.objects.filter(Q(union__isnull=True) | Q(union_id__in=scopes)).values_list(
            "union_id", "full_time_chair_from_members"
        )
    )
    found = {}
    for union_id, parent_id in unions:
        # a union without a parent: its own, then the default (None is the default's key)
        scope = next((s for s in (union_id, parent_id, None) if s in rows), "built-in")
        found[union_id] = rows.get(scope, FULL_TIME_CHAIR_FROM_MEMBERS)
    return found


def staffing_rule_for(union: Union) -> int:
    """S4.2, rules as data: from how many members the union has a full-time chair."""
    return _thresholds([(union.pk, union.parent_id)])[union.pk]


def staffing_gaps(union_ids: Iterable[int]) -> dict[int, Gap]:
    """S4.2, for the chair and the upper union: the unions among ``union_ids`` whose member count
    reaches their rule's threshold and who have no full-time chair on the roster. Three queries,
    whatever the number of unions."""
    unions = list(Union.objects.filter(pk__in=list(union_ids)).values_list("pk", "parent_id", "member_count"))
    if not unions:
        return {}
    thresholds = _thresholds([(pk, parent) for pk, parent, _members in unions])
    chaired = set(
        RosterEntry.objects.filter(
            union_id__in=[pk for pk, _p, _m in unions], is_chair=True, active_until__isnull=True
        ).values_list("union_id", flat=True)
    )
    return {
        pk: Gap(union_id=pk, members=members, full_time_chair_from_members=thresholds[pk])
        for pk, _parent, members in unions
        if members >= thresholds[pk] and pk not in chaired
    }


def contracts_ending(
    within_days: int, *, today: datetime.date | None = None, union_ids: Iterable[int] | None = None
) -> QuerySet[RosterEntry]:
    """Social workers still on a roster whose contract ends between today and ``within_days`` ahead."""
    today = today or timezone.localdate()
    rows = RosterEntry.objects.filter(
        category=Category.SOCIAL_WORKER,
        active_until__isnull=True,
        contract_end__gte=today,
        contract_end__lte=today + datetime.timedelta(days=within_days),
    )
    if union_ids is not None:
        rows = rows.filter(union_id__in=list(union_ids))
    return rows.select_related("union", "person").order_by("contract_end", "id")
