"""Fixtures of the expenditure tests: a1's 2026 budget in force (expenditure lines 50101 ¥150,000,
50102 ¥200,000, 50502 ¥60,000), its finance officer, and a request for instructions on major
expenditure replied by a1's Party organisation (S1.3)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
import time_machine
from django.utils import timezone

from core.models import Role
from tests.factories import seated
from tests.scenarios import at, open_item
from workflows.expenditure.services import request_create, request_submit
from workflows.models import Resolution
from workflows.party import services as party_services
from workflows.party.models import CatalogueItem, Matter
from workflows.services.decisions import written_decision_record
from workflows.services.personal import personal_decide


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


@pytest.fixture
def agreed_instruction(cast):
    """S1.3: a request for instructions on major expenditure, signed by the chair and replied in writing
    by the Party organisation: agreed, or with ``Resolution.RETURN`` not agreed."""

    def _make(resolution=Resolution.APPROVE, title="关于更新职工之家健身器材的请示"):
        item = CatalogueItem.objects.get(union__isnull=True, matter=Matter.MAJOR_EXPENDITURE)
        asked = party_services.request_create(
            actor=cast.office, union=cast.union, items=[item], title=title, text="拟支出，妥否，请批示。"
        )
        party_services.request_submit(actor=cast.office, request=asked)
        personal_decide(
            work_item=open_item(asked, "chair_sign"), actor=cast.chair, resolution=Resolution.APPROVE
        )
        written_decision_record(
            work_item=open_item(asked, "party_reply"),
            recorder=cast.party_secretary,
            resolution=resolution,
            reference_number="机党〔2026〕30号",
            decided_on=timezone.localdate(),
            opinions="" if resolution == Resolution.APPROVE else "时机不成熟。",
        )
        asked.refresh_from_db()
        return asked

    return _make
