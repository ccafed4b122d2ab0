"""Spending standards (开支标准, S5.3) as data: per case, per person each time, per person per year with
the year's running total; the nearest union's standard wins; breaking one is refused with the figures."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.scenarios import open_item
from workflows.expenditure.models import ExpenditureRequest, SpendingStandard, StandardBasis
from workflows.expenditure.services import request_submit, request_update
from workflows.expenditure.standards import standards_for
from workflows.models import Resolution
from workflows.services.personal import personal_decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def gifts(cast):
    """The provincial default: festival gifts at most ¥500 per person per year; a1 lowers it to ¥400."""
    SpendingStandard.objects.create(
        code="gifts", name="节日慰问品", basis=StandardBasis.PER_PERSON_YEAR, cap=D("500")
    )
    return SpendingStandard.objects.create(
        union=cast.union,
        code="gifts",
        name="节日慰问品（本会）",
        basis=StandardBasis.PER_PERSON_YEAR,
        cap=D("400"),
    )


def test_s5_3_the_nearest_unions_standard_wins(cast, tree, gifts):
    assert standards_for(cast.union)["gifts"].cap == D("400")
    assert standards_for(tree["b1"])["gifts"].cap == D("500")


def test_s5_3_a_case_standard_caps_the_amount(cast, new_request):
    SpendingStandard.objects.create(
        code="condolence", name="慰问", basis=StandardBasis.PER_CASE, cap=D("1000")
    )
    request = new_request("1000.01", standard="condolence")
    with pytest.raises(ValidationError) as refused:
        request_submit(actor=cast.office, request=request)
    assert "1,000.01" in " ".join(refused.value.messages) and "1,000.00" in " ".join(refused.value.messages)
    request_update(actor=cast.office, request=request, amount=D("1000.00"))
    request_submit(actor=cast.office, request=request)


def test_s5_3_a_yearly_standard_counts_what_each_person_already_had(cast, finance, new_request, gifts):
    first = new_request(
        "600.00", standard="gifts", payees=[("张三", D("300.00"), ""), ("李四", D("300.00"), "")]
    )
    request_submit(actor=cast.office, request=first)
    personal_decide(work_item=open_item(first, "finance_check"), actor=finance, resolution=Resolution.APPROVE)
    second = new_request(
        "300.00", standard="gifts", payees=[("张三", D("150.00"), ""), ("王五", D("150.00"), "")]
    )
    with pytest.raises(ValidationError) as refused:
        request_submit(actor=cast.office, request=second)
    text = " ".join(refused.value.messages)
    assert "张三" in text and "450.00" in text and "300.00" in text and "400.00" in text
    assert "王五" not in text  # within the standard
    request_update(
        actor=cast.office, request=second, payees=[("张三", D("100.00"), ""), ("王五", D("200.00"), "")]
    )
    request_submit(actor=cast.office, request=second)  # 300 + 100 = 400: at the standard


def test_s5_3_a_per_person_standard_needs_the_list_of_people(cast, new_request):
    SpendingStandard.objects.create(code="meals", name="工作餐", basis=StandardBasis.PER_PERSON, cap=D("50"))
    request = new_request("100.00", standard="meals")
    with pytest.raises(ValidationError) as refused:
        request_submit(actor=cast.office, request=request)
    assert "工作餐" in " ".join(refused.value.messages)
    request_update(
        actor=cast.office, request=request, payees=[("张三", D("60.00"), ""), ("李四", D("40.00"), "")]
    )
    with pytest.raises(ValidationError) as refused:
        request_submit(actor=cast.office, request=request)
    assert "张三" in " ".join(refused.value.messages) and "李四" not in " ".join(refused.value.messages)


def test_s5_3_the_form_offers_the_standards_and_an_edit_changes_the_line(cast, login, new_request, gifts):
    request = new_request("300.00")
    client = login(cast.office)
    page = client.get(reverse("expenditure:edit", args=[request.pk])).content.decode()
    assert "节日慰问品（本会）" in page and "400.00" in page
    response = client.post(
        reverse("expenditure:edit", args=[request.pk]),
        {
            "account": "50102",
            "amount": "300.00",
            "purpose": "职工运动会奖品",
            "activity_date": "2026-12-20",
            "standard": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    request.refresh_from_db()
    assert request.account_id == "50102" and request.purpose == "职工运动会奖品"
    assert ExpenditureRequest.objects.count() == 1
