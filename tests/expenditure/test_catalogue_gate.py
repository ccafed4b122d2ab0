"""S1.3, the catalogue gate on major expenditure: a request marked major whose route does not include the
Party organisation is sent only on an agreed request for instructions (请示) on the matter, used once; a
route with the Party organisation's approval, or a union whose catalogue makes the matter a report, needs
none. The kinds whose chain has a Party step say which matter their step covers."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.pages import content
from tests.scenarios import open_item
from workflows.expenditure.models import ExpenditureRequest, ExpenditureRule, ExpenditureStatus
from workflows.expenditure.services import request_submit
from workflows.models import DocumentType, Resolution
from workflows.party import errors as party_errors
from workflows.party import selectors as party_selectors
from workflows.party.models import CatalogueItem, Matter
from workflows.services.personal import personal_decide

pytestmark = pytest.mark.django_db

NEEDS_REQUEST = "请示报告目录规定“重大经费支出”须事先请示"


def _refusal(cast, request) -> str:
    with pytest.raises(ValidationError) as refused:
        request_submit(actor=cast.office, request=request)
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.DRAFT
    return " ".join(refused.value.messages)


def test_S1_3_a_major_expenditure_without_a_request_for_instructions_is_refused_naming_the_item(
    cast, new_request
):
    request = new_request("3000.00", major=True)
    assert NEEDS_REQUEST in _refusal(cast, request)
    # the same amount not marked major goes its way: the gate is on the matter, not the amount
    plain = new_request("3000.00")
    request_submit(actor=cast.office, request=plain)
    assert plain.status == ExpenditureStatus.FINANCE_CHECK


def test_S1_3_an_agreed_request_lets_one_major_expenditure_start_and_is_used_up(
    cast, new_request, sent_request, agreed_instruction
):
    agreed = agreed_instruction()
    first = sent_request("3000.00", major=True, instruction=agreed)
    assert first.status == ExpenditureStatus.FINANCE_CHECK and not first.with_party
    agreed.refresh_from_db()
    assert (agreed.used_by_type, agreed.used_by_id) == (DocumentType.EXPENDITURE, first.pk)
    assert not party_selectors.agreed_requests(cast.union.pk, Matter.MAJOR_EXPENDITURE).exists()
    second = new_request("2000.00", major=True, instruction=agreed)
    assert str(party_errors.GATE_REQUEST_USED) in _refusal(cast, second)


def test_S1_3_a_request_not_agreed_or_not_yet_replied_does_not_open_the_gate(
    cast, new_request, agreed_instruction
):
    refused = agreed_instruction(Resolution.RETURN, title="关于购置活动器材的请示")
    request = new_request("3000.00", major=True, instruction=refused)
    assert str(party_errors.GATE_REQUEST_NOT_AGREED) in _refusal(cast, request)
    refused.refresh_from_db()
    assert refused.used_by_id is None


def test_S1_3_a_major_expenditure_returned_and_sent_again_keeps_its_request(
    cast, finance, sent_request, agreed_instruction
):
    agreed = agreed_instruction()
    request = sent_request("3000.00", major=True, instruction=agreed)
    personal_decide(
        work_item=open_item(request, "finance_check"),
        actor=finance,
        resolution=Resolution.RETURN,
        opinions="请补充报价单",
    )
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.RETURNED
    request_submit(actor=cast.office, request=request)
    assert request.status == ExpenditureStatus.FINANCE_CHECK and request.instruction_id == agreed.pk


def test_S1_3_a_route_with_the_party_organisations_approval_is_covered_by_its_chain(
    cast, sent_request, agreed_instruction
):
    ExpenditureRule.objects.create(union=cast.union, party_above=D("50.00"))
    request = sent_request("100.00", major=True)
    assert request.with_party and request.status == ExpenditureStatus.FINANCE_CHECK
    # a request chosen anyway is left for another use: the route's own Party step is the request
    agreed = agreed_instruction()
    covered = sent_request("200.00", major=True, instruction=agreed)
    assert covered.instruction_id is None
    agreed.refresh_from_db()
    assert agreed.used_by_id is None


@pytest.mark.parametrize("override", [{"kind": "report"}, {"kind": "request", "active": False}])
def test_S1_3_where_the_unions_catalogue_makes_it_a_report_or_switches_it_off_no_request_is_needed(
    cast, sent_request, override
):
    CatalogueItem.objects.create(
        union=cast.union, matter=Matter.MAJOR_EXPENDITURE, title="重大经费支出", **override
    )
    request = sent_request("3000.00", major=True)
    assert request.status == ExpenditureStatus.FINANCE_CHECK


def test_S1_3_the_catalogue_says_which_chains_cover_their_matter():
    plan = party_selectors.covered_note(Matter.ANNUAL_PLAN)
    budget = party_selectors.covered_note(Matter.BUDGET)
    expenditure = party_selectors.covered_note(Matter.MAJOR_EXPENDITURE)
    assert "年度" in plan and "党组织" in plan
    assert "预算" in budget and "；" in budget  # the budget and the budget adjustment
    assert "党组织" in expenditure
    assert party_selectors.covered_note(Matter.CONGRESS) == ""


def test_S1_3_the_form_offers_the_agreed_requests_and_the_page_links_the_one_chosen(
    cast, login, budget_in_force, finance, agreed_instruction
):
    agreed = agreed_instruction()
    client = login(cast.office)
    form = content(client.get(reverse("expenditure:new", args=[cast.union.pk])))
    assert agreed.title in form and "机党〔2026〕30号" in form
    data = {
        "account": "50101",
        "amount": "3000.00",
        "purpose": "职工之家健身器材更新",
        "activity_date": "2026-12-20",
        "major": "on",
    }
    client.post(reverse("expenditure:new", args=[cast.union.pk]), data)
    without = ExpenditureRequest.objects.get()
    refused = content(client.post(reverse("expenditure:submit", args=[without.pk]), follow=True))
    assert NEEDS_REQUEST in refused
    client.post(reverse("expenditure:edit", args=[without.pk]), {**data, "instruction": str(agreed.pk)})
    client.post(reverse("expenditure:submit", args=[without.pk]))
    without.refresh_from_db()
    assert without.status == ExpenditureStatus.FINANCE_CHECK and without.instruction_id == agreed.pk
    detail = reverse("expenditure:detail", args=[without.pk])
    page = content(client.get(detail))
    assert reverse("party:request_detail", args=[agreed.pk]) in page and agreed.title in page
    assert login(cast.outsider).get(detail).status_code == 404


def test_S1_3_a_request_for_instructions_not_offered_is_refused_in_chinese_with_the_input_kept(
    cast, login, budget_in_force, finance, agreed_instruction
):
    refused = agreed_instruction(Resolution.RETURN)
    client = login(cast.office)
    response = client.post(
        reverse("expenditure:new", args=[cast.union.pk]),
        {
            "account": "50101",
            "amount": "3000.00",
            "purpose": "职工之家健身器材更新",
            "activity_date": "2026-12-20",
            "major": "on",
            "instruction": str(refused.pk),  # not agreed: not offered, refused if forged
        },
    )
    page = content(response)
    assert "党组织已同意" in page and "职工之家健身器材更新" in page
    assert not ExpenditureRequest.objects.exists()
