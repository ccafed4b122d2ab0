"""Fixtures of the final accounts (S3.5): union a1 with every body seated, its 2026 budget in force and
its 2027 budget before the congress, final accounts driven through the real services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.models import Body
from tests.workflows.conftest import BALANCED_LINES, Cast
from tests.workflows.test_budget_spine import (
    answer_all,
    audit_meeting,
    congress_meeting,
    consolidate,
    party_reply,
)
from tests.workflows.test_reports_spine import committee_members  # noqa: F401 (a fixture)
from workflows.budget.models import BudgetStatus
from workflows.budget.services import Recipient, budget_create, budget_save_lines, budget_submit
from workflows.final_accounts.finance_report import finance_report_create
from workflows.final_accounts.services import audit_report_attach, final_accounts_create, final_accounts_save
from workflows.models import Resolution, WorkItem, WorkItemState
from workflows.reports.services import work_report_submit
from workflows.services.decisions import AgendaVote, meeting_record

D = Decimal
CARRYOVER = D("20000.00")
# 2026 budget (BALANCED_LINES): income 401 120,000 + 402 300,000; expenditure 50101 150,000,
# 50102 200,000, 50502 60,000; carryover 20,000.
ACTUALS = {
    "401": D("118000.00"),
    "402": D("300000.00"),
    "50101": D("140000.00"),
    "50102": D("195000.00"),
    "50502": D("58000.00"),
}
# closing balance = 20,000 + 418,000 − 393,000 = 45,000
CLOSING = D("45000.00")


@pytest.fixture
def cast(tree):
    return Cast(tree)


def open_item(document, step: str) -> WorkItem:
    return WorkItem.objects.get(process=document.process, step=step, state=WorkItemState.OPEN)


def budget_before_congress(cast, *, year: int, lines=BALANCED_LINES, carryover=CARRYOVER):
    budget = budget_create(
        actor=cast.office, union=cast.union, year=year, carryover=carryover, carryover_is_estimate=True
    )
    budget_save_lines(
        actor=cast.office, budget=budget, lines=list(lines), carryover=carryover, carryover_is_estimate=True
    )
    budget_submit(
        actor=cast.office,
        budget=budget,
        recipients=[Recipient(cast.representatives[0])],
        due_at=timezone.now() + timezone.timedelta(days=3),
    )
    answer_all(budget, cast)
    consolidate(budget, cast)
    audit_meeting(budget, cast)
    party_reply(budget, cast)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.CONGRESS_RATIFICATION
    return budget


def budget_in_force(cast, *, year: int = 2026):
    budget = budget_before_congress(cast, year=year)
    congress_meeting(budget, cast)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.IN_FORCE
    return budget


def audit_report_file(name: str = "审查报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 audit report", content_type="application/pdf")


def audit_decides(cast, final_accounts, resolution=Resolution.APPROVE, opinions=""):
    return audit_meeting(final_accounts, cast, resolution=resolution, opinions=opinions)


def congress_decides(cast, items, resolution=Resolution.APPROVE, opinions=""):
    body = Body.objects.get(union=cast.union, kind="congress")
    return meeting_record(
        body=body,
        recorder=cast.congress_chair,
        held_on=timezone.localdate(),
        place="礼堂",
        attendee_ids=[p.pk for p in cast.congress],
        votes=[
            AgendaVote(
                i.pk, resolution, votes_for=6 if resolution == Resolution.APPROVE else 0, opinions=opinions
            )
            for i in items
        ],
    )


@pytest.fixture
def fa_draft(cast):
    """The 2026 final accounts with every actual amount entered, at the draft step."""

    def _make(actuals=ACTUALS, year: int = 2026):
        budget_in_force(cast, year=year)
        fa = final_accounts_create(actor=cast.office, union=cast.union, year=year)
        final_accounts_save(actor=cast.office, final_accounts=fa, actuals=dict(actuals))
        fa.refresh_from_db()
        return fa

    return _make


@pytest.fixture
def fa_audited(cast, fa_draft):
    """Submitted, audit report attached, approved by the fund audit committee: waiting for the congress."""

    def _make(actuals=ACTUALS):
        from workflows.final_accounts.services import final_accounts_submit

        fa = fa_draft(actuals)
        final_accounts_submit(actor=cast.office, final_accounts=fa)
        audit_report_attach(actor=cast.audit_director, final_accounts=fa, upload=audit_report_file())
        audit_decides(cast, fa)
        fa.refresh_from_db()
        return fa

    return _make


@pytest.fixture
def finance_report_before_congress(cast, fa_audited):
    """The 2026 finance report binding the audited 2026 final accounts and the 2027 budget."""

    def _make(next_lines=BALANCED_LINES):
        fa = fa_audited()
        budget = budget_before_congress(cast, year=2027, lines=next_lines)
        report = finance_report_create(actor=cast.office, union=cast.union, year=2026)
        work_report_submit(actor=cast.office, report=report)
        report.refresh_from_db()
        return fa, budget, report

    return _make
