"""The API's holder decision and expenditure request (issue 32, S3.1, S5.3), as their pages do them
(tests/expenditure/test_expenditure_pages.py): the same outcome in the database, the outsider refused,
bad input 400 in the one JSON error shape, in the user's language."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Event
from tests.expenditure.conftest import finance, in_december_2026, new_request, sent_request  # noqa: F401
from tests.scenarios import open_item
from workflows.expenditure.models import ExpenditureRequest, ExpenditureStatus

pytestmark = pytest.mark.django_db


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data=None):
    return client.post(url, data or {}, content_type="application/json")


def error(response) -> dict:
    body = response.json()["error"]
    assert body["status"] == response.status_code and body["message"]
    return body


def decide(item) -> str:
    return reverse("api:work_item_decision", args=[item.pk])


def create(union) -> str:
    return reverse("api:expenditure_request_create", args=[union.pk])


def _new(**overrides) -> dict:
    return {
        "account": "50101",
        "amount": "3000.00",
        "purpose": "职工春季健步走活动",
        "activity_date": "2026-12-20",
    } | (overrides)


def test_s5_3_the_holders_decide_through_the_api_as_on_the_decision_page(cast, finance, sent_request):  # noqa: F811
    request = sent_request("3000.00")
    check = open_item(request, "finance_check")
    # only the holder: the chair, the outsider and a bad outcome are refused, nothing recorded
    assert error(post(as_(cast.chair), decide(check), {"outcome": "approve"}))["status"] == 403
    assert error(post(as_(cast.outsider), decide(check), {"outcome": "approve"}))["status"] == 403
    assert "outcome" in error(post(as_(finance), decide(check), {"outcome": "maybe"}))["fields"]
    assert error(post(as_(finance), reverse("api:work_item_decision", args=[2**31 - 1]), {}))["status"] == 404
    response = post(as_(finance), decide(check), {"outcome": "approve"})
    assert response.status_code == 200, response.content
    assert response.json()["document"]["status"] == ExpenditureStatus.CHAIR_APPROVAL
    assert [s["step"] for s in response.json()["document"]["open_steps"]] == ["chair_approval"]
    assert error(post(as_(finance), decide(check), {"outcome": "approve"}))["status"] == 409
    approval = open_item(request, "chair_approval")
    chair = as_(cast.chair)
    refused = post(chair, decide(approval), {"outcome": "return"})  # a return needs opinions
    assert refused.status_code == 400 and "退回" in error(refused)["fields"]["non_field_errors"][0]
    assert post(chair, decide(approval), {"outcome": "approve", "opinion": "同意"}).status_code == 200
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.APPROVED


def test_s3_1_a_request_is_created_and_sent_in_one_call(cast, finance, budget_in_force):  # noqa: F811
    response = post(as_(cast.office), create(cast.union), _new())
    assert response.status_code == 201, response.content
    created = ExpenditureRequest.objects.get()
    assert response.json()["id"] == created.pk and created.status == ExpenditureStatus.FINANCE_CHECK
    assert created.drafter == cast.office and created.amount == D("3000.00")
    assert [s["step"] for s in response.json()["open_steps"]] == ["finance_check"]
    assert open_item(created, "finance_check").assignee == finance


BAD_INPUT = [
    ("amount", "0", "金额必须大于零"),
    ("amount", "12.345", "2"),
    ("amount", "abc", "数"),
    ("account", "50103", "不得预算外支出"),  # off the budget: refused as the page refuses a forged line
    ("activity_date", "soon", "日期"),
    ("countersigner", "x", "整数"),
]


def test_bad_input_is_400_in_chinese_and_nothing_is_kept(cast, finance, budget_in_force):  # noqa: F811
    office = as_(cast.office)
    for field, value, told in BAD_INPUT:
        response = post(office, create(cast.union), _new(**{field: value}))
        assert response.status_code == 400, (field, value)
        assert told in " ".join(error(response)["fields"][field]), response.json()
    assert not ExpenditureRequest.objects.exists()


def test_s3_1_above_the_remaining_amount_is_refused_and_the_refusal_kept(cast, finance, budget_in_force):  # noqa: F811
    response = post(as_(cast.office), create(cast.union), _new(account="50502", amount="60000.01"))
    assert response.status_code == 400
    assert "60,000.00" in error(response)["fields"]["non_field_errors"][0]
    assert not ExpenditureRequest.objects.exists()
    assert Event.objects.filter(verb="action_refused", actor=cast.office).exists()


def test_the_outsider_and_a_missing_union_get_404(cast, finance, budget_in_force, sibling):  # noqa: F811
    assert error(post(as_(cast.outsider), create(cast.union), _new()))["status"] == 404
    assert error(post(as_(sibling), create(cast.union), _new()))["status"] == 404
    assert (
        error(post(as_(cast.office), reverse("api:expenditure_request_create", args=[2**31 - 1]), _new()))[
            "status"
        ]
        == 404
    )
    assert not ExpenditureRequest.objects.exists()


def test_a_payee_row_without_a_name_is_told_as_plain_sentences(cast, finance, budget_in_force):  # noqa: F811
    response = post(as_(cast.office), create(cast.union), _new(payees=[{"amount": "3000.00"}, "x"]))
    fields = error(response)["fields"]
    assert response.status_code == 400 and all(isinstance(m, str) for m in fields["payees"]), fields
    assert not ExpenditureRequest.objects.exists()
