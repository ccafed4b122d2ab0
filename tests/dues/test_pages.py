"""The dues pages: who sees them (officers and supervisors above read, the finance officer and office
staff record, every other union's people get 404), the basic wages form, the arrears page and its
export, and a bounded number of queries with 3 and with 60 members."""

from __future__ import annotations

import datetime
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Event, Role
from tests.factories import UserFactory, seated
from tests.pages import content, shown
from workflows.dues import errors, services
from workflows.dues import urls as dues_urls
from workflows.dues.models import BasicWage, DuesPayment, DuesStart

pytestmark = pytest.mark.django_db
NOV = datetime.date(2026, 11, 1)


def _urls(union) -> dict[str, str]:
    pk = union.pk
    return {
        "overview": reverse("dues:overview", args=[pk]),
        "settings": reverse("dues:settings", args=[pk]),
        "month": reverse("dues:month", args=[pk, 2026, 11]),
        "arrears": reverse("dues:arrears", args=[pk]),
        "arrears_export": reverse("dues:arrears_export", args=[pk]),
        "wages": reverse("dues:wages", args=[pk]),
    }


def test_every_dues_page_refuses_other_unions_and_lets_readers_read(cast, tree, login, supervisor_of, enrol):
    (member,) = enrol(1, wage="8000.00")
    urls = _urls(cast.union)
    assert set(urls) == {p.name for p in dues_urls.urlpatterns}  # every page of the app
    outsiders = [
        cast.outsider,  # b1's chair
        seated(tree["b1"], Role.FINANCE_OFFICER),
        seated(tree["a2"], Role.FINANCE_OFFICER),  # a sibling under the same department
        supervisor_of(tree["dept_b"]),  # a supervisor of another department
        UserFactory(),  # no seat at all
    ]
    body = {
        "paid": [member.pk],
        "kind": "percent",
        "percent": "1",
        f"wage-{member.pk}": "9000",
        "applies_from": "2026-11",
    }
    for person in outsiders:
        client = login(person)
        for name, url in urls.items():
            if name != "settings":
                assert client.get(url).status_code == 404, (person, name)
            assert client.post(url, body).status_code in (404, 405), (person, name)
    # the chair (an officer) and a supervisor above read every page and record nothing
    for reader in (cast.chair, supervisor_of(tree["dept_a"])):
        client = login(reader)
        for name, url in urls.items():
            if name != "settings":
                assert client.get(url).status_code == 200, (reader, name)
            if name not in ("arrears", "arrears_export", "overview"):
                assert client.post(url, body).status_code == 403, (reader, name)
    assert not DuesPayment.objects.exists() and BasicWage.objects.get().amount == D("8000.00")
    assert Event.objects.filter(verb="access_denied").count() >= 5 * 6


def test_basic_wages_are_entered_in_bulk_and_bad_ones_refused_with_the_input_kept(
    cast, tree, login, finance, enrol
):
    members = enrol(3)
    (elsewhere,) = enrol(1, union=tree["a2"], start=9)
    client = login(finance)
    url = reverse("dues:wages", args=[cast.union.pk])
    page = content(client.get(url))
    assert page.count("未录入") >= 3 and 'data-testid="without-wage"' in page

    # bad input: every problem at once, nothing written, what was typed kept
    bad = {
        "applies_from": "2026-11",
        f"wage-{members[0].pk}": "0",
        f"wage-{members[1].pk}": "2000000",
        f"wage-{members[2].pk}": "8,800",
    }
    response = client.post(url, bad)
    page = content(response)
    assert response.status_code == 400
    assert shown(errors.WAGE_NOT_POSITIVE, name="会员000") in page
    assert shown(errors.WAGE_TOO_LARGE, name="会员001", amount="2,000,000.00", max="1,000,000.00") in page
    assert 'value="2000000"' in page and 'value="8,800"' in page and 'value="2026-11"' in page
    assert not BasicWage.objects.exists()
    for data, told in [
        ({"applies_from": "2027-01", f"wage-{members[0].pk}": "8000"}, shown(errors.WAGE_MONTH_IN_FUTURE)),
        ({"applies_from": "2026-11"}, shown(errors.WAGES_NOTHING)),
        ({"applies_from": "11/2026", f"wage-{members[0].pk}": "8000"}, shown(errors.MONTH_INVALID)),
        ({"applies_from": "2026-11", f"wage-{members[0].pk}": "-8000"}, "金额不能为负数"),
        (
            {"applies_from": "2026-11", f"wage-{elsewhere.pk}": "8000"},
            shown(errors.WAGE_MEMBER_NOT_IN_UNION, month="2026-11"),
        ),
    ]:
        response = client.post(url, data)
        assert response.status_code == 400 and told in content(response), data
    assert not BasicWage.objects.exists()

    # entered: empty boxes keep the wage; the same month again corrects it
    client.post(
        url, {"applies_from": "2026-10", f"wage-{members[0].pk}": "8000", f"wage-{members[1].pk}": "7,000.50"}
    )
    response = client.post(url, {"applies_from": "2026-10", f"wage-{members[1].pk}": "7200"})
    assert response.status_code == 302
    assert sorted(BasicWage.objects.values_list("member_id", "applies_from", "amount")) == [
        (members[0].pk, datetime.date(2026, 10, 1), D("8000.00")),
        (members[1].pk, datetime.date(2026, 10, 1), D("7200.00")),
    ]
    page = content(client.get(url))
    assert "8,000.00" in page and "7,200.00" in page and "2026-10" in page
    # the month page now knows their dues (0.5 %), and still not the third member's
    month = content(client.get(reverse("dues:month", args=[cast.union.pk, 2026, 11])))
    assert 'data-testid="due">40.00' in month and 'data-testid="due">36.00' in month and "未录入" in month


