"""The dues demo (order 91, after the members' demo): nothing without members at fin-office; with them,
wages, the department's rule, six months collected and this one half, some members in arrears.
Idempotent."""

from __future__ import annotations

import datetime

import pytest

from core import demo_seeders
from core.demo import seed_demo
from core.models import Union
from workflows.dues import selectors
from workflows.dues.demo import MONTHS_BACK, seed_demo_dues
from workflows.dues.models import BasicWage, DuesMonth, DuesPayment, DuesRule
from workflows.members.models import Member


@pytest.mark.django_db
def test_dues_demo_runs_after_the_members_demo_and_leaves_members_in_arrears():
    seed_demo()
    assert {s.name: s.order for s in demo_seeders.seeders()}["dues"] == 91
    office = Union.objects.get(code="fin-office")
    assert seed_demo_dues(write=None) == [] and not DuesMonth.objects.exists()  # no members yet

    Member.objects.bulk_create(
        [
            Member(
                union=office,
                name=f"演示会员{i}",
                member_number=f"FO-{i:03d}",
                joined_on=datetime.date(2023, 3, 1),
            )
            for i in range(12)
        ]
    )
    made = seed_demo_dues(write=None)

    assert len(made) == MONTHS_BACK + 1 == DuesMonth.objects.filter(union=office).count()
    assert seed_demo_dues(write=None) == [] and DuesMonth.objects.count() == MONTHS_BACK + 1
    assert BasicWage.objects.filter(member__union=office).count() == 12
    rate = selectors.rate_for(office)
    assert (rate.source, DuesRule.objects.get().union.code) == ("parent", "fin")
    today = selectors.today_of(office)
    owed = selectors.arrears(office, rate, today=today, start=selectors.start_of(office))
    assert {a.name for a in owed} == {"演示会员0", "演示会员4", "演示会员9"}
    assert max(a.count for a in owed) == 3
    this_month = DuesPayment.objects.filter(month=selectors.month_start(today)).count()
    assert this_month == 6
