"""签发 and revoke on a document's page (issue 33): the form only for the union committee's chair, asked
first, told on the page; refused to other officers (403) and to outsiders of other unions (404), the
PDF's download too; the work report (S2.3) with its letter submitting it upward (报送函), its words from
the records: the title, the number, the upper union it goes to, the congress's decision, its attachments."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.outputs.official_helpers import (
    CODE,
    approved_work_report,
    draft_request,
    organ,
    sent_request,
    stored,
)
from tests.pdf import flat, pdf_text, screenshot
from workflows.outputs.models import IssuedNumber, OutputKind
from workflows.outputs.numbers import issue_day
from workflows.outputs.official import issue_official

pytestmark = pytest.mark.django_db


def page(request) -> str:
    return reverse("party:request_detail", args=[request.pk])


def issue_url(document_type: str, document) -> str:
    return reverse("outputs:official_issue", args=[document_type, document.pk])


def revoke_url(document_type: str, document) -> str:
    return reverse("outputs:official_revoke", args=[document_type, document.pk])


def test_s1_3_the_chair_signs_and_issues_from_the_page_after_confirming(cast, login):
    organ(cast.union)
    request = sent_request(cast)
    client = login(cast.chair)
    shown = client.get(page(request)).content.decode()
    assert 'data-testid="official-issue-official"' in shown
    assert 'data-testid="official-issue-cover_letter"' not in shown  # a request goes to no upper union
    # asked first: nothing is issued yet
    asked = client.post(issue_url("instruction", request), {"kind": "official"})
    assert asked.status_code == 200 and "签发" in asked.content.decode()
    assert not IssuedNumber.objects.exists()
    done = client.post(issue_url("instruction", request), {"kind": "official", "confirm": "yes"}, follow=True)
    issued = IssuedNumber.objects.get()
    text = done.content.decode()
    assert f"已签发，文号{issued.number}。" in text
    assert 'data-testid="official-official"' in text and 'data-testid="official-issue-official"' not in text
    again = client.post(
        issue_url("instruction", request), {"kind": "official", "confirm": "yes"}, follow=True
    )
    assert f"本文件已有文号{issued.number}，文号只给一次。" in again.content.decode()
    # revoked from the page: kept, marked, its number with it
    gone = client.post(
        revoke_url("instruction", request), {"kind": "official", "confirm": "yes"}, follow=True
    )
    assert f"公文{issued.number}已撤销。" in gone.content.decode()
    issued.refresh_from_db()
    assert issued.revoked_at is not None
    assert "已撤销" in client.get(page(request)).content.decode()


def test_refusals_are_told_on_the_page(cast, login):
    organ(cast.union)
    client = login(cast.chair)
    draft = draft_request(cast)
    assert 'data-testid="official-issue-official"' not in client.get(page(draft)).content.decode()
    told = client.post(issue_url("instruction", draft), {"kind": "official", "confirm": "yes"}, follow=True)
    assert "本文件当前的状态不能签发。" in told.content.decode()
    sent = sent_request(cast)
    bad = client.post(issue_url("instruction", sent), {"kind": "minutes"}, follow=True)
    assert "请选择要签发的内容：正式公文或报送函。" in bad.content.decode()
    none = client.post(revoke_url("instruction", sent), {"kind": "official", "confirm": "yes"}, follow=True)
    assert "没有可撤销的已签发公文。" in none.content.decode()
    assert not IssuedNumber.objects.exists()


def test_other_officers_get_403_and_outsiders_404_for_signing_revoking_and_the_pdf(cast, login):
    organ(cast.union)
    request = sent_request(cast)
    issued = issue_official(actor=cast.chair, document_type="instruction", document=request)
    office = login(cast.office)
    assert 'data-testid="official-issue' not in office.get(page(request)).content.decode()
    assert 'data-testid="official-revoke' not in office.get(page(request)).content.decode()
    for url in (issue_url("instruction", request), revoke_url("instruction", request)):
        assert office.post(url, {"kind": "official", "confirm": "yes"}).status_code == 403
    # the union's own officers download it
    assert office.get(reverse("outputs:download", args=[issued.output_id])).status_code == 200
    outsider = login(cast.outsider)  # the chair of b1
    for url in (issue_url("instruction", request), revoke_url("instruction", request)):
        assert outsider.post(url, {"kind": "official", "confirm": "yes"}).status_code == 404
    assert outsider.get(reverse("outputs:download", args=[issued.output_id])).status_code == 404
    assert outsider.post(issue_url("budget", request), {"kind": "official"}).status_code == 404
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_s2_3_work_report_and_its_letter_submitting_it_print_the_records(cast, tree, login):
    organ(cast.union)
    report = approved_work_report(cast)
    client = login(cast.chair)
    shown = client.get(reverse("reports:report_detail", args=[report.pk])).content.decode()
    assert 'data-testid="official-issue-official"' in shown
    assert 'data-testid="official-issue-cover_letter"' in shown
    official = issue_official(actor=cast.chair, document_type="work_report", document=report)
    letter = issue_official(
        actor=cast.chair, document_type="work_report", document=report, kind=OutputKind.COVER_LETTER
    )
    year = issue_day(cast.union).year
    assert official.number == f"{CODE}〔{year}〕1号"
    assert letter.number == f"{CODE}函〔{year}〕1号"  # letters are a series of their own
    report_text = flat(pdf_text(stored(official)))
    screenshot(stored(official), "official-work-report")
    upper = tree["dept_a"].name
    for words in (
        report.title,
        official.number,
        f"{upper}：",  # 主送: the upper-level union it is submitted to
        "审议通过",  # the congress's decision
        "2026年度工作总结",  # the documents it binds, as its attachments
        "附件：",
    ):
        assert words in report_text, words
    letter_text = flat(pdf_text(stored(letter)))
    for words in (f"关于报送《{report.title}》的函", letter.number, f"{upper}：", f"（{official.number}）"):
        assert words in letter_text, words
