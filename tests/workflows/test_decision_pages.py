"""The pages of the collective steps and opinions, through HTTP (issue 4; order rule S3.3).

Meetings, written decisions and opinion answers are recorded through the pages; refusals keep what
was typed; outsiders get 404, people who may only look get 403, and nothing changes for either.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from core.models import Body, Event
from tests.factories import UserFactory, give_seat
from tests.pages import already_handled, content, meeting_data, meeting_url, pdf, race, shown
from tests.scenarios import answer_all, audit_meeting, consolidate, open_items
from workflows import errors
from workflows.budget.models import Budget, BudgetStatus
from workflows.budget.services import Recipient
from workflows.models import (
    ALLOWED_ATTACHMENT_SUFFIXES,
    Attachment,
    Meeting,
    OpinionAnswer,
    OpinionRequest,
    Resolution,
    WorkItem,
    WorkItemState,
    WrittenDecision,
)
from workflows.services.opinions import OpinionClosed, opinion_answer
from workflows.services.workitems import DocumentBusy
from workflows.views import item_document_url

TODAY = timezone.localdate


@pytest.fixture
def at_audit_review(cast, submitted_budget):
    """A budget whose opinions are in and consolidated: the audit committee's item is open."""

    def _make(**kwargs):
        budget = submitted_budget(**kwargs)
        answer_all(budget, cast)
        consolidate(budget, cast)
        budget.refresh_from_db()
        assert budget.status == BudgetStatus.AUDIT_REVIEW
        return budget

    return _make


@pytest.fixture
def at_party_approval(cast, at_audit_review):
    def _make(**kwargs):
        budget = at_audit_review(**kwargs)
        audit_meeting(budget, cast)
        budget.refresh_from_db()
        assert budget.status == BudgetStatus.PARTY_APPROVAL
        return budget

    return _make


# --- recording a meeting ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_s3_3_meeting_recorded_through_the_page_decides_the_audit_review(cast, at_audit_review, client):
    budget = at_audit_review()
    (item,) = open_items(budget)
    client.force_login(cast.audit_director)
    # given: the page lists today's members and the pending budget
    page = client.get(meeting_url(cast.body("audit_committee")))
    assert page.status_code == 200
    assert escape(budget.title) in content(page)
    assert f'name="agenda" value="{item.pk}"' in content(page)
    for person in cast.audit_committee:
        assert escape(str(person)) in content(page)
    # when
    response = client.post(
        meeting_url(cast.body("audit_committee")),
        {
            **meeting_data(
                attendees=cast.audit_committee, rows=[(item.pk, Resolution.APPROVE, 3, 0, 0, "同意")]
            ),
            "files": [pdf("sign-in.pdf"), pdf("minutes.pdf")],
        },
    )
    # then
    assert response.status_code == 302
    # the recorder lands on the document decided (issue 25), not on the union's page of seats
    assert response["Location"] == reverse("budget:detail", args=[budget.pk])
    (success,) = list(get_messages(response.wsgi_request))
    assert success.level == message_levels.SUCCESS and "1" in success.message
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.PARTY_APPROVAL
    meeting = Meeting.objects.get(body=cast.body("audit_committee"))
    assert meeting.has_quorum and meeting.place == "三楼会议室" and meeting.minutes == "审查了预算草案"
    assert set(meeting.attendees.values_list("pk", flat=True)) == {p.pk for p in cast.audit_committee}
    assert meeting.items.get().work_item == item
    assert sorted(meeting.attachments.values_list("name", flat=True)) == ["minutes.pdf", "sign-in.pdf"]


