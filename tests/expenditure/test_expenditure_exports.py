"""Expenditure exports, attachments and the printed request (issue 26): the ledger of the year and one
line's movements as .xlsx for the union's officers and the supervisors above; invoices attached by the
requester and the officers, listed to whoever sees the request and downloaded only through the checked
view; the request page prints without navigation, buttons or forms, other pages as before."""

from __future__ import annotations

import datetime
import re
from io import BytesIO
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from core.models import Event
from tests.e2e.session import sign_in
from tests.pages import content
from tests.scenarios import open_item
from workflows.expenditure.models import ExpenditureStatus
from workflows.expenditure.services import payment_record
from workflows.expenditure.xlsx import LEDGER_HEADERS, LINE_HEADERS, ledger_title, line_title
from workflows.models import Attachment, Resolution
from workflows.services.personal import personal_decide

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_BYTES = b"%PDF-1.4\n%%EOF\n"
INVOICE = "发票（健步走）.pdf"


def _approved(cast, finance, sent_request, amount, **fields):
    request = sent_request(amount, **fields)
    personal_decide(
        work_item=open_item(request, "finance_check"), actor=finance, resolution=Resolution.APPROVE
    )
    personal_decide(
        work_item=open_item(request, "chair_approval"), actor=cast.chair, resolution=Resolution.APPROVE
    )
    request.refresh_from_db()
    assert request.status == ExpenditureStatus.APPROVED
    return request


@pytest.fixture
def movements(cast, finance, new_request, sent_request):
    """On 50101: ¥3,000 paid (voucher 记-031 on 1 December) and a ¥500 draft; on 50102: ¥2,000 approved
    and committed, not yet paid."""
    paid = _approved(cast, finance, sent_request, "3000.00")
    payment_record(
        actor=finance,
        request=paid,
        paid_on=datetime.date(2026, 12, 1),
        voucher_number="记-031",
        method="transfer",
    )
    paid.refresh_from_db()
    committed = _approved(cast, finance, sent_request, "2000.00", account="50102", purpose="购买慰问品")
    draft = new_request("500.00", purpose="工会小组活动")
    return {"paid": paid, "committed": committed, "draft": draft}


def _workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    return load_workbook(BytesIO(response.content)).active


def _rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


@pytest.mark.django_db
def test_the_ledger_export_holds_every_line_with_its_figures_and_the_total(cast, login, movements):
    response = login(cast.office).get(reverse("expenditure:ledger_export", args=[cast.union.pk]))
    ws = _workbook(response)
    title = ledger_title(cast.union, 2026)
    assert f"filename*=UTF-8''{quote(title + '.xlsx')}" in response["Content-Disposition"]
    rows = _rows(ws)
    assert rows[0][0] == title and rows[1] == LEDGER_HEADERS
    by_code = {row[0]: row[2:] for row in rows[2:]}
    # budgeted, committed, paid, remaining
    assert by_code["50101"] == (150000, 0, 3000, 147000)
    assert by_code["50102"] == (200000, 2000, 0, 198000)
    assert by_code["50502"] == (60000, 0, 0, 60000)
    assert list(by_code)[:3] == ["50101", "50102", "50502"]  # chart order
    assert by_code["支出合计"] == (410000, 2000, 3000, 405000)
    assert ws.cell(3, 3).number_format == "#,##0.00"


