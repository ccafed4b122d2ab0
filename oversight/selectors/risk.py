"""The deadline risk tab: the open documents in the scope expected to miss their statutory deadline at
their steps' usual durations (``workflows.forecast``), soonest deadline first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from oversight.selectors.scope import OversightScope
from workflows.forecast import DocumentForecast, documents_at_risk_within

# The page lists this many; the count says how many there are in all.
RISK_ROWS = 200


@dataclass(frozen=True)
class RiskFilters:
    union_id: int | None = None
    department_id: int | None = None


def documents_at_risk_in_scope(
    *, scope: OversightScope, filters: RiskFilters, today: datetime.date
) -> list[DocumentForecast]:
    """The forecasts at risk in the scope (a predicate on the documents' union, not a list of the
    20,000 unions below a provincial seat), narrowed to the union or department chosen."""
    within = scope.union_q("union_id")
    if filters.union_id is not None:
        within &= Q(union_id=filters.union_id)
    if filters.department_id is not None:
        within &= Q(union_id__any=[filters.department_id, *scope.below((filters.department_id,))])
    return documents_at_risk_within(within=within, today=today)
