"""Classification (S5.3): which category a record falls in, and how long its category is kept.

A document kind names its category in ``DocumentKind.extra["archive_category"]``; without one, the
table below (by document type) applies, so a new kind needs no edit here. The retention period of a
category is data (``ArchiveRule``): the union's own row, else its department union's, else the provincial
default row (the nearest wins); the built-in defaults stand where even that row is missing.
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from core.models import Union
from workflows import registry

from .models import RETENTION_YEARS, ArchiveRule, Category, Retention

CATEGORY_BY_TYPE = {
    "budget": Category.BUDGET_ACCOUNTS,
    "final_accounts": Category.BUDGET_ACCOUNTS,
    "finance_report": Category.BUDGET_ACCOUNTS,
    "budget_adjustment": Category.FINANCE_RECORDS,
    "expenditure": Category.FINANCE_RECORDS,
    "annual_plan": Category.PLANS_REPORTS,
    "year_end_summary": Category.PLANS_REPORTS,
    "work_report": Category.PLANS_REPORTS,
    "rules": Category.INSTITUTIONS,
    "instruction": Category.PARTY,
    "party_hearing": Category.PARTY,
}

# S5.3: the defaults (as migration 0002 writes them): what the congress and the bodies decided, the
# plans, reports, budgets and final accounts are kept permanently; spending records, rules and the Party
# organisation's requests and replies 30 years; the rest 10 years.
DEFAULT_RETENTION = {
    Category.MEETINGS: Retention.PERMANENT,
    Category.PLANS_REPORTS: Retention.PERMANENT,
    Category.BUDGET_ACCOUNTS: Retention.PERMANENT,
    Category.FINANCE_RECORDS: Retention.YEARS_30,
    Category.INSTITUTIONS: Retention.YEARS_30,
    Category.PARTY: Retention.YEARS_30,
    Category.OTHER: Retention.YEARS_10,
}


def category_of(document_type: str) -> str:
    kind = registry.kind_or_none(document_type)
    named = kind.extra.get("archive_category") if kind is not None else None
    return named or CATEGORY_BY_TYPE.get(document_type, Category.OTHER)


def retention_for(union: Union) -> dict[str, str]:
    """S5.3: each category's retention period at the union, the nearest row winning. One query."""
    scopes = [pk for pk in (union.pk, union.parent_id) if pk is not None]
    rows = ArchiveRule.objects.filter(Q(union__isnull=True) | Q(union_id__in=scopes))
    rank = {union.pk: 0, union.parent_id: 1, None: 2}
    found: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: (rank.get(r.union_id, 3), r.pk)):
        found.setdefault(row.category, row.retention)
    return {category: found.get(category, DEFAULT_RETENTION[category]) for category in Category.values}


def retention_ends_on(year: int, retention: str) -> datetime.date | None:
    """The last day a record of ``year`` is kept: the period counts from 1 January of the next year
    (保管期限自文件形成的次年起算), so a 10-year record of 2020 is kept until 31 December 2030."""
    years = RETENTION_YEARS[Retention(retention)]
    return None if years is None else datetime.date(year + years, 12, 31)