@pytest.mark.django_db
def test_a_lines_movements_list_its_requests_and_the_lines_figures(cast, login, movements):
    response = login(cast.office).get(reverse("expenditure:line_export", args=[cast.union.pk, "50101"]))
    ws = _workbook(response)
    account = movements["paid"].account
    assert quote(line_title(cast.union, 2026, account) + ".xlsx") in response["Content-Disposition"]
    rows = _rows(ws)
    assert rows[1] == LINE_HEADERS
    with translation.override(settings.LANGUAGE_CODE):
        paid_label, draft_label = str(ExpenditureStatus.PAID.label), str(ExpenditureStatus.DRAFT.label)
    paid, draft = rows[2], rows[3]  # oldest first; the 50102 request is not on this line
    assert paid == (
        datetime.datetime(2026, 12, 6),
        datetime.datetime(2026, 12, 20),
        "职工春季健步走活动",
        cast.office.full_name,
        3000,
        paid_label,
        "记-031",
        datetime.datetime(2026, 12, 1),
    )
    assert draft[2:6] == ("工会小组活动", cast.office.full_name, 500, draft_label)
    assert draft[6] is None and draft[7] is None
    assert "购买慰问品" not in {row[2] for row in rows}
    figures = {row[0]: row[4] for row in rows[4:] if row and row[0]}
    assert figures == {
        "预算数（元）": 150000,
        "已批准待付（元）": 0,
        "已支付（元）": 3000,
        "可用余额（元）": 147000,
    }
    assert cast.office.username not in str(rows)  # people by name, never by username


@pytest.mark.django_db
def test_the_list_links_both_exports_and_a_supervisor_above_may_export(
    cast, login, tree, supervisor_of, budget_in_force, finance
):
    page = content(login(cast.office).get(reverse("expenditure:list", args=[cast.union.pk])))
    assert reverse("expenditure:ledger_export", args=[cast.union.pk]) in page
    assert reverse("expenditure:line_export", args=[cast.union.pk, "50502"]) in page
    supervisor = login(supervisor_of(tree["dept_a"]))
    assert supervisor.get(reverse("expenditure:ledger_export", args=[cast.union.pk])).status_code == 200
    assert (
        supervisor.get(reverse("expenditure:line_export", args=[cast.union.pk, "50101"])).status_code == 200
    )


@pytest.mark.django_db
def test_an_outsider_gets_404_on_each_export_and_an_unknown_or_income_line_is_404(
    cast, login, budget_in_force, finance
):
    outsider = login(cast.outsider)
    for url in (
        reverse("expenditure:ledger_export", args=[cast.union.pk]),
        reverse("expenditure:line_export", args=[cast.union.pk, "50101"]),
    ):
        assert outsider.get(url).status_code == 404, url
    assert Event.objects.filter(verb="access_denied", actor=cast.outsider).count() == 2
    office = login(cast.office)
    for code in ("99999", "401"):  # not in the chart; an income account
        assert office.get(reverse("expenditure:line_export", args=[cast.union.pk, code])).status_code == 404


def _attach(client, request, name=INVOICE):
    upload = SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")
    return client.post(
        reverse("expenditure:attach", args=[request.pk]), {"file": upload, "note": "增值税普通发票"}
    )


@pytest.mark.django_db
def test_the_requester_attaches_an_invoice_listed_and_downloadable_by_whoever_sees_the_request(
    cast, login, tree, supervisor_of, finance, sent_request
):
    request = sent_request("3000.00")
    office = login(cast.office)
    page = content(office.get(reverse("expenditure:detail", args=[request.pk])))
    assert reverse("expenditure:attach", args=[request.pk]) in page  # the upload form
    response = _attach(office, request)
    assert response.status_code == 302 and response["Location"] == reverse(
        "expenditure:detail", args=[request.pk]
    )
    attachment = Attachment.objects.get(document_type="expenditure", document_id=request.pk)
    assert (attachment.name, attachment.union_id, attachment.uploaded_by_id) == (
        INVOICE,
        cast.union.pk,
        cast.office.pk,
    )
    assert Event.objects.filter(verb="attachment_added", actor=cast.office).exists()
    download = reverse("workflows:attachment", args=[attachment.pk])
    page = content(office.get(reverse("expenditure:detail", args=[request.pk])))
    assert download in page and INVOICE in page and attachment.file.name not in page
    got = office.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF_BYTES
    # the finance officer holds a step of it: sees and downloads the file, may not attach (not an officer)
    assert download in content(login(finance).get(reverse("expenditure:detail", args=[request.pk])))
    assert login(finance).get(download).status_code == 200
    # a supervisor above reads the list and the file, attaches nothing
    supervisor = login(supervisor_of(tree["dept_a"]))
    page = content(supervisor.get(reverse("expenditure:detail", args=[request.pk])))
    assert download in page and reverse("expenditure:attach", args=[request.pk]) not in page
    assert supervisor.get(download).status_code == 200
    assert _attach(supervisor, request, name="另一张.pdf").status_code == 403
    assert Attachment.objects.filter(document_type="expenditure").count() == 1


