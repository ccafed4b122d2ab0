"""Fixtures of the final accounts (S3.5): union a1's 2026 budget in force, its final accounts at each
step, and its 2027 budget before the congress, all driven through the services."""

from __future__ import annotations

import pytest

from tests.factories import ACTUALS, BALANCED_LINES, make_final_accounts, make_finance_report
from tests.scenarios import budget_before_congress, budget_in_force, final_accounts_audited
from workflows.reports.services import work_report_submit


@pytest.fixture
def fa_draft(cast):
    """The 2026 final accounts with every actual amount entered, at the draft step."""

    def _make(actuals=ACTUALS, year: int = 2026):
        budget_in_force(cast, year=year)
        return make_final_accounts(cast, year=year, actuals=actuals)

    return _make


@pytest.fixture
def fa_audited(cast, fa_draft):
    """Submitted, audit report attached, approved by the fund audit committee: waiting for the congress."""

    def _make(actuals=ACTUALS):
        return final_accounts_audited(cast, fa_draft(actuals))

    return _make


@pytest.fixture
def finance_report_before_congress(cast, fa_audited):
    """The 2026 finance report binding the audited 2026 final accounts and the 2027 budget."""

    def _make(next_lines=BALANCED_LINES):
        fa = fa_audited()
        budget = budget_before_congress(cast, year=2027, lines=next_lines)
        report = make_finance_report(cast, year=2026)
        work_report_submit(actor=cast.office, report=report)
        report.refresh_from_db()
        return fa, budget, report

    return _make
