"""Issue 33's pages: a body's meeting notices (officers only, drafters issue; a bad input keeps what was
entered and says why in Chinese), a notice's PDF for the seat holders it was sent to, a recorded meeting's
papers; outsiders refused everywhere, query counts bounded."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.meetingpapers.conftest import known_year
from tests.scenarios import at, travel
from workflows.meetingpapers.models import MeetingNotice
from workflows.outputs.models import OfficialOutput, OutputKind

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def notice(issue):
    known_year(2030)
    return issue(D(2030, 3, 19), today=D(2030, 3, 4))


def _form(**changes) -> dict:
    data = {
        "meets_on": "2030-03-19",
        "starts_at": "09:30",
        "place": "三楼会议室",
        "agenda_lines": "审议工作报告",
    }
    return {**data, **changes}


def test_notices_page_lists_notices_in_bounded_queries(login, cast, issue, django_assert_max_num_queries):
    known_year(2030)
    for day in (18, 19, 20):
        issue(D(2030, 3, day), today=D(2030, 3, 4))
    url = reverse("meetingpapers:notices", args=[cast.body("congress").pk])

    with travel(at(2030, 3, 5, 9, 0)):  # signed in on the day: a session does not outlive years
        client = login(cast.office)
        with django_assert_max_num_queries(16):
            response = client.get(url)

    assert response.status_code == 200
    page = response.content.decode()
    assert "会议通知" in page and "2030-03-20" in page and "至少5个工作日" in page


def test_issue_form_keeps_what_was_entered_and_says_why_in_chinese(login, cast):
    known_year(2030)
    url = reverse("meetingpapers:notices", args=[cast.body("congress").pk])

    with travel(at(2030, 3, 14, 9, 0)):  # three working days before the 19th: too late for a congress
        client = login(cast.office)
        response = client.post(url, _form(number="工通〔2030〕9号"))

    page = response.content.decode()
    assert response.status_code == 400 and not MeetingNotice.objects.exists()
    assert "须在会议召开前至少5个工作日发出" in page
    assert "三楼会议室" in page and "审议工作报告" in page and "工通〔2030〕9号" in page  # nothing lost
    with travel(at(2030, 3, 14, 9, 0)):
        empty = client.post(url, _form(agenda_lines="", meets_on="2030-04-19"))
    assert empty.status_code == 400 and "请填写会议议程" in empty.content.decode()


def test_office_issues_a_notice_and_makes_its_sign_in_sheet(login, cast):
    known_year(2030)
    with travel(at(2030, 3, 4, 9, 0)):
        client = login(cast.office)
        response = client.post(reverse("meetingpapers:notices", args=[cast.body("congress").pk]), _form())
        notice = MeetingNotice.objects.get()
        client.post(reverse("meetingpapers:notice_sign_in", args=[notice.pk]))
        pdf = client.get(reverse("meetingpapers:notice_sign_in", args=[notice.pk]))
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.output.kind == OutputKind.MEETING_NOTICE and notice.sign_in_output is not None
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_representative_reads_the_notice_sent_but_not_the_officers_pages(login, cast, notice):
    client = login(cast.representatives[0])
    assert client.get(reverse("meetingpapers:notice_file", args=[notice.pk])).status_code == 200
    assert client.get(reverse("meetingpapers:notices", args=[notice.body_id])).status_code == 403
    assert client.get(reverse("meetingpapers:notice_sign_in", args=[notice.pk])).status_code == 403


def test_outsider_is_refused_on_every_page_and_download(login, cast, notice, congress_met):
    meeting, _budget = congress_met
    client = login(cast.office)
    client.post(reverse("meetingpapers:meeting_papers", args=[meeting.pk]), {"kind": "minutes"})
    client.post(reverse("meetingpapers:notice_sign_in", args=[notice.pk]))
    minutes = OfficialOutput.objects.get(meeting=meeting, kind=OutputKind.MINUTES)
    outsider = login(cast.outsider)
    body = notice.body_id

    gets = [
        reverse("meetingpapers:notices", args=[body]),
        reverse("meetingpapers:notice_file", args=[notice.pk]),
        reverse("meetingpapers:notice_sign_in", args=[notice.pk]),
        reverse("meetingpapers:meeting_papers", args=[meeting.pk]),
        reverse("outputs:download", args=[minutes.pk]),
    ]
    for url in gets:
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(reverse("meetingpapers:notices", args=[body]), _form()).status_code == 404
    assert outsider.post(reverse("meetingpapers:notice_sign_in", args=[notice.pk])).status_code == 404
    posted = outsider.post(reverse("meetingpapers:meeting_papers", args=[meeting.pk]), {"kind": "resolution"})
    assert posted.status_code == 404
    assert not OfficialOutput.objects.filter(meeting=meeting, kind=OutputKind.RESOLUTION).exists()


def test_meeting_papers_made_from_the_trail_buttons(login, cast, congress_met, django_assert_max_num_queries):
    meeting, budget = congress_met
    client = login(cast.office)
    detail = client.get(reverse("budget:detail", args=[budget.pk])).content.decode()
    papers_url = reverse("meetingpapers:meeting_papers", args=[meeting.pk])
    assert papers_url in detail  # the recorded meeting in the trail offers its papers

    for kind in ("minutes", "resolution", "sign_in_sheet"):
        assert client.post(papers_url, {"kind": kind}).status_code == 302
    bad = client.post(papers_url, {"kind": "budget"})
    assert bad.status_code == 400 and "请选择会议纪要、决议或签到表" in bad.content.decode()
    with django_assert_max_num_queries(14):
        page = client.get(papers_url)
    assert (
        page.status_code == 200
        and page.content.decode().count(reverse("outputs:download", args=[0])[:-8]) >= 3
    )
    downloaded = client.get(
        reverse("outputs:download", args=[OfficialOutput.objects.filter(meeting=meeting).first().pk])
    )
    assert downloaded.status_code == 200


def test_representative_sees_but_may_not_make_meeting_papers(login, cast, congress_met):
    meeting, _budget = congress_met
    client = login(cast.representatives[1])
    url = reverse("meetingpapers:meeting_papers", args=[meeting.pk])
    response = client.post(url, {"kind": "minutes"})
    assert response.status_code in (403, 404)
    assert not OfficialOutput.objects.filter(meeting=meeting).exists()
