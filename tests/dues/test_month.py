"""A month's collection recorded by the finance officer, end to end: the payments, the income on account
401 of the budget in force (posted by its increases, so saving again posts nothing), a month whose year
has no budget in force (recorded all the same, the page says why the ledger was not updated), and every
bad input refused in Chinese with what was typed kept."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from core.models import Event
from tests.pages import content, shown
from workflows.dues import errors
from workflows.dues.models import DuesMonth, DuesPayment, DuesPosting
from workflows.expenditure import errors_income
from workflows.expenditure.income import income_ledger
from workflows.expenditure.models import IncomeRecord

pytestmark = pytest.mark.django_db


def _url(union, year=2026, month=11):
    return reverse("dues:month", args=[union.pk, year, month])


def _received_401(union, year=2026) -> D:
    (figures,) = [f for line, f in income_ledger(union.pk, year) if line.account_id == "401"]
    return figures.received


def test_a_month_recorded_end_to_end_puts_its_dues_on_account_401(
    cast, login, budget_in_force, finance, enrol
):
    members = enrol(3, wage="8000.00")  # dues 40.00 each
    client = login(finance)
    page = content(client.get(_url(cast.union)))
    assert page.count('data-testid="due">40.00') == 3 and "120.00" in page

    # when: two pay, one of them a little more than due
    data = {"paid": [members[0].pk, members[1].pk], f"amount-{members[1].pk}": "45.50"}
    response = client.post(_url(cast.union), data)

    # then: the payments, one income record of 85.50 on 401 dated the month's last day, its posting
    assert response.status_code == 302 and response["Location"] == _url(cast.union)
    month = DuesMonth.objects.get(union=cast.union, month=datetime.date(2026, 11, 1))
    assert sorted(DuesPayment.objects.filter(dues_month=month).values_list("member_id", "amount", "due")) == [
        (members[0].pk, D("40.00"), D("40.00")),
        (members[1].pk, D("45.50"), D("40.00")),
    ]
    income = IncomeRecord.objects.get()
    expected = ("401", D("85.50"), datetime.date(2026, 11, 30), 2026)
    assert (income.account_id, income.amount, income.received_on, income.year) == expected
    assert income.note == "2026-11 会费" and income.recorded_by == finance
    assert DuesPosting.objects.get().income == income
    assert _received_401(cast.union) == D("85.50")
    event = Event.objects.get(verb="dues_month_recorded")
    assert event.detail["paid"] == 2 and event.detail["posted"] == "85.50"
    page = content(client.get(_url(cast.union)))
    assert "已收取 85.50 元" in page and "85.50 元已作为会费收入记入预算台账" in page

    # saving the same collection again posts nothing; the third member paying posts the increase
    client.post(_url(cast.union), data)
    assert IncomeRecord.objects.count() == 1
    client.post(_url(cast.union), {**data, "paid": [m.pk for m in members]})
    assert sorted(IncomeRecord.objects.values_list("amount", flat=True)) == [D("40.00"), D("85.50")]
    assert _received_401(cast.union) == D("125.50")

    # a payment taken back cannot take income back: the page shows the excess
    client.post(_url(cast.union), {"paid": [members[0].pk]})
    assert IncomeRecord.objects.count() == 2 and DuesPayment.objects.count() == 1
    page = content(client.get(_url(cast.union)))
    assert 'data-testid="ledger-excess"' in page and "85.50" in page

    # the overview: November collected 40.00, 125.50 in the ledger
    overview = content(client.get(reverse("dues:overview", args=[cast.union.pk])))
    row = overview[overview.find('data-testid="month-2026-11"') :][:900]
    assert 'data-testid="collected">40.00' in row and 'data-testid="posted">125.50' in row


def test_a_month_without_a_budget_in_force_is_recorded_and_the_page_says_why(cast, login, finance, enrol):
    enrol(3, wage="8000.00")
    client = login(finance)

    response = client.post(_url(cast.union), {"all_paid": "1"})

    assert response.status_code == 302
    assert DuesPayment.objects.filter(month=datetime.date(2026, 11, 1)).count() == 3
    assert not IncomeRecord.objects.exists() and not DuesPosting.objects.exists()
    assert Event.objects.get(verb="dues_month_recorded").detail["ledger_problems"]
    page = content(client.get(_url(cast.union)))
    assert 'data-testid="ledger-problems"' in page and "有 120.00 元未能记入预算台账" in page
    assert shown(errors_income.NO_BUDGET, union=cast.union.name, year=2026) in page
    overview = content(client.get(reverse("dues:overview", args=[cast.union.pk])))
    assert "120.00 元尚未记入台账" in overview


def test_chair_and_supervisor_read_the_month_but_do_not_record_it(cast, login, supervisor_of, tree, enrol):
    (member,) = enrol(1, wage="8000.00")
    for reader in (cast.chair, supervisor_of(tree["dept_a"])):
        client = login(reader)
        page = content(client.get(_url(cast.union)))
        assert "会员000" in page and 'data-testid="save"' not in page
        assert client.post(_url(cast.union), {"paid": [member.pk]}).status_code == 403
    assert not DuesPayment.objects.exists()


@pytest.mark.parametrize(
    ("case", "told"),
    [
        ("negative", "金额不能为负数"),
        ("zero", shown(errors.AMOUNT_NOT_POSITIVE, name="会员000")),
        ("fen", "金额最多保留两位小数"),
        ("absurd", shown(errors.AMOUNT_ABSURD, name="会员000", amount="4,000.00", times=10, due="40.00")),
        ("huge", shown(errors.AMOUNT_TOO_LARGE, name="会员000", amount="9,000.00", max="5,000.00")),
        ("outsider", shown(errors.MEMBER_NOT_IN_UNION, month="2026-11")),
        ("left", shown(errors.MEMBER_NOT_IN_UNION, month="2026-11")),
        ("no wage", shown(errors.WAGE_MISSING, names="无工资001", percent="0.5")),
        ("future", shown(errors.MONTH_IN_FUTURE, month="2027-01")),
    ],
    ids=["negative", "zero", "fen", "absurd", "huge", "outsider", "left", "no-wage", "future"],
)
def test_bad_collection_is_refused_with_the_input_kept(cast, tree, login, finance, enrol, case, told):
    (member,) = enrol(1, wage="8000.00")
    (unwaged,) = enrol(1, start=1, name="无工资")
    (elsewhere,) = enrol(1, union=tree["a2"], start=7)
    (gone,) = enrol(
        1, start=2, wage="8000", joined_on=datetime.date(2020, 1, 1), left_on=datetime.date(2026, 10, 31)
    )
    typed = {"negative": "-5", "zero": "0", "fen": "40.005", "absurd": "4000", "huge": "9000"}
    data = {"paid": [member.pk], f"amount-{member.pk}": typed.get(case, "39.80")}
    extra = {"outsider": elsewhere, "left": gone, "no wage": unwaged}
    if case in extra:
        data["paid"].append(extra[case].pk)
    url = _url(cast.union, 2027, 1) if case == "future" else _url(cast.union)

    response = login(finance).post(url, data)

    page = content(response)
    assert response.status_code == 400
    assert told in page, page[page.find("problems") : page.find("problems") + 800]
    if case != "future":  # the page of a month to come shows no form
        assert f'value="{data[f"amount-{member.pk}"]}"' in page
        assert f'value="{member.pk}" id="paid-{member.pk}" checked' in page
    assert not DuesPayment.objects.exists() and not DuesMonth.objects.exists()
    refusal = Event.objects.get(verb="action_refused", union=cast.union)
    assert refusal.actor_id == finance.pk and refusal.detail["reason"] == "dues month refused"
