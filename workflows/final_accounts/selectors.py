"""Reads of the final accounts: the audited carryover (S3.2/S3.5), visibility, a union's list."""

from __future__ import annotations

import datetime
from decimal import Decimal

from workflows.expenditure.selectors import paid_by_account
from workflows.visibility import document_visible, documents_for_union

from .models import FinalAccounts, FinalAccountsStatus, FinalAccountsVersion


def audited_carryover(*, union, year: int) -> Decimal | None:
    """The closing balance of the union's final accounts of ``year`` as last audited by the fund audit
    committee (S3.5), or None while there are none: the funds rolled over into ``year + 1`` (S3.2)."""
    version = (
        FinalAccountsVersion.objects.filter(final_accounts__union=union, final_accounts__year=year)
        .exclude(final_accounts__status=FinalAccountsStatus.WITHDRAWN)
        .exclude(audited_at=None)
        .order_by("-number")
        .first()
    )
    return None if version is None else version.closing_balance()


def final_accounts_visible_to(*, user, final_accounts: FinalAccounts) -> bool:
    return document_visible(user=user, union=final_accounts.union, process_id=final_accounts.process_id)


def final_accounts_for_union(*, user, union):
    qs = (
        FinalAccounts.objects.filter(union=union)
        .select_related("current_version", "drafter")
        .order_by("-year", "-id")
    )
    return documents_for_union(user=user, union=union, queryset=qs)


def ledger_paid(final_accounts: FinalAccounts) -> dict[str, Decimal]:
    """What the expenditure ledger paid from each line in the year, up to 31 December (one query)."""
    year = final_accounts.year
    return paid_by_account(final_accounts.union_id, year, until=datetime.date(year, 12, 31))
