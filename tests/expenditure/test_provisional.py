"""Before the year's budget is approved (January, February: S3.1 in practice), spending is provisional:
against last year's lines, up to a share per month of the year gone by (one twelfth by default, as data),
marked provisional, and reconciled with the year's budget once it is in force."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.scenarios import at, budget_in_force, open_item
from workflows.expenditure import selectors
from workflows.expenditure.models import ExpenditureRule, LedgerLine
from workflows.expenditure.services import request_create, request_submit
from workflows.models import Resolution
from workflows.services.personal import personal_decide

pytestmark = pytest.mark.django_db


def _request(cast, amount: str, account: str = "50101"):
    return request_create(
        actor=cast.office,
        union=cast.union,
        account_id=account,
        amount=D(amount),
        purpose="春节慰问",
        activity_date="2027-02-01",
    )


@pytest.fixture
def february_2027(cast, budget_in_force, finance, in_december_2026):
    """6 February 2027: a1's 2026 budget is in force (50101: ¥150,000), its 2027 budget not yet."""
    with time_machine.travel(at(2027, 2, 6, 10, 0), tick=True):
        yield


def test_s3_1_before_the_budget_two_months_of_last_years_line_may_be_spent(cast, finance, february_2027):
    basis = selectors.spending_basis(cast.union.pk, 2027)
    assert basis.provisional and basis.share == D(2) / 12
    assert selectors.budgeted(cast.union.pk, 2027, "50101") == D("25000.00")  # 150,000 × 2/12
    over = _request(cast, "25000.01")
    with pytest.raises(ValidationError) as refused:
        request_submit(actor=cast.office, request=over)
    assert "25,000.00" in " ".join(refused.value.messages)
    fits = _request(cast, "4000.00")
    request_submit(actor=cast.office, request=fits)
    assert fits.provisional and fits.year == 2027


def test_s3_1_the_share_per_month_is_data(cast, finance, february_2027):
    ExpenditureRule.objects.create(union=cast.union, provisional_twelfths=3)
    assert selectors.budgeted(cast.union.pk, 2027, "50101") == D("75000.00")  # 150,000 × 6/12


def test_s3_1_provisional_spending_is_reconciled_once_the_budget_is_in_force(
    cast, finance, login, february_2027
):
    spent = _request(cast, "3000.00", account="50102")
    request_submit(actor=cast.office, request=spent)
    personal_decide(work_item=open_item(spent, "finance_check"), actor=finance, resolution=Resolution.APPROVE)
    personal_decide(
        work_item=open_item(spent, "chair_approval"), actor=cast.chair, resolution=Resolution.APPROVE
    )
    page = login(cast.office).get(reverse("expenditure:list", args=[cast.union.pk])).content.decode()
    assert 'data-testid="provisional"' in page
    from workflows.budget.services import LineInput as Line  # the 2027 budget drops line 50102

    lines = [Line("401", D("120000.00")), Line("402", D("300000.00")), Line("50101", D("150000.00"))]
    budget_in_force(cast, year=2027, lines=lines, carryover_is_estimate=False)
    assert not selectors.spending_basis(cast.union.pk, 2027).provisional
    assert LedgerLine.objects.get(union=cast.union, year=2027, account_id="50102").committed == D("3000.00")
    assert [row.account_id for row in selectors.unbudgeted_spending(cast.union.pk, 2027)] == ["50102"]
    page = login(cast.office).get(reverse("expenditure:list", args=[cast.union.pk])).content.decode()
    assert 'data-testid="unbudgeted"' in page and "3,000.00" in page