@pytest.mark.django_db
def test_meeting_without_quorum_is_recorded_and_decides_nothing(cast, at_audit_review, client):
    budget = at_audit_review()
    (item,) = open_items(budget)
    client.force_login(cast.audit_director)
    response = client.post(
        meeting_url(cast.body("audit_committee")),
        # below quorum the page asks first (tests/workflows/test_act_where_you_read.py): confirmed here
        {
            **meeting_data(
                attendees=[cast.audit_director], rows=[(item.pk, Resolution.APPROVE, 1, 0, 0, "")]
            ),
            "confirm": "yes",
        },
    )
    assert response.status_code == 302
    (warning,) = list(get_messages(response.wsgi_request))
    assert warning.level == message_levels.WARNING
    # 1 of 3 attended; more than half of 3 is 2; nor does it count as the half-year's meeting (S4.1)
    assert escape(warning.message) == (
        shown(errors.MEETING_NO_QUORUM, attendees=1, seats=3, needed=2)
        + " "
        + shown(errors.MEETING_NO_QUORUM_CADENCE)
    )
    meeting = Meeting.objects.get(body=cast.body("audit_committee"))
    assert not meeting.has_quorum
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.AUDIT_REVIEW
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN


@pytest.mark.django_db
def test_attendee_without_a_seat_on_the_date_is_refused_and_the_input_kept(cast, at_audit_review, client):
    budget = at_audit_review()
    (item,) = open_items(budget)
    newcomer = UserFactory(full_name="新委员")
    give_seat(newcomer, cast.union, "member", "audit_committee", start=TODAY() - datetime.timedelta(days=5))
    held_on = TODAY() - datetime.timedelta(days=10)
    client.force_login(cast.audit_director)
    response = client.post(
        meeting_url(cast.body("audit_committee")),
        meeting_data(
            attendees=[cast.audit_director, newcomer],
            rows=[(item.pk, Resolution.APPROVE, 2, 0, 0, "同意<b>")],
            held_on=held_on,
            place="三楼<会议室>",
            minutes="讨论了 <script>预算</script>",
        ),
    )
    assert response.status_code == 400
    body = cast.body("audit_committee")
    with translation.override(settings.LANGUAGE_CODE):
        body_name = body.display_name
    assert shown(errors.MEETING_ATTENDEE_NO_SEAT, names="新委员", body=body_name, date=held_on) in content(
        response
    )
    page = content(response)
    # everything typed is still there, escaped
    assert 'value="三楼&lt;会议室&gt;"' in page
    assert "讨论了 &lt;script&gt;预算&lt;/script&gt;" in page
    assert "<script>预算" not in page
    assert f'value="{held_on.isoformat()}"' in page
    assert f'name="item-{item.pk}-votes_for" value="2"' in page
    assert "同意&lt;b&gt;" in page
    assert f'name="agenda" value="{item.pk}" id="agenda-{item.pk}" checked' in page
    assert not Meeting.objects.exists()
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.AUDIT_REVIEW


@pytest.mark.django_db
def test_votes_exceeding_the_attendees_are_refused(cast, at_audit_review, client):
    budget = at_audit_review()
    (item,) = open_items(budget)
    client.force_login(cast.audit_director)
    response = client.post(
        meeting_url(cast.body("audit_committee")),
        meeting_data(attendees=cast.audit_committee[:2], rows=[(item.pk, Resolution.APPROVE, 2, 1, 0, "")]),
    )
    assert response.status_code == 400
    assert shown(errors.MEETING_VOTES_EXCEED, document=budget.title, votes=3, attendees=2) in content(
        response
    )
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_negative_votes_are_refused_by_the_form(cast, at_audit_review, client):
    budget = at_audit_review()
    (item,) = open_items(budget)
    client.force_login(cast.audit_director)
    response = client.post(
        meeting_url(cast.body("audit_committee")),
        meeting_data(attendees=cast.audit_committee, rows=[(item.pk, Resolution.APPROVE, -1, 0, 0, "")]),
    )
    assert response.status_code == 400
    assert f'name="item-{item.pk}-votes_for" value="-1"' in content(response)
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_return_without_opinions_is_refused(cast, at_audit_review, client):
    budget = at_audit_review()
    (item,) = open_items(budget)
    client.force_login(cast.audit_director)
    response = client.post(
        meeting_url(cast.body("audit_committee")),
        meeting_data(attendees=cast.audit_committee, rows=[(item.pk, Resolution.RETURN, 0, 3, 0, "   ")]),
    )
    assert response.status_code == 400
    assert shown(errors.RETURN_NEEDS_REASON) in content(response)
    assert escape(f"“{budget.title}”") in content(response)
    assert not Meeting.objects.exists()
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.AUDIT_REVIEW


