"""Approval sheets (审批单, issue 33): printed from the recorded chain (S3.3's budget chain with its
meetings' votes and the Party organisation's reply, S5.3's expenditure route with its payees), stored
with their hash, re-made byte for byte after later steps, refused to outsiders, in a fixed number of
queries whatever the chain's length."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Event, Role
from tests.factories import make_budget, seated
from tests.pdf import flat, pdf_text, screenshot, stored_bytes
from tests.scenarios import (
    at,
    budget_before_congress,
    budget_in_force,
    congress_meeting,
    open_item,
    submit_draft,
    travel,
)
from workflows.expenditure.approval import yuan_in_capitals
from workflows.expenditure.services import payment_record, request_create, request_submit
from workflows.models import Resolution
from workflows.outputs.approval import make_approval_sheet
from workflows.outputs.models import OfficialOutput, OutputKind
from workflows.outputs.services import rebuild
from workflows.services.personal import personal_decide


def sheet_text(output: OfficialOutput) -> str:
    """The stored PDF's text in reading order, without white space (page one pictured when SCREENSHOTS=1)."""
    content = stored_bytes(output)
    screenshot(content, f"approval-sheet-{output.document_type}")
    return flat(pdf_text(content, layout=False))


def sheet(document_type: str, document, actor) -> OfficialOutput:
    return make_approval_sheet(document_type=document_type, document_id=document.pk, actor=actor)


@pytest.mark.django_db
def test_s3_3_a_budgets_sheet_prints_its_chain_votes_and_reply_and_is_remade_byte_for_byte(cast):
    # given a budget through opinions, the audit committee's meeting and the Party organisation's reply
    with travel(at(2026, 3, 1, 10, 0)):
        budget = budget_before_congress(cast, year=2026)
        OfficialOutput.objects.create(  # an official output of the budget carrying its number (文号)
            union=cast.union,
            kind=OutputKind.OFFICIAL,
            document_type="budget",
            document_id=budget.pk,
            title=budget.title,
            number="工〔2026〕3号",
            made_on=datetime.date(2026, 3, 1),
            sha256="0" * 64,
            size=0,
        )
    # when the office prints the sheet
    with travel(at(2026, 3, 2, 9, 0)):
        before = sheet("budget", budget, cast.office)
    text = sheet_text(before)
    # then the header, every step's decision and who took it, and the meeting's votes are printed
    assert "预算审批单" in text and budget.title in text and "工〔2026〕3号" in text
    assert cast.union.name in text and "2026" in text
    for printed in (
        "编制预算草案",
        "建议增加职工书屋经费",  # the representative's opinion
        cast.representatives[0].full_name,
        "经费审查委员会",
        "表决通过",
        "实到3人／应到3人",
        "赞成3，反对0，弃权0",
        cast.audit_director.full_name,
        "机党〔2026〕12号",  # the Party organisation's reply
        cast.party_secretary.full_name,
        cast.office.full_name,
        "2026-03-01",
    ):
        assert printed in text, printed
    assert "办理中" in text  # the congress has not sat yet
    assert "a1-office" not in text and "a1-party" not in text  # names, never usernames
    assert before.sha256 == hashlib.sha256(stored_bytes(before)).hexdigest()
    assert before.made_on == datetime.date(2026, 3, 2)

    # when the congress ratifies it later and another official output is made
    with travel(at(2026, 3, 5, 15, 0)):
        congress_meeting(budget, cast)
        OfficialOutput.objects.create(
            union=cast.union,
            kind=OutputKind.OFFICIAL,
            document_type="budget",
            document_id=budget.pk,
            title=budget.title,
            number="工〔2026〕9号",
            made_on=datetime.date(2026, 3, 5),
            sha256="0" * 64,
            size=0,
        )
    # then the first sheet is made again byte for byte, as it was on its day
    with travel(at(2026, 3, 6, 9, 0)):
        assert rebuild(before) == stored_bytes(before)
        after = sheet("budget", budget, cast.chair)
    text = sheet_text(after)
    assert after.sha256 != before.sha256
    assert "会员（代表）大会" in text and "实到6人／应到6人" in text and "赞成6，反对0，弃权0" in text
    assert cast.congress_chair.full_name in text and "工〔2026〕9号" in text
    assert "办理中" not in text


@pytest.fixture
def finance(cast):
    return seated(cast.union, Role.FINANCE_OFFICER, username="a1-finance", full_name="财务李")


def submitted_request(cast, payees):
    """a1's request of 3,000 yuan on its 2026 budget in force, sent on 2026-12-06 at 10:00 (S5.3)."""
    with travel(at(2026, 3, 1, 10, 0)):
        budget_in_force(cast, year=2026, carryover_is_estimate=False)
    with travel(at(2026, 12, 6, 10, 0)):
        request = request_create(
            actor=cast.office,
            union=cast.union,
            account_id="50101",
            amount=D("3000.00"),
            purpose="职工春季健步走活动",
            activity_date=datetime.date(2026, 12, 20),
            payees=payees,
        )
        request_submit(actor=cast.office, request=request)
    return request