@pytest.mark.django_db
def test_the_chair_attaches_a_quote_to_someone_elses_request(cast, login, finance, new_request):
    request = new_request("3000.00")
    assert _attach(login(cast.chair), request, name="报价单.pdf").status_code == 302
    assert (
        Attachment.objects.get(document_id=request.pk, document_type="expenditure").uploaded_by == cast.chair
    )


@pytest.mark.django_db
def test_an_outsider_may_neither_attach_nor_download(cast, login, finance, sent_request):
    request = sent_request("3000.00")
    _attach(login(cast.office), request)
    attachment = Attachment.objects.get(document_type="expenditure", document_id=request.pk)
    outsider = login(cast.outsider)
    assert _attach(outsider, request, name="伪造.pdf").status_code == 404
    assert outsider.get(reverse("workflows:attachment", args=[attachment.pk])).status_code == 404
    assert Attachment.objects.filter(document_type="expenditure").count() == 1


def _print_block(css: str) -> str:
    """The body of the @media print block that names the request sheet."""
    for match in re.finditer(r"@media print\s*{", css):
        depth, start = 1, match.end()
        for end in range(start, len(css)):
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            if depth == 0:
                break
        body = css[start:end]
        if ".expenditure-sheet" in body:
            return body
    raise AssertionError("no print block for .expenditure-sheet in wuyi.css")


@pytest.mark.django_db
def test_the_print_block_exists_scoped_to_the_request_page_which_carries_its_class(
    cast, login, finance, new_request
):
    path = finders.find("css/wuyi.css")
    block = _print_block(open(path, encoding="utf-8").read())  # noqa: SIM115 (read once)
    block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
    rules = re.findall(r"([^{}]+){([^{}]*)}", block)
    assert rules
    for selectors, _body in rules:
        for selector in selectors.split(","):
            # every rule is the request page's: other pages print as before
            assert "expenditure-sheet" in selector, selector
    hidden = " ".join(s for s, body in rules if "display: none" in body)
    for part in ("> nav", "> footer", "form", ".btn", "document-actions"):
        assert part in hidden, part
    request = new_request("3000.00")
    office = login(cast.office)
    assert 'class="expenditure-sheet"' in content(
        office.get(reverse("expenditure:detail", args=[request.pk]))
    )
    assert "expenditure-sheet" not in content(office.get(reverse("expenditure:list", args=[cast.union.pk])))


@pytest.mark.django_db(transaction=True)
def test_printed_the_request_page_shows_the_request_and_its_trail_without_navigation_or_forms(
    live_server, cast, finance, new_request, new_page
):
    request = new_request("3000.00")  # the drafter sees Change, Send and the comment form on screen
    base = live_server.url
    page = new_page(viewport={"width": 1024, "height": 900})
    sign_in(page, base, cast.office.username)
    page.goto(f"{base}{reverse('expenditure:detail', args=[request.pk])}")
    expect(page.get_by_test_id("submit")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in (page.locator("body > nav"), page.locator("body > footer"), page.get_by_test_id("submit")):
        expect(hidden).to_be_hidden()
    assert page.locator(".expenditure-sheet form").count() >= 3  # send, comment, attach
    assert page.locator(".expenditure-sheet form:visible").count() == 0
    for shown_part in ("document-title", "route", "line-figures", "chain", "history"):
        expect(page.get_by_test_id(shown_part)).to_be_visible()
    expect(page.locator(".expenditure-sheet > p.d-print-block")).to_contain_text(cast.union.name)
    # another page keeps its navigation in print
    page.goto(f"{base}{reverse('expenditure:list', args=[cast.union.pk])}")
    expect(page.locator("body > nav")).to_be_visible()