def test_arrears_page_and_export_list_members_with_totals(cast, login, finance, enrol):
    members = enrol(2, wage="8000.00")
    DuesStart.objects.create(union=cast.union, recorded_from=datetime.date(2026, 9, 1))
    services.month_record(
        actor=finance, union=cast.union, month=datetime.date(2026, 10, 1), paid={members[0].pk: None}
    )
    client = login(cast.chair)

    page = content(client.get(reverse("dues:arrears", args=[cast.union.pk])))

    row = page[page.find(f'data-testid="arrears-{members[1].pk}"') :][:800]
    assert "2026-09–2026-11" in row and 'data-testid="count">3' in row and "120.00" in row  # noqa: RUF001
    row = page[page.find(f'data-testid="arrears-{members[0].pk}"') :][:800]
    assert "2026-09, 2026-11" in row and "80.00" in row
    total = page[page.find('data-testid="arrears-total"') :][:400]
    assert "2 名会员" in total and "200.00" in total

    response = client.get(reverse("dues:arrears_export", args=[cast.union.pk]))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].endswith("会费欠缴明细（2026-09至2026-11）")
    assert rows[2][:5] == (f"{cast.union.code}-0000", "会员000", "2026-09、2026-11", 2, 80)
    assert rows[-1][3:5] == (5, 200)

    overview = content(client.get(reverse("dues:overview", args=[cast.union.pk])))
    summary = overview[overview.find('data-testid="arrears-summary"') :][:800]
    assert "2 名会员" in summary and "200.00" in summary


@pytest.mark.parametrize("size", [3, 60])
def test_dues_pages_take_a_bounded_number_of_queries(
    cast, login, finance, enrol, size, django_assert_max_num_queries
):
    members = enrol(size, wage="8000.00")
    DuesStart.objects.create(union=cast.union, recorded_from=datetime.date(2026, 1, 1))
    for month in (9, 10, 11):
        paid = {m.pk: None for m in members[month % 2 :: 2]}
        services.month_record(actor=finance, union=cast.union, month=datetime.date(2026, month, 1), paid=paid)
    client = login(finance)
    urls = _urls(cast.union)
    del urls["settings"]
    for name, url in urls.items():
        with django_assert_max_num_queries(18):  # 17 on the overview, whatever the size
            response = client.get(url)
        assert response.status_code == 200, name
    with django_assert_max_num_queries(25):  # the whole month saved, its increase posted: 23
        response = client.post(urls["month"], {"all_paid": "1"})
    assert response.status_code == 302
    assert DuesPayment.objects.filter(month=NOV).count() == size
    with django_assert_max_num_queries(14):
        response = client.post(
            urls["wages"], {"applies_from": "2026-11", **{f"wage-{m.pk}": "9000" for m in members}}
        )
    assert response.status_code == 302 and BasicWage.objects.filter(amount=D("9000")).count() == size