@pytest.mark.django_db
def test_meeting_return_with_opinions_sends_the_budget_back(cast, at_audit_review, client):
    budget = at_audit_review()
    (item,) = open_items(budget)
    client.force_login(cast.office)  # office staff record on the body's behalf (代录)
    response = client.post(
        meeting_url(cast.body("audit_committee")),
        meeting_data(
            attendees=cast.audit_committee, rows=[(item.pk, Resolution.RETURN, 0, 3, 0, "文体支出偏高")]
        ),
    )
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.RETURNED
    meeting = Meeting.objects.get()
    assert meeting.recorded_on_behalf
    assert meeting.items.get().opinions == "文体支出偏高"


@pytest.mark.django_db
def test_uploaded_exe_is_refused_with_the_message(cast, at_audit_review, client):
    budget = at_audit_review()
    (item,) = open_items(budget)
    client.force_login(cast.audit_director)
    exe = SimpleUploadedFile("minutes.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post(
        meeting_url(cast.body("audit_committee")),
        {
            **meeting_data(attendees=cast.audit_committee, rows=[(item.pk, Resolution.APPROVE, 3, 0, 0, "")]),
            "files": [pdf("sign-in.pdf"), exe],
        },
    )
    assert response.status_code == 400
    allowed = ", ".join(sorted(ALLOWED_ATTACHMENT_SUFFIXES))
    expected = shown(errors.ATTACHMENT_TYPE, suffix=".exe", allowed=allowed)
    assert expected in content(response)
    assert 'value="三楼会议室"' in content(response)
    assert not Meeting.objects.exists() and not Attachment.objects.exists()
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.AUDIT_REVIEW


@pytest.mark.django_db
def test_a_busy_document_answers_409_and_keeps_the_input(cast, at_audit_review, client, monkeypatch):
    budget = at_audit_review()
    (item,) = open_items(budget)

    def busy(**kwargs):
        raise DocumentBusy

    monkeypatch.setattr("workflows.views_decisions.meeting_record", busy)
    client.force_login(cast.audit_director)
    response = client.post(
        meeting_url(cast.body("audit_committee")),
        meeting_data(attendees=cast.audit_committee, rows=[(item.pk, Resolution.APPROVE, 3, 0, 0, "")]),
    )
    assert response.status_code == 409
    assert shown(errors.LOCKED) in content(response)
    assert 'value="三楼会议室"' in content(response)


@pytest.mark.django_db
def test_forged_congress_post_with_the_audit_item_decides_nothing(cast, at_audit_review, client):
    """S3.3: the congress cannot decide the audit committee's step, even by a forged agenda."""
    budget = at_audit_review()
    (audit_item,) = open_items(budget)
    congress = Body.objects.get(union=cast.union, kind="congress")
    client.force_login(cast.congress_chair)
    page = client.get(meeting_url(congress))
    assert f'value="{audit_item.pk}"' not in content(page)  # not on the congress's agenda
    response = client.post(
        meeting_url(congress),
        meeting_data(attendees=cast.congress, rows=[(audit_item.pk, Resolution.APPROVE, 6, 0, 0, "")]),
    )
    assert response.status_code == 400
    assert shown(errors.MEETING_ITEM_FOREIGN) in content(response)
    assert not Meeting.objects.exists()
    audit_item.refresh_from_db()
    assert audit_item.state == WorkItemState.OPEN
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.AUDIT_REVIEW and not budget.decided


