"""Fixtures of the dues tests: the tests run on 6 December 2026 (a1's 2026 budget, when a test asks for
it, has 401 会费收入 ¥120,000), a1's finance officer, and members put in a union's register directly
(the register's own services belong to the members' app)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine

from core.models import Role
from tests.factories import seated
from tests.scenarios import at
from workflows.dues.models import BasicWage
from workflows.members.models import Member

LONG_AGO = datetime.date(2024, 1, 1)


@pytest.fixture(autouse=True)
def on_6_december_2026():
    with time_machine.travel(at(2026, 12, 6, 10, 0), tick=True):
        yield


@pytest.fixture
def finance(cast):
    return seated(cast.union, Role.FINANCE_OFFICER, username="a1-finance", full_name="财务李")


@pytest.fixture
def enrol(cast):
    """enrol(n, union=a1, joined_on=..., wage=Decimal or None, start=0) → the new members, each with
    the wage from January 2024 when one is given."""

    def _enrol(n, *, union=None, joined_on=LONG_AGO, left_on=None, wage=None, start=0, name="会员"):
        union = union or cast.union
        members = Member.objects.bulk_create(
            [
                Member(
                    union=union,
                    name=f"{name}{start + i:03d}",
                    member_number=f"{union.code}-{start + i:04d}",
                    joined_on=joined_on,
                    left_on=left_on,
                )
                for i in range(n)
            ]
        )
        if wage is not None:
            BasicWage.objects.bulk_create(
                [
                    BasicWage(member=m, applies_from=LONG_AGO, amount=Decimal(wage), recorded_by=cast.office)
                    for m in members
                ]
            )
        return members

    return _enrol
