"""The dues rule as data, nearest wins (the union's own row, its parent's, the provincial default, the
built-in 0.5 % of the basic wage), a fixed monthly amount, and the union's own settings."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import Event
from tests.pages import content, shown
from workflows.dues import errors, selectors, services
from workflows.dues.models import DuesRule, DuesStart, RateKind

pytestmark = pytest.mark.django_db
DEC = datetime.date(2026, 12, 1)


def test_dues_rule_nearest_wins_down_to_the_built_in_half_per_cent(cast, tree, enrol):
    a1, b1 = cast.union, tree["b1"]
    assert selectors.rate_for(a1) == selectors.BUILT_IN
    assert (selectors.BUILT_IN.percent, selectors.BUILT_IN.source) == (D("0.5"), "built_in")

    DuesRule.objects.create(union=None, kind=RateKind.PERCENT, percent=D("1.00"))
    DuesRule.objects.create(union=tree["dept_a"], kind=RateKind.FIXED, fixed_amount=D("20.00"))
    assert (selectors.rate_for(b1).percent, selectors.rate_for(b1).source) == (D("1.00"), "default")
    parent = selectors.rate_for(a1)
    assert (parent.kind, parent.fixed_amount, parent.source) == (RateKind.FIXED, D("20.00"), "parent")

    DuesRule.objects.create(union=a1, kind=RateKind.PERCENT, percent=D("0.50"))
    own = selectors.rate_for(a1)
    assert (own.kind, own.percent, own.source) == (RateKind.PERCENT, D("0.50"), "own")

    # the share of the wage to the fen, half up, the same in Python and in the member-month SQL
    (member,) = enrol(1, wage="8123.00")
    assert own.due(D("8123.00")) == D("40.62")  # 40.615
    (row,) = selectors.month_rows(a1, DEC, own)
    assert (row.member_id, row.wage, row.due, row.paid) == (member.pk, D("8123.00"), D("40.62"), None)


def test_fixed_amount_needs_no_wage_and_all_paid_records_it(cast, tree, enrol, finance, login):
    DuesRule.objects.create(union=tree["dept_a"], kind=RateKind.FIXED, fixed_amount=D("15.00"))
    members = enrol(3)  # no wages entered
    rows = selectors.month_rows(cast.union, DEC, selectors.rate_for(cast.union))
    assert [r.due for r in rows] == [D("15.00")] * 3

    response = login(finance).post(reverse("dues:month", args=[cast.union.pk, 2026, 12]), {"all_paid": "1"})

    assert response.status_code == 302
    rows = selectors.month_rows(cast.union, DEC, selectors.rate_for(cast.union))
    assert [(r.member_id, r.paid) for r in rows] == [(m.pk, D("15.00")) for m in members]


def test_union_sets_its_own_rule_and_start_then_inherits_again(cast, tree, finance, login):
    client = login(finance)
    url = reverse("dues:settings", args=[cast.union.pk])

    response = client.post(url, {"kind": "fixed", "fixed_amount": "12.50", "recorded_from": "2026-03"})

    assert response.status_code == 302
    rate = selectors.rate_for(cast.union)
    assert (rate.kind, rate.fixed_amount, rate.source) == (RateKind.FIXED, D("12.50"), "own")
    assert DuesStart.objects.get(union=cast.union).recorded_from == datetime.date(2026, 3, 1)
    page = content(client.get(reverse("dues:overview", args=[cast.union.pk])))
    assert "每名会员每月 12.50 元" in page and "2026-03" in page
    assert Event.objects.filter(verb="dues_settings_set", actor=finance).count() == 1

    client.post(url, {"kind": "inherit", "percent": "", "fixed_amount": "", "recorded_from": ""})
    assert selectors.rate_for(cast.union) == selectors.BUILT_IN
    assert not DuesStart.objects.filter(union=cast.union).exists()


@pytest.mark.parametrize(
    ("data", "told"),
    [
        ({"kind": "percent", "percent": "20"}, shown(errors.RULE_PERCENT, max=services.PERCENT_MAX)),
        ({"kind": "percent", "percent": "0"}, shown(errors.RULE_PERCENT, max=services.PERCENT_MAX)),
        ({"kind": "fixed", "fixed_amount": "-3"}, "金额不能为负数"),
        ({"kind": "fixed", "fixed_amount": "9000"}, shown(errors.RULE_FIXED, max="5,000.00")),
        ({"kind": "percent", "percent": "0.5", "recorded_from": "2027-01"}, shown(errors.START_IN_FUTURE)),
        ({"kind": "percent", "percent": "0.5", "recorded_from": "2026-13"}, shown(errors.MONTH_INVALID)),
    ],
    ids=["percent-20", "percent-0", "fixed-negative", "fixed-9000", "start-future", "start-2026-13"],
)
def test_bad_settings_are_refused_with_the_input_kept(cast, finance, login, data, told):
    response = login(finance).post(reverse("dues:settings", args=[cast.union.pk]), data)
    page = content(response)
    assert response.status_code == 400
    assert told in page, page[page.find("problems") : page.find("problems") + 800]
    for value in data.values():
        assert f'value="{value}"' in page
    assert not DuesRule.objects.exists() and not DuesStart.objects.exists()


def test_only_the_finance_officer_and_office_staff_set_the_rule(cast):
    with pytest.raises(PermissionDenied):
        services.settings_set(actor=cast.chair, union=cast.union, kind="percent", percent=D("1"))
    with pytest.raises(ValidationError):
        services.settings_set(actor=cast.office, union=cast.union, kind="percent", percent=None)