@pytest.mark.django_db
def test_party_organisation_body_shows_the_written_decision_pages(cast, at_party_approval, client):
    budget = at_party_approval()
    (item,) = open_items(budget)
    party = Body.objects.get(union=cast.union, kind="party_organization")
    client.force_login(cast.party_secretary)
    response = client.get(meeting_url(party))
    assert response.status_code == 200
    assert 'data-testid="written-mode"' in content(response)
    assert reverse("workflows:written_decision", args=[item.pk]) in content(response)
    assert 'name="place"' not in content(response)


# --- written decisions --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_s3_3_written_decision_page_records_the_party_approval(cast, at_party_approval, client):
    budget = at_party_approval()
    (item,) = open_items(budget)
    url = reverse("workflows:written_decision", args=[item.pk])
    client.force_login(cast.party_secretary)
    page = client.get(url)
    assert page.status_code == 200
    assert escape(budget.title) in content(page)
    # a return without opinions is refused, the reference number kept
    refused = client.post(
        url,
        {
            "resolution": Resolution.RETURN,
            "reference_number": "机党〔2026〕12号",
            "decided_on": TODAY().isoformat(),
        },
    )
    assert refused.status_code == 400
    assert shown(errors.RETURN_NEEDS_REASON) in content(refused)
    assert 'value="机党〔2026〕12号"' in content(refused)
    # an .exe scan is refused
    exe = SimpleUploadedFile("reply.exe", b"MZ", content_type="application/octet-stream")
    refused = client.post(
        url,
        {
            "resolution": Resolution.APPROVE,
            "reference_number": "机党〔2026〕12号",
            "decided_on": TODAY().isoformat(),
            "scan": exe,
        },
    )
    assert refused.status_code == 400
    assert "exe" in content(refused)
    assert not WrittenDecision.objects.exists()
    # approve with the scan
    response = client.post(
        url,
        {
            "resolution": Resolution.APPROVE,
            "reference_number": "机党〔2026〕12号",
            "decided_on": TODAY().isoformat(),
            "opinions": "同意",
            "scan": pdf("reply.pdf"),
        },
    )
    assert response.status_code == 302
    decision = WrittenDecision.objects.get(work_item=item)
    assert decision.reference_number == "机党〔2026〕12号"
    assert decision.attachments.get().name == "reply.pdf"
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.CONGRESS_RATIFICATION
    # the step is closed now: a second POST (another tab, a recorder who lost the race before the
    # lock) is told who decided and when, keeps what was typed, and changes nothing
    again = client.post(
        url,
        {
            "resolution": Resolution.RETURN,
            "reference_number": "机党〔2026〕13号",
            "decided_on": TODAY().isoformat(),
        },
    )
    assert again.status_code == 409
    assert already_handled(item) in content(again)
    assert 'value="机党〔2026〕13号"' in content(again)
    assert WrittenDecision.objects.count() == 1


@pytest.mark.django_db
def test_written_decision_page_of_a_meeting_body_points_to_the_meeting(cast, at_audit_review, client):
    budget = at_audit_review()
    (item,) = open_items(budget)
    client.force_login(cast.audit_director)
    response = client.get(reverse("workflows:written_decision", args=[item.pk]))
    assert response.status_code == 200
    assert 'data-testid="meeting-mode"' in content(response)
    assert meeting_url(cast.body("audit_committee")) in content(response)
    refused = client.post(
        reverse("workflows:written_decision", args=[item.pk]),
        {"resolution": Resolution.APPROVE, "reference_number": "x", "decided_on": TODAY().isoformat()},
    )
    assert refused.status_code == 400
    assert not WrittenDecision.objects.exists()