@pytest.mark.django_db
def test_s5_3_a_paid_expenditures_sheet_prints_amount_in_capitals_payees_and_each_holder(cast, finance):
    payees = [("王芳", D("1800.00"), "6222021001001234"), ("赵强", D("1200.00"), "6222021001005678")]
    request = submitted_request(cast, payees)
    with travel(at(2026, 12, 6, 10, 0)):
        personal_decide(
            work_item=open_item(request, "finance_check"),
            actor=finance,
            resolution=Resolution.APPROVE,
            opinions="票据齐全，符合预算。",
        )
    with travel(at(2026, 12, 7, 11, 30)):
        personal_decide(
            work_item=open_item(request, "chair_approval"),
            actor=cast.chair,
            resolution=Resolution.APPROVE,
            opinions="同意，按标准发放。",
        )
        payment_record(
            actor=finance,
            request=request,
            paid_on=datetime.date(2026, 12, 7),
            voucher_number="记-12-031",
            method="transfer",
        )
        printed = sheet("expenditure", request, cast.office)
    text = sheet_text(printed)
    assert "经费支出申请审批单" in text and "职工春季健步走活动" in text
    for line in ("50101", "¥3,000.00", "叁仟元整", "王芳¥1,800.00", "赵强¥1,200.00"):
        assert line in text, line
    assert "622202100100" not in text  # no bank account on paper
    for step in ("票据齐全，符合预算。", "财务李", "同意，按标准发放。", cast.chair.full_name, "已支付"):
        assert step in text, step
    assert "2026-12-06" in text and "10:00" in text and "2026-12-07" in text and "11:30" in text


@pytest.mark.django_db
def test_s5_3_a_sheet_keeps_the_request_as_printed_when_the_request_is_returned_and_edited(cast, finance):
    # given a request's sheet printed while it waited at the finance check
    request = submitted_request(cast, [("王芳", D("3000.00"), "")])
    with travel(at(2026, 12, 6, 10, 0)):
        printed = sheet("expenditure", request, cast.office)
    # when the request is returned and its purpose and amount are changed
    with travel(at(2026, 12, 7, 9, 0)):
        personal_decide(
            work_item=open_item(request, "finance_check"),
            actor=finance,
            resolution=Resolution.RETURN,
            opinions="请按实际人数调整。",
        )
        type(request).objects.filter(pk=request.pk).update(amount=D("2400.00"), purpose="职工冬季健步走活动")
        request.refresh_from_db()
        again = sheet("expenditure", request, cast.office)
    # then the sheet printed before re-makes byte for byte, as printed; a new one shows the request now
    assert rebuild(printed) == stored_bytes(printed)
    before, now = sheet_text(printed), sheet_text(again)
    assert "职工春季健步走活动" in before and "叁仟元整" in before and "冬季" not in before
    assert "职工冬季健步走活动" in now and "贰仟肆佰元整" in now and "请按实际人数调整。" in now


@pytest.mark.django_db
def test_the_button_prints_the_sheet_for_whoever_sees_the_page_and_outsiders_get_404(cast, client):
    with travel(at(2026, 3, 1, 10, 0)):
        budget = make_budget(cast, year=2026)
    url = reverse("outputs:approval_sheet", args=["budget", budget.pk])
    page = reverse("budget:detail", args=[budget.pk])
    # the outsider of another union can neither print it nor download a printed one
    client.force_login(cast.outsider)
    assert client.post(url).status_code == 404
    assert not OfficialOutput.objects.exists()
    assert Event.objects.filter(verb="access_denied", actor=cast.outsider).count() == 1
    # the union's office prints it from the document's page and finds it listed there
    client.force_login(cast.office)
    shown = client.get(page).content.decode()
    assert "打印审批单" in shown and url in shown
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == page
    output = OfficialOutput.objects.get(kind=OutputKind.APPROVAL_SHEET, document_id=budget.pk)
    download = reverse("outputs:download", args=[output.pk])
    assert download in client.get(page).content.decode()
    assert client.get(download).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(download).status_code == 404
    assert client.get(url).status_code == 405  # printing is a POST


@pytest.mark.django_db
def test_printing_takes_the_same_number_of_queries_for_a_short_and_a_long_chain(cast):
    with travel(at(2026, 3, 1, 10, 0)):
        short = submit_draft(make_budget(cast, year=2027), cast)
        long = budget_in_force(cast, year=2026)
    counts = []
    for budget in (short, long):
        with CaptureQueriesContext(connection) as queries:
            sheet("budget", budget, cast.office)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12, counts


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("1.05", "壹元零伍分"),
        ("10.30", "壹拾元叁角"),
        ("1005", "壹仟零伍元整"),
        ("3000", "叁仟元整"),
        ("10005", "壹万零伍元整"),
        ("12000.50", "壹万贰仟元伍角"),
        ("100000", "壹拾万元整"),
        ("100000001", "壹亿零壹元整"),
        ("1000010000", "壹拾亿零壹万元整"),
    ],
)
def test_an_amount_in_chinese_capitals_is_written_as_a_voucher_writes_it(amount, capitals):
    assert yuan_in_capitals(D(amount)) == capitals
