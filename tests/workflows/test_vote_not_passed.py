"""A vote that does not pass (issue 24): an approval short of votes is recorded as not passed (未通过)
with its votes, no opinions demanded, and the document goes back as a return does (S2.2, S3.3), the
vote standing as the reason wherever a return's opinion is shown.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from core.models import Body, Event, VoteBase
from tests.pages import content, meeting_data, meeting_url
from tests.scenarios import drive, open_items, plan_at_committee
from workflows import errors
from workflows.models import DocumentType, Meeting, MeetingItem, Resolution, ReturnRule, WorkItem
from workflows.plan.models import PlanStatus
from workflows.plan.services import plan_submit
from workflows.services.decisions import AgendaVote, meeting_record
from workflows.trail import document_trail, last_return

# the union committee of a1 is its chair and two members: more than half of all three is 2
NOT_PASSED_1_1_1 = "表决未通过：赞成 1 票，反对 1 票，弃权 1 票（通过需 2 票）"


def _committee_vote(cast, plan, *, resolution=Resolution.APPROVE, votes=(1, 1, 1), opinions=""):
    (item,) = open_items(plan)
    return item, meeting_record(
        body=cast.body("union_committee"),
        recorder=cast.chair,
        held_on=timezone.localdate(),
        place="工会会议室",
        attendee_ids=[p.pk for p in cast.committee],
        votes=[AgendaVote(item.pk, resolution, *votes, opinions=opinions)],
    )


def _zh(text) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


@pytest.mark.django_db
def test_s2_2_failed_approval_vote_is_recorded_as_not_passed_and_the_plan_goes_to_revise(cast):
    plan = plan_at_committee(cast)
    # when: the chair records "approve" but only 1 of the 3 members votes for, and no opinion
    item, result = _committee_vote(cast, plan)
    # then: the meeting is not refused; the item is decided as a return that did not pass
    assert [i.pk for i in result.decided] == [item.pk]
    record = MeetingItem.objects.select_related("meeting__body").get(work_item=item)
    assert (record.resolution, record.passed, record.opinions) == (Resolution.RETURN, False, "")
    assert (record.votes_for, record.votes_against, record.votes_abstain) == (1, 1, 1)
    assert record.not_passed and record.votes_needed == 2
    assert result.not_passed == [record]
    item.refresh_from_db()
    assert item.outcome == Resolution.RETURN  # the flow's gateway routes it as a return
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.restart_step == "committee_meeting"
    # the drafter's revise step says why: the votes
    (revise,) = open_items(plan)
    assert revise.step == "revise" and revise.assignee == cast.office
    assert revise.note == NOT_PASSED_1_1_1
    # the event is a return flagged as not passed, with the votes as counted that day
    event = Event.objects.get(verb="returned", subject_type="plan.annualplan", subject_id=str(plan.pk))
    assert event.detail["not_passed"] is True
    assert {k: event.detail[k] for k in ("votes_for", "votes_against", "votes_abstain", "votes_needed")} == {
        "votes_for": 1,
        "votes_against": 1,
        "votes_abstain": 1,
        "votes_needed": 2,
    }


@pytest.mark.django_db
def test_s2_2_failed_vote_with_opinions_gives_the_votes_then_the_opinions(cast):
    plan = plan_at_committee(cast)
    _committee_vote(cast, plan, votes=(1, 2, 0), opinions="帮扶措施不够具体。")
    (revise,) = open_items(plan)
    expected = "表决未通过：赞成 1 票，反对 2 票，弃权 0 票（通过需 2 票）\n帮扶措施不够具体。"
    assert revise.note == expected
    returned = document_trail(document=plan, document_type=DocumentType.ANNUAL_PLAN).last_return
    assert returned.opinions == expected and returned.by == _zh(cast.body("union_committee").display_name)
    assert last_return(document=plan) == returned  # what the edit pages read


@pytest.mark.django_db
def test_s2_2_failed_congress_vote_restarts_where_the_return_rule_says(cast):
    ReturnRule.objects.create(
        union=cast.union,
        document_type="annual_plan",
        returning_step="congress_ratification",
        restart_step="committee_meeting",
    )
    plan = drive(plan_at_committee(cast), cast, until="congress_ratification")
    (item,) = open_items(plan)
    # six representatives attend; more than half of all six is 4, and 3 vote for
    result = meeting_record(
        body=cast.body("congress"),
        recorder=cast.congress_chair,
        held_on=timezone.localdate(),
        place="礼堂",
        attendee_ids=[p.pk for p in cast.congress],
        votes=[AgendaVote(item.pk, Resolution.APPROVE, 3, 3, 0)],
    )
    assert [i.pk for i in result.decided] == [item.pk]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.restart_step == "committee_meeting"
    (revise,) = open_items(plan)
    assert revise.note == "表决未通过：赞成 3 票，反对 3 票，弃权 0 票（通过需 4 票）"
    # revised and resubmitted, the plan goes on at the union committee, as after any return
    plan_submit(actor=cast.office, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMMITTEE_MEETING
    assert [i.step for i in open_items(plan)] == ["committee_meeting"]


@pytest.mark.django_db
def test_s2_2_an_explicit_return_still_needs_its_opinions(cast):
    plan = plan_at_committee(cast)
    with pytest.raises(ValidationError) as refused:
        _committee_vote(cast, plan, resolution=Resolution.RETURN, votes=(0, 3, 0), opinions="  ")
    (title,) = [str(plan)]
    assert refused.value.messages == [f"“{title}”：{_zh(errors.RETURN_NEEDS_REASON)}"]
    assert not Meeting.objects.exists()
    # with its opinions, it is a return and not a vote that did not pass: the opinions alone are shown
    item, _ = _committee_vote(
        cast, plan, resolution=Resolution.RETURN, votes=(0, 3, 0), opinions="缺少时间表。"
    )
    record = MeetingItem.objects.get(work_item=item)
    assert record.resolution == Resolution.RETURN and record.passed and not record.not_passed
    (revise,) = open_items(plan)
    assert revise.note == "缺少时间表。"
    assert "not_passed" not in Event.objects.get(verb="returned").detail


@pytest.mark.django_db
def test_s2_2_votes_exceeding_the_attendees_are_still_refused(cast):
    plan = plan_at_committee(cast)
    with pytest.raises(ValidationError):
        _committee_vote(cast, plan, votes=(1, 2, 1))
    assert not Meeting.objects.exists()
    assert [i.step for i in open_items(plan)] == ["committee_meeting"]


@pytest.mark.django_db
def test_s2_2_failed_vote_without_a_quorum_decides_nothing(cast):
    plan = plan_at_committee(cast)
    (item,) = open_items(plan)
    result = meeting_record(
        body=cast.body("union_committee"),
        recorder=cast.chair,
        held_on=timezone.localdate(),
        place="工会会议室",
        attendee_ids=[cast.chair.pk],
        votes=[AgendaVote(item.pk, Resolution.APPROVE, 0, 1, 0)],
    )
    assert not result.decided and not result.not_passed
    record = MeetingItem.objects.get(work_item=item)
    assert record.resolution == Resolution.APPROVE and not record.passed and not record.not_passed
    assert [i.step for i in open_items(plan)] == ["committee_meeting"]


# --- through the pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_s2_2_meeting_page_shows_the_votes_needed_and_records_a_failed_vote(cast, client):
    plan = plan_at_committee(cast)
    (item,) = open_items(plan)
    url = meeting_url(cast.body("union_committee"))
    client.force_login(cast.chair)
    # given: by the agenda item, the votes approval needs and what happens without them
    page = content(client.get(url))
    rule = page[page.index(f'data-testid="pass-rule-{item.pk}"') :]
    rule = rule[: rule.index("</p>")]
    assert "通过需赞成 2 票。" in rule and "记录为未通过" in rule
    # when: approve with 1 vote for of 3, no opinion
    response = client.post(
        url, meeting_data(attendees=cast.committee, rows=[(item.pk, Resolution.APPROVE, 1, 1, 1, "")])
    )
    # then: recorded, and the recorder is told it did not pass
    assert response.status_code == 302
    success, warning = list(get_messages(response.wsgi_request))
    assert success.level == message_levels.SUCCESS
    assert warning.level == message_levels.WARNING
    assert warning.message == f"“{plan}”表决未通过（赞成 1 票，通过需 2 票），已退回修改。"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED
    # the drafter sees 未通过 with the votes in the banner, the decisions and the history
    client.force_login(cast.office)
    detail = content(client.get(reverse("plan:detail", args=[plan.pk])))
    banner = detail[detail.index('data-testid="returned"') :]
    assert escape(NOT_PASSED_1_1_1) in banner[: banner.index("</div>\n</div>")]
    decisions = detail[detail.index('data-testid="decisions"') :]
    assert 'data-testid="not-passed">未通过</span> 通过需 2 票' in decisions[: decisions.index("</ul>")]
    history = detail[detail.index('data-testid="history"') :]
    # in plain words (issue 25): who recorded it for which body, 未通过, then the votes
    committee = escape(cast.body("union_committee").display_name)
    recorded = f'<span class="fw-semibold">{escape(cast.chair)}</span> 代表{committee}记录：未通过'
    assert f'{recorded} · <span class="break-anywhere">{escape(NOT_PASSED_1_1_1)}</span>' in history
    edit = content(client.get(reverse("plan:edit", args=[plan.pk])))
    assert escape(NOT_PASSED_1_1_1) in edit
    todo = content(client.get(reverse("workflows:my_work")))
    assert 'data-testid="return-opinion"' in todo and escape(NOT_PASSED_1_1_1) in todo


@pytest.mark.django_db
def test_meeting_page_counting_those_present_shows_the_fraction_then_the_count(cast, client):
    body = cast.body("union_committee")
    Body.objects.filter(pk=body.pk).update(pass_base=VoteBase.PRESENT, pass_strict=False)
    plan = plan_at_committee(cast)
    (item,) = open_items(plan)
    client.force_login(cast.chair)
    page = content(client.get(meeting_url(body)))
    assert "通过需不少于出席人数的 1/2 赞成。" in page
    # an error keeps the page: the members ticked as present give the count (2 present: 1 needed)
    refused = client.post(
        meeting_url(body),
        meeting_data(attendees=cast.committee[:2], rows=[(item.pk, Resolution.RETURN, 0, 2, 0, "")]),
    )
    assert refused.status_code == 400
    assert "按出席 2 人计，通过需赞成 1 票。" in content(refused)


@pytest.mark.django_db
def test_an_outsider_cannot_record_a_vote_that_does_not_pass(cast, client):
    plan = plan_at_committee(cast)
    (item,) = open_items(plan)
    url = meeting_url(cast.body("union_committee"))
    data = meeting_data(attendees=cast.committee, rows=[(item.pk, Resolution.APPROVE, 1, 1, 1, "")])
    # another union's chair: 404; a member of the union who is no recorder of the committee: 403
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404 and client.post(url, data).status_code == 404
    client.force_login(cast.audit_director)
    assert client.post(url, data).status_code == 403
    assert not Meeting.objects.exists()
    assert WorkItem.objects.get(pk=item.pk).state == "open"
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMMITTEE_MEETING