# --- opinions -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_opinion_page_shows_the_budget_and_takes_an_opinion_and_no_opinion(cast, submitted_budget, client):
    budget = submitted_budget()
    items = {i.assignee: i for i in open_items(budget)}
    leader_item, rep_item = items[cast.group_leader], items[cast.representatives[0]]
    leader = Client()
    leader.force_login(cast.group_leader)
    url = reverse("workflows:opinion_answer", args=[leader_item.pk])
    page = leader.get(url)
    assert page.status_code == 200
    html = content(page)
    assert escape(budget.title) in html
    assert "50101" in html and "150,000.00" in html  # lines with the yuan filter
    assert "410,000.00" in html and "420,000.00" in html  # totals: expenditure, income
    assert leader_item.due_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d") in html
    assert escape(cast.group.name) in html  # answering for the union group
    # an empty opinion is refused, the choice kept
    refused = leader.post(url, {"answer": OpinionAnswer.OPINION, "text": "  "})
    assert refused.status_code == 400
    assert shown(errors.OPINION_EMPTY) in content(refused)
    assert re.search(r'value="opinion"[^>]*checked', content(refused))
    # an opinion
    response = leader.post(url, {"answer": OpinionAnswer.OPINION, "text": "建议增加职工书屋经费"})
    # the recipient lands on the document they gave their opinion on (issue 25)
    assert response.status_code == 302 and response["Location"] == reverse("budget:detail", args=[budget.pk])
    request = OpinionRequest.objects.get(work_item=leader_item)
    assert request.answer == OpinionAnswer.OPINION and request.text == "建议增加职工书屋经费"
    assert 'data-testid="closed"' in content(leader.get(url))
    # the same answer sent again from another tab: when they answered, the text kept, nothing written
    again = leader.post(url, {"answer": OpinionAnswer.OPINION, "text": "再补充一条：增加文体活动"})
    assert again.status_code == 409
    assert already_submitted(leader_item) in content(again) and "再补充一条：增加文体活动" in content(again)
    assert OpinionRequest.objects.get(work_item=leader_item).text == "建议增加职工书屋经费"
    # no opinion from the representative: all answers are in, the drafter consolidates
    rep = Client()
    rep.force_login(cast.representatives[0])
    response = rep.post(
        reverse("workflows:opinion_answer", args=[rep_item.pk]), {"answer": OpinionAnswer.NO_OPINION}
    )
    assert response.status_code == 302
    assert OpinionRequest.objects.get(work_item=rep_item).answer == OpinionAnswer.NO_OPINION
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.CONSOLIDATING


def answered_minute(item: WorkItem) -> str:
    """When the recipient's answer was stored: local time, to the minute."""
    answered_at = OpinionRequest.objects.get(work_item=item).answered_at
    return timezone.localtime(answered_at).strftime("%Y-%m-%d %H:%M")


def already_submitted(item: WorkItem) -> str:
    """The page's "You already submitted this opinion at T", in Chinese and HTML-escaped."""
    return shown(errors.OPINION_ALREADY_SUBMITTED, time=answered_minute(item))


@pytest.mark.django_db
def test_opinion_sent_twice_is_409_with_when_the_second_text_kept_and_nothing_written(
    cast, submitted_budget, client
):
    # given: the representative answered in one tab
    budget = submitted_budget()
    item = next(i for i in open_items(budget) if i.assignee == cast.representatives[0])
    url = reverse("workflows:opinion_answer", args=[item.pk])
    client.force_login(cast.representatives[0])
    first = client.post(url, {"answer": OpinionAnswer.OPINION, "text": "建议增加职工书屋经费"})
    assert first.status_code == 302
    # when: the other tab, still showing the form, sends a different text
    again = client.post(url, {"answer": OpinionAnswer.OPINION, "text": "再补充：<增加>文体活动 & 培训"})
    # then: 409, when (local time, to the minute), the second text still in the form; one answer stored
    assert again.status_code == 409
    assert f"已由您于 {answered_minute(item)} 提交。" in content(again)
    assert already_submitted(item) in content(again)
    assert escape("再补充：<增加>文体活动 & 培训") in content(again)
    stored = OpinionRequest.objects.get(work_item=item)
    assert (stored.answer, stored.text) == (OpinionAnswer.OPINION, "建议增加职工书屋经费")
    assert Event.objects.filter(verb="opinion_given", actor=cast.representatives[0]).count() == 1
    # the page, opened again, says the same instead of a bare notice
    page = client.get(url)
    assert page.status_code == 200 and 'data-testid="closed"' in content(page)
    assert already_submitted(item) in content(page) and "建议增加职工书屋经费" in content(page)
    # another union's person still learns nothing of it
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"answer": OpinionAnswer.NO_OPINION}).status_code == 404
    assert OpinionRequest.objects.get(work_item=item).text == "建议增加职工书屋经费"


