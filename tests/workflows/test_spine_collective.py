"""Collective steps and solicitations: quorum by the seats of the day, 50 recipients, concurrent
meetings on PostgreSQL, the overdue sweep (issue 4)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from core.models import Body, Role, Seat
from tests.factories import UserFactory, give_seat
from tests.scenarios import open_items, to_audit_review
from workflows.budget.models import BudgetStatus
from workflows.budget.services import Recipient, budget_submit
from workflows.models import (
    Meeting,
    MeetingItem,
    OpinionAnswer,
    OpinionRequest,
    Resolution,
    WorkItem,
)
from workflows.services import decisions
from workflows.services.decisions import AgendaVote, meeting_record
from workflows.services.opinions import opinion_answer, opinions_close_overdue
from workflows.services.workitems import DocumentBusy


@pytest.mark.django_db
def test_fifty_recipients_answer_in_parallel_and_silence_becomes_no_reply(cast, draft_budget):
    """S3.3 solicitation with 50 recipients: 49 answer, one is silent past the due date."""
    people = []
    for i in range(50):
        person = UserFactory(username=f"rep-many-{i}")
        give_seat(person, cast.union, Role.REPRESENTATIVE, "congress")
        people.append(person)
    budget = draft_budget()
    due = timezone.now() + datetime.timedelta(days=3)
    budget_submit(actor=cast.office, budget=budget, recipients=[Recipient(p) for p in people], due_at=due)
    items = open_items(budget, "give_opinion")
    assert len(items) == 50
    assert {i.assignee_id for i in items} == {p.pk for p in people}
    assert all(i.due_at == due for i in items)
    for item in items[:49]:
        opinion_answer(
            work_item=item, actor=item.assignee, answer=OpinionAnswer.OPINION, text=f"意见{item.pk}"
        )
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.SOLICITING
    assert not open_items(budget, "consolidate")
    assert opinions_close_overdue() == 0  # not due yet
    assert opinions_close_overdue(now=due + datetime.timedelta(minutes=1)) == 1
    assert opinions_close_overdue(now=due + datetime.timedelta(minutes=2)) == 0  # idempotent
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.CONSOLIDATING
    (consolidation,) = open_items(budget)
    assert consolidation.step == "consolidate" and consolidation.assignee == cast.office
    answers = dict(OpinionRequest.objects.values_list("recipient_id", "answer"))
    assert list(answers.values()).count(OpinionAnswer.OPINION) == 49
    assert answers[people[49].pk] == OpinionAnswer.NO_REPLY


@pytest.mark.django_db
def test_quorum_counts_the_seats_in_force_on_the_meeting_day(cast, submitted_budget):
    """A member left yesterday and a new one joined today: the roll of the meeting day counts."""
    today = timezone.localdate()
    body = Body.objects.get(union=cast.union, kind="audit_committee")
    leaver = cast.audit_members[1]
    seat = Seat.objects.get(person=leaver, body=body)
    seat.end_date = today - datetime.timedelta(days=1)
    seat.save()
    newcomer = UserFactory(username="a1-audit-new")
    give_seat(newcomer, cast.union, Role.MEMBER, "audit_committee", start=today)
    item = to_audit_review(submitted_budget(), cast)
    # the leaver cannot attend today's meeting
    with pytest.raises(ValidationError) as exc:
        meeting_record(
            body=body,
            recorder=cast.audit_director,
            held_on=today,
            place="会议室",
            attendee_ids=[cast.audit_director.pk, leaver.pk],
            votes=[AgendaVote(item.pk, Resolution.APPROVE, votes_for=2)],
        )
    assert str(leaver) in exc.value.messages[0]
    # a week ago the leaver sat and the newcomer did not: 2 of 3 attend → quorum (more than half)
    result = meeting_record(
        body=body,
        recorder=cast.audit_director,
        held_on=today - datetime.timedelta(days=7),
        place="会议室",
        attendee_ids=[cast.audit_director.pk, leaver.pk],
        votes=[AgendaVote(item.pk, Resolution.APPROVE, votes_for=2)],
    )
    assert result.meeting.seats_in_force == 3 and result.meeting.has_quorum
    assert [i.pk for i in result.decided] == [item.pk]


@pytest.mark.django_db
def test_meeting_without_quorum_is_recorded_and_decides_nothing(cast, submitted_budget):
    budget = submitted_budget()
    item = to_audit_review(budget, cast)
    body = Body.objects.get(union=cast.union, kind="audit_committee")
    result = meeting_record(
        body=body,
        recorder=cast.audit_director,
        held_on=timezone.localdate(),
        place="会议室",
        attendee_ids=[cast.audit_director.pk],
        votes=[AgendaVote(item.pk, Resolution.APPROVE, votes_for=1)],
    )
    assert not result.meeting.has_quorum and not result.decided
    assert MeetingItem.objects.filter(meeting=result.meeting).count() == 1
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.AUDIT_REVIEW
    assert open_items(budget, "audit_review")


@pytest.mark.django_db
def test_votes_must_fit_the_attendees(cast, submitted_budget):
    item = to_audit_review(submitted_budget(), cast)
    body = Body.objects.get(union=cast.union, kind="audit_committee")
    with pytest.raises(ValidationError):
        meeting_record(
            body=body,
            recorder=cast.audit_director,
            held_on=timezone.localdate(),
            place="会议室",
            attendee_ids=[p.pk for p in cast.audit_committee],
            votes=[AgendaVote(item.pk, Resolution.APPROVE, 4, 0, 0)],  # more votes than the 3 attendees
        )
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_s3_3_approval_without_a_majority_of_all_is_recorded_as_not_passed_and_returned(
    cast, submitted_budget
):
    """Issue 24: no longer refused; 1 vote for of 3 does not pass (2 needed) and the budget goes back."""
    budget = submitted_budget()
    item = to_audit_review(budget, cast)
    body = Body.objects.get(union=cast.union, kind="audit_committee")
    result = meeting_record(
        body=body,
        recorder=cast.audit_director,
        held_on=timezone.localdate(),
        place="会议室",
        attendee_ids=[p.pk for p in cast.audit_committee],
        votes=[AgendaVote(item.pk, Resolution.APPROVE, 1, 1, 0)],
    )
    assert [i.pk for i in result.decided] == [item.pk]
    (record,) = result.not_passed
    assert (record.resolution, record.passed, record.votes_needed) == (Resolution.RETURN, False, 2)
    item.refresh_from_db()
    assert item.outcome == Resolution.RETURN
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.RETURNED
    assert [i.step for i in open_items(budget)] == ["revise"]


@pytest.mark.django_db(transaction=True)
def test_two_meetings_with_overlapping_agendas_concurrently(cast, submitted_budget, monkeypatch):
    """Meeting 1 decides [A, B], meeting 2 [B, A] at the same moment: one wins, the other records nothing."""
    a = submitted_budget(year=2027)
    b = submitted_budget(year=2028)
    item_a, item_b = to_audit_review(a, cast), to_audit_review(b, cast)
    body = Body.objects.get(union=cast.union, kind="audit_committee")
    original = decisions.work_item_complete

    def slow_complete(**kwargs):
        original(**kwargs)
        threading.Event().wait(0.4)  # hold the locks long enough for the other meeting to collide

    monkeypatch.setattr(decisions, "work_item_complete", slow_complete)
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def record(name, order):
        try:
            barrier.wait()
            meeting_record(
                body=body,
                recorder=cast.audit_director,
                held_on=timezone.localdate(),
                place=name,
                attendee_ids=[p.pk for p in cast.audit_committee],
                votes=[AgendaVote(i.pk, Resolution.APPROVE, votes_for=3) for i in order],
            )
            outcomes[name] = "recorded"
        except DocumentBusy:
            outcomes[name] = "busy"
        except ValidationError:
            outcomes[name] = "no longer pending"
        finally:
            connection.close()

    threads = [
        threading.Thread(target=record, args=("会议一", [item_a, item_b])),
        threading.Thread(target=record, args=("会议二", [item_b, item_a])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcomes.values()) in (["busy", "recorded"], ["no longer pending", "recorded"]), outcomes
    assert Meeting.objects.count() == 1
    assert MeetingItem.objects.count() == 2
    for budget in (a, b):
        budget.refresh_from_db()
        assert budget.status == BudgetStatus.PARTY_APPROVAL
        assert WorkItem.objects.filter(process=budget.process, step="audit_review", state="done").count() == 1


@pytest.mark.django_db
def test_withdrawn_item_on_the_agenda_is_reported_and_nothing_recorded(cast, submitted_budget):
    from workflows.budget.services import budget_withdraw

    a = submitted_budget(year=2027)
    b = submitted_budget(year=2028)
    item_a, item_b = to_audit_review(a, cast), to_audit_review(b, cast)
    budget_withdraw(actor=cast.office, budget=b)
    body = Body.objects.get(union=cast.union, kind="audit_committee")
    with pytest.raises(ValidationError) as exc:
        meeting_record(
            body=body,
            recorder=cast.audit_director,
            held_on=timezone.localdate(),
            place="会议室",
            attendee_ids=[p.pk for p in cast.audit_committee],
            votes=[
                AgendaVote(item_a.pk, Resolution.APPROVE, votes_for=3),
                AgendaVote(item_b.pk, Resolution.APPROVE, votes_for=3),
            ],
        )
    assert b.title in " ".join(exc.value.messages)
    assert not Meeting.objects.exists()
    a.refresh_from_db()
    assert a.status == BudgetStatus.AUDIT_REVIEW
