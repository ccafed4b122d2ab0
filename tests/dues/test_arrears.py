"""Arrears: each member's months without a payment, from the month the union records dues from (or its
first month recorded) and from the month the member joined, to last month; the dues at the wage in force
each month; in one query whatever the number of members and months."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.scenarios import at
from workflows.dues import selectors, services
from workflows.dues.services import INHERIT

pytestmark = pytest.mark.django_db


def _m(month: int) -> datetime.date:
    return datetime.date(2026, month, 1)


def _owed(union) -> dict[int, tuple]:
    today = selectors.today_of(union)
    start = selectors.start_of(union)
    rate = selectors.rate_for(union)
    return {
        a.member_id: (a.months, a.amount, a.without_wage)
        for a in selectors.arrears(union, rate, today=today, start=start)
    }


def test_arrears_across_months_joins_leaves_wage_changes_and_the_start(cast, tree, finance, enrol):
    union = cast.union
    (steady,) = enrol(1, joined_on=datetime.date(2025, 6, 10))
    (joiner,) = enrol(1, joined_on=datetime.date(2026, 3, 15), start=1)
    (leaver,) = enrol(1, joined_on=datetime.date(2025, 1, 1), left_on=datetime.date(2026, 2, 20), start=2)
    enrol(2, union=tree["a2"], start=5)  # another union's members owe nothing here

    with time_machine.travel(at(2026, 6, 15, 10, 0), tick=False):
        assert _owed(union) == {}  # nothing recorded yet: no arrears period
        for month, wages in (
            (1, {steady.pk: D("8000")}),
            (3, {joiner.pk: D("6000")}),
            (4, {steady.pk: D("9000")}),
        ):
            services.wages_enter(actor=finance, union=union, applies_from=_m(month), wages=wages)
        # the leaver's wage is never entered: their months are owed with the amount unknown
        services.month_record(actor=finance, union=union, month=_m(1), paid={steady.pk: None})
        services.month_record(
            actor=finance, union=union, month=_m(3), paid={steady.pk: None, joiner.pk: None}
        )
        services.month_record(actor=finance, union=union, month=_m(4), paid={joiner.pk: None})

        # January is the first month recorded; June is still being collected
        with CaptureQueriesContext(connection) as queries:
            owed = _owed(union)
        assert len(queries) == 3  # the start, the rate, the arrears: whatever the members and months
        assert owed == {
            steady.pk: ((_m(2), _m(4), _m(5)), D("130.00"), 0),  # 40 + 45 + 45
            joiner.pk: ((_m(5),), D("30.00"), 0),  # joined in March, paid March and April
            leaver.pk: ((_m(1), _m(2)), D("0"), 2),  # left in February, no wage
        }
        total = selectors.arrears_total(
            selectors.arrears(
                union,
                selectors.rate_for(union),
                today=selectors.today_of(union),
                start=selectors.start_of(union),
            )
        )
        assert (total.members, total.months, total.amount, total.without_wage) == (3, 6, D("160.00"), 2)

        # the union records dues from March: the months before are not arrears
        services.settings_set(actor=finance, union=union, kind=INHERIT, recorded_from=_m(3))
        assert _owed(union) == {
            steady.pk: ((_m(4), _m(5)), D("90.00"), 0),
            joiner.pk: ((_m(5),), D("30.00"), 0),
        }

    with time_machine.travel(at(2026, 7, 1, 0, 30), tick=False):  # June has ended in Shanghai
        owed = _owed(union)
        assert owed[steady.pk][0] == (_m(4), _m(5), _m(6)) and owed[joiner.pk][1] == D("60.00")


def test_month_ranges_show_consecutive_months_as_one():
    months = (_m(1), _m(2), _m(3), _m(5), datetime.date(2026, 12, 1), datetime.date(2027, 1, 1))
    assert selectors.month_ranges(months) == ["2026-01–2026-03", "2026-05", "2026-12–2027-01"]  # noqa: RUF001