@pytest.mark.django_db
def test_opinion_answer_after_the_other_tab_committed_is_a_conflict_not_a_stranger(cast, submitted_budget):
    """The service under the lock: the second answer read the item while it was still open."""
    budget = submitted_budget()
    item = next(i for i in open_items(budget) if i.assignee == cast.representatives[0])
    stale = WorkItem.objects.get(pk=item.pk)  # read by the second tab before the first committed
    opinion_answer(work_item=item, actor=cast.representatives[0], answer=OpinionAnswer.NO_OPINION)
    with pytest.raises(OpinionClosed) as exc:
        opinion_answer(work_item=stale, actor=stale.assignee, answer=OpinionAnswer.OPINION, text="再补充")
    with translation.override(settings.LANGUAGE_CODE):
        assert escape(exc.value.messages[0]) == already_submitted(item)
    assert OpinionRequest.objects.get(work_item=item).answer == OpinionAnswer.NO_OPINION
    # someone else is still a stranger to it
    with pytest.raises(PermissionDenied):
        opinion_answer(work_item=WorkItem.objects.get(pk=item.pk), actor=cast.outsider, answer="no_opinion")


@pytest.mark.django_db(transaction=True)
def test_opinion_posted_from_two_tabs_at_the_same_moment_one_stored_the_other_told_when(
    cast, submitted_budget
):
    budget = submitted_budget()
    item = next(i for i in open_items(budget) if i.assignee == cast.representatives[0])
    url = reverse("workflows:opinion_answer", args=[item.pk])
    texts = ("第一个标签页的意见", "第二个标签页的意见")
    responses = race(
        *((cast.representatives[0], url, {"answer": OpinionAnswer.OPINION, "text": t}) for t in texts)
    )
    assert sorted(r.status_code for r in responses) == [302, 409]
    stored = OpinionRequest.objects.get(work_item=item)
    loser = next(r for r in responses if r.status_code == 409)
    assert already_submitted(item) in content(loser)
    assert next(t for t in texts if t != stored.text) in content(loser)  # what the loser typed stays
    assert Event.objects.filter(verb="opinion_given", actor=cast.representatives[0]).count() == 1


@pytest.mark.django_db
def test_only_the_recipient_opens_the_opinion_page(cast, submitted_budget, client):
    budget = submitted_budget()
    item = next(i for i in open_items(budget) if i.assignee == cast.representatives[0])
    url = reverse("workflows:opinion_answer", args=[item.pk])
    for other in (cast.representatives[1], cast.office, cast.chair):
        client.force_login(other)
        assert client.get(url).status_code == 404
        assert client.post(url, {"answer": OpinionAnswer.NO_OPINION}).status_code == 404
    assert OpinionRequest.objects.get(work_item=item).answer == OpinionAnswer.PENDING
    assert Event.objects.filter(verb="access_denied", detail__path=url).count() == 6


# --- outsiders and supervisors --------------------------------------------------------------------------


@pytest.fixture
def every_page(cast, at_party_approval, submitted_budget):
    """One budget at the Party organisation, one soliciting opinions: a URL of each page."""
    at_party = at_party_approval(year=2027)
    soliciting = submitted_budget(year=2028)
    (party_item,) = open_items(at_party)
    opinion_item = open_items(soliciting)[0]
    return {
        "meeting": meeting_url(cast.body("audit_committee")),
        "decision": reverse("workflows:written_decision", args=[party_item.pk]),
        "opinion": reverse("workflows:opinion_answer", args=[opinion_item.pk]),
    }


