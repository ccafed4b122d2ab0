"""Fixtures of the expenditure tests: a1's 2026 budget in force (expenditure lines 50101 ¥150,000,
50102 ¥200,000, 50502 ¥60,000) and its finance officer."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
import time_machine

from core.models import Role
from tests.factories import seated
from tests.scenarios import at
from workflows.expenditure.services import request_create, request_submit


@pytest.fixture(autouse=True)
def in_december_2026():
    """Requests are for the current year: the tests run on 6 December 2026, in the budget's year."""
    with time_machine.travel(at(2026, 12, 6, 10, 0), tick=True):
        yield


@pytest.fixture
def finance(cast):
    return seated(cast.union, Role.FINANCE_OFFICER, username="a1-finance", full_name="财务李")


@pytest.fixture
def new_request(cast, budget_in_force, finance):
    def _make(amount="3000.00", account="50101", actor=None, **fields):
        fields.setdefault("purpose", "职工春季健步走活动")
        fields.setdefault("activity_date", "2026-12-20")
        return request_create(
            actor=actor or cast.office, union=cast.union, account_id=account, amount=D(amount), **fields
        )

    return _make


@pytest.fixture
def sent_request(cast, new_request):
    def _make(amount="3000.00", **fields):
        request = new_request(amount, **fields)
        return request_submit(actor=request.drafter, request=request)

    return _make
