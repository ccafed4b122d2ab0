"""The expenditure pages (S3.1, S5.3): the list with the ledger, a new request with its bad input kept,
the request's page with its route and line, the holder's decision page, payment; outsiders refused."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Event
from tests.pages import content
from tests.scenarios import open_item
from workflows.expenditure.models import ExpenditureRequest, ExpenditureStatus, LedgerLine

pytestmark = pytest.mark.django_db


def _new_data(**overrides):
    data = {
        "account": "50101",
        "amount": "3000.00",
        "purpose": "职工春季健步走活动",
        "activity_date": "2026-12-20",
    }
    data.update(overrides)
    return data


def test_the_list_shows_the_ledger_of_the_budget_in_force_in_bounded_queries(
    cast, login, budget_in_force, finance
):
    client = login(cast.office)
    client.get(reverse("expenditure:list", args=[cast.union.pk]))
    with CaptureQueriesContext(connection) as queries:
        page = content(client.get(reverse("expenditure:list", args=[cast.union.pk])))
    assert len(queries) <= 12, len(queries)
    assert 'data-testid="ledger-50101"' in page and "150,000.00" in page
    assert "a1-office" not in page


def test_s3_1_a_new_request_is_saved_and_shows_its_route_before_it_is_sent(
    cast, login, budget_in_force, finance
):
    client = login(cast.office)
    response = client.post(reverse("expenditure:new", args=[cast.union.pk]), _new_data())
    created = ExpenditureRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "expenditure:detail", args=[created.pk]
    )
    page = content(client.get(response["Location"]))
    assert "财务审核，主席审批" in page  # the route, before it is sent
    assert "150,000.00" in page  # the line now
    client.post(reverse("expenditure:submit", args=[created.pk]))
    created.refresh_from_db()
    assert created.status == ExpenditureStatus.FINANCE_CHECK


@pytest.mark.parametrize(
    ("field", "value", "told"),
    [
        ("amount", "0", "金额必须大于零"),
        ("amount", "12.345", "两位小数"),
        ("amount", "abc", "不是"),
        ("account", "50103", "不得预算外支出"),  # off the budget: not offered, refused if forged
    ],
)
def test_bad_input_is_refused_in_chinese_and_what_was_typed_is_kept(
    cast, login, budget_in_force, finance, field, value, told
):
    client = login(cast.office)
    response = client.post(reverse("expenditure:new", args=[cast.union.pk]), _new_data(**{field: value}))
    page = content(response)
    assert response.status_code == 200
    assert told in page, page[page.find("problems") : page.find("problems") + 400]
    assert "职工春季健步走活动" in page  # the purpose typed is still there
    assert not ExpenditureRequest.objects.exists()


def test_s3_1_a_request_above_the_remaining_amount_is_refused_with_the_figures_and_an_event(
    cast, login, budget_in_force, finance
):
    client = login(cast.office)
    client.post(
        reverse("expenditure:new", args=[cast.union.pk]), _new_data(account="50502", amount="60000.01")
    )
    created = ExpenditureRequest.objects.get()
    response = client.post(reverse("expenditure:submit", args=[created.pk]), follow=True)
    page = content(response)
    assert "60,000.01" in page and "余额 60,000.00 元" in page
    assert Event.objects.filter(verb="action_refused", union=cast.union).exists()
    created.refresh_from_db()
    assert created.status == ExpenditureStatus.DRAFT


def test_the_holders_decide_from_the_request_page_and_the_finance_officer_pays_there(
    cast, login, finance, sent_request
):
    request = sent_request("3000.00")
    check = open_item(request, "finance_check")
    client = login(finance)
    page = content(client.get(reverse("expenditure:detail", args=[request.pk])))
    decide = reverse("workflows:personal_decision", args=[check.pk])
    assert decide in page  # the action one tap away on the document
    response = client.post(decide, {"resolution": "approve", "opinions": ""})
    assert response["Location"] == reverse("expenditure:detail", args=[request.pk])
    chair = login(cast.chair)
    approval = open_item(request, "chair_approval")
    # a return needs opinions: refused, the page kept
    refused = chair.post(reverse("workflows:personal_decision", args=[approval.pk]), {"resolution": "return"})
    assert refused.status_code == 400 and "退回" in content(refused)
    chair.post(reverse("workflows:personal_decision", args=[approval.pk]), {"resolution": "approve"})
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.APPROVED
    pay_page = content(login(finance).get(reverse("expenditure:detail", args=[request.pk])))
    assert 'data-testid="payment-form"' in pay_page
    bad = client.post(
        reverse("expenditure:pay", args=[request.pk]),
        {"paid_on": "2026-12-01", "voucher_number": " ", "method": "transfer"},
    )
    assert bad.status_code == 400
    client.post(
        reverse("expenditure:pay", args=[request.pk]),
        {"paid_on": "2026-12-01", "voucher_number": "记-031", "method": "transfer"},
    )
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.PAID
    assert LedgerLine.objects.get(union=cast.union, account_id="50101").paid == D("3000.00")


def test_only_the_holder_decides_and_nobody_their_own_request(cast, login, finance, sent_request):
    request = sent_request("3000.00")
    check = open_item(request, "finance_check")
    url = reverse("workflows:personal_decision", args=[check.pk])
    assert login(cast.chair).post(url, {"resolution": "approve"}).status_code == 403
    assert login(cast.office).get(url).status_code == 403
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.FINANCE_CHECK


def test_every_expenditure_page_refuses_an_outsider(cast, login, finance, sent_request):
    request = sent_request("3000.00")
    check = open_item(request, "finance_check")
    client = login(cast.outsider)
    for url in (
        reverse("expenditure:list", args=[cast.union.pk]),
        reverse("expenditure:new", args=[cast.union.pk]),
        reverse("expenditure:detail", args=[request.pk]),
        reverse("expenditure:edit", args=[request.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("expenditure:submit", args=[request.pk]),
        reverse("expenditure:pay", args=[request.pk]),
    ):
        assert client.post(url, {}).status_code == 404, url
    assert (
        client.post(
            reverse("workflows:personal_decision", args=[check.pk]), {"resolution": "approve"}
        ).status_code
        == 403
    )


def test_a_sibling_is_refused_and_the_supervisor_above_reads_without_acting(
    cast, login, finance, sent_request, sibling, supervisor_of, tree
):
    request = sent_request("3000.00")
    check = open_item(request, "finance_check")
    detail = reverse("expenditure:detail", args=[request.pk])
    assert login(sibling).get(detail).status_code == 404
    supervisor = login(supervisor_of(tree["dept_a"]))
    page = content(supervisor.get(detail))
    assert request.title in page and 'data-testid="payment-form"' not in page
    assert 'data-testid="submit"' not in page and 'data-testid="document-actions"' not in page
    assert (
        supervisor.post(
            reverse("workflows:personal_decision", args=[check.pk]), {"resolution": "approve"}
        ).status_code
        == 403
    )
    assert supervisor.get(reverse("expenditure:new", args=[cast.union.pk])).status_code == 403
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.FINANCE_CHECK