def _state():
    return (
        sorted(Budget.objects.values_list("pk", "status")),
        Meeting.objects.count(),
        WrittenDecision.objects.count(),
        sorted(OpinionRequest.objects.values_list("pk", "answer")),
        WorkItem.objects.filter(state=WorkItemState.OPEN).count(),
    )


@pytest.mark.django_db
def test_user_of_another_union_gets_404_on_every_page_and_nothing_changes(cast, every_page, client):
    before = _state()
    client.force_login(cast.outsider)
    forged = {
        "meeting": meeting_data(
            attendees=cast.audit_committee,
            rows=[(i.pk, Resolution.APPROVE, 3, 0, 0, "") for i in WorkItem.objects.filter(state="open")],
        ),
        "decision": {"resolution": "approve", "reference_number": "x", "decided_on": TODAY().isoformat()},
        "opinion": {"answer": OpinionAnswer.NO_OPINION},
    }
    for name, url in every_page.items():
        get = client.get(url)
        assert get.status_code == 404, name
        assert escape(cast.union.name) not in content(get)
        assert client.post(url, forged[name]).status_code == 404, name
    assert _state() == before
    assert Event.objects.filter(verb="access_denied", actor=cast.outsider).count() == 6
    # and their work list shows nothing of a1
    work = client.get(reverse("workflows:my_work"))
    assert work.status_code == 200 and 'data-testid="my-work-empty"' in content(work)


@pytest.mark.django_db
def test_supervisor_of_the_department_above_gets_403_on_the_post_pages(
    cast, tree, every_page, supervisor_of, client
):
    before = _state()
    client.force_login(supervisor_of(tree["dept_a"]))
    for name in ("meeting", "decision"):
        assert client.get(every_page[name]).status_code == 403, name
        assert client.post(every_page[name], {"place": "x"}).status_code == 403, name
    # an opinion request is its recipient's alone
    assert client.get(every_page["opinion"]).status_code == 404
    # a member of the union who is no recorder may look at the union, not record
    client.force_login(cast.audit_members[0])
    assert client.get(every_page["meeting"]).status_code == 403
    assert client.get(every_page["decision"]).status_code == 403
    assert _state() == before


# --- my work ------------------------------------------------------------------------------------------


def _office_items(n, cast, draft_budget, submitted_budget):
    """n budgets, each giving the office staff one open item: draft, opinion, audit, Party reply."""
    for i in range(n):
        stage, year = i % 4, 2030 + i
        if stage == 0:
            draft_budget(year=year)
            continue
        budget = submitted_budget(recipients=[Recipient(cast.office)], year=year)
        if stage >= 2:
            answer_all(budget, cast)
            consolidate(budget, cast)
        if stage == 3:
            audit_meeting(budget, cast)


@pytest.mark.django_db
def test_my_work_lists_each_kind_with_its_action_overdue_first(cast, draft_budget, submitted_budget, client):
    _office_items(4, cast, draft_budget, submitted_budget)
    items = list(WorkItem.objects.filter(state=WorkItemState.OPEN).order_by("id"))
    by_step = {i.step: i for i in items if i.step != "give_opinion" or i.assignee == cast.office}
    overdue = by_step["party_approval"]
    WorkItem.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(cast.office)
    response = client.get(reverse("workflows:my_work"))
    assert response.status_code == 200
    html = content(response)
    for step in ("draft", "give_opinion", "audit_review", "party_approval"):
        assert f'data-testid="work-{by_step[step].pk}"' in html, step
    # overdue first, with its badge
    first = html.index('data-testid="work-')
    assert html[first:].startswith(f'data-testid="work-{overdue.pk}"')
    assert html.count('data-testid="overdue"') == 1
    assert reverse("workflows:written_decision", args=[overdue.pk]) in html
    assert meeting_url(cast.body("audit_committee")) in html
    assert reverse("workflows:opinion_answer", args=[by_step["give_opinion"].pk]) in html
    document_url = item_document_url(by_step["draft"])
    if document_url is not None:
        assert document_url in html
    assert escape(Budget.objects.get(year=2030).title) in html
    # a representative sees only their own opinion request
    client.force_login(cast.representatives[0])
    assert 'data-testid="my-work-empty"' in content(client.get(reverse("workflows:my_work")))


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 20])
def test_my_work_costs_at_most_6_queries(
    n, cast, draft_budget, submitted_budget, client, django_assert_max_num_queries
):
    _office_items(n, cast, draft_budget, submitted_budget)
    client.force_login(cast.office)
    client.get(reverse("workflows:my_work"))  # the first request stamps the session
    with django_assert_max_num_queries(6):
        response = client.get(reverse("workflows:my_work"))
    assert response.status_code == 200
    assert content(response).count('data-testid="work-') == n


# --- small screens --------------------------------------------------------------------------------------

STATIC_DIR = (Path(settings.BASE_DIR) / "static").resolve()
STATIC_PREFIX = "/" + settings.STATIC_URL.lstrip("/")  # "/static/"
ORIGIN = "http://wuyi.test"


def _server(pages: dict[str, str]):
    """Serve the pre-rendered pages and the vendored static files to the browser, no live server.

    The pages are rendered by the test client inside the test's transaction, so this test needs
    neither a transactional database (whose flush would empty the migration-loaded chart of
    accounts for later tests) nor ORM calls inside Playwright's event loop.
    """

    def handle(route) -> None:
        path = urlparse(route.request.url).path
        if path.startswith(STATIC_PREFIX):
            file = (STATIC_DIR / path.removeprefix(STATIC_PREFIX)).resolve()
            if file.is_relative_to(STATIC_DIR) and file.is_file():
                route.fulfill(path=file)
                return
        if path in pages:
            route.fulfill(body=pages[path], content_type="text/html; charset=utf-8")
            return
        route.fulfill(status=404, body="")

    return handle


@pytest.mark.django_db
def test_pages_fit_a_375px_screen(cast, at_audit_review, at_party_approval, submitted_budget, new_page):
    # given: each page with content, rendered for its user
    (audit_item,) = open_items(at_audit_review(year=2027))
    (party_item,) = open_items(at_party_approval(year=2028))
    cast.group.name = "机关第一党支部所属综合业务处室工会小组" * 3
    cast.group.save(update_fields=["name"])
    opinion_item = next(i for i in open_items(submitted_budget(year=2029)) if i.assignee == cast.group_leader)
    meeting = meeting_url(cast.body("audit_committee"))
    wanted = {
        cast.audit_director: [
            meeting,
            reverse("workflows:written_decision", args=[audit_item.pk]),
            reverse("workflows:my_work"),
        ],
        cast.party_secretary: [reverse("workflows:written_decision", args=[party_item.pk])],
        cast.group_leader: [reverse("workflows:opinion_answer", args=[opinion_item.pk])],
    }
    pages: dict[str, str] = {}
    for user, urls in wanted.items():
        client = Client()
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            pages[url] = content(response)
        if meeting in urls:  # the refused form, with its messages and a long place name
            refused = client.post(meeting, {"place": "综合楼" * 40, "agenda": [str(audit_item.pk)]})
            assert refused.status_code == 400
            pages["/refused-meeting/"] = content(refused)
    # when / then
    page = new_page(viewport={"width": 375, "height": 740}, mobile=True)
    page.context.route(f"{ORIGIN}/**", _server(pages))
    for path in pages:
        page.goto(ORIGIN + path)
        # Bootstrap is applied (py-3 on <main>), so the width is that of the real layout
        assert page.evaluate("getComputedStyle(document.querySelector('main')).paddingTop") == "16px"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
