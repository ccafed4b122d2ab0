"""Fixtures for the budget adjustment (S3.4): union a1's cast, a 2026 budget in force, time helpers."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from core.models import Body
from tests.workflows.conftest import BALANCED_LINES, Cast
from workflows.budget.services import Recipient, budget_create, budget_save_lines, budget_submit
from workflows.models import OpinionAnswer, Resolution, WorkItem, WorkItemState
from workflows.services.decisions import AgendaVote, meeting_record, opinion_answer, written_decision_record

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR = 2026


def at(*args) -> datetime.datetime:
    """An aware moment in Asia/Shanghai: at(2026, 9, 30, 23, 59)."""
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def travel(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


def open_items(document, step=None):
    qs = WorkItem.objects.filter(process=document.process, state=WorkItemState.OPEN)
    if step:
        qs = qs.filter(step=step)
    return list(qs.order_by("id"))


def body_meeting(cast, document, kind: str, recorder, attendees, resolution=Resolution.APPROVE, opinions=""):
    (item,) = open_items(document)
    body = Body.objects.get(union=cast.union, kind=kind)
    return meeting_record(
        body=body,
        recorder=recorder,
        held_on=timezone.localdate(),
        place="会议室",
        attendee_ids=[p.pk for p in attendees],
        votes=[
            AgendaVote(
                item.pk,
                resolution,
                votes_for=len(attendees) if resolution == Resolution.APPROVE else 0,
                votes_against=0 if resolution == Resolution.APPROVE else len(attendees),
                opinions=opinions,
            )
        ],
    )


def audit_meeting(cast, document, **kwargs):
    (item,) = open_items(document)
    assert item.step == "audit_review"
    return body_meeting(
        cast, document, "audit_committee", cast.audit_director, cast.audit_committee, **kwargs
    )


def party_reply(cast, document, resolution=Resolution.APPROVE, opinions=""):
    (item,) = open_items(document)
    assert item.step == "party_approval"
    return written_decision_record(
        work_item=item,
        recorder=cast.party_secretary,
        resolution=resolution,
        reference_number="机党〔2026〕9号",
        decided_on=timezone.localdate(),
        opinions=opinions,
    )


def congress_meeting(cast, document, **kwargs):
    (item,) = open_items(document)
    assert item.step == "congress_ratification"
    return body_meeting(cast, document, "congress", cast.congress_chair, cast.congress, **kwargs)


def committee_meeting(cast, document, **kwargs):
    (item,) = open_items(document)
    assert item.step == "committee_approval"
    return body_meeting(cast, document, "union_committee", cast.chair, cast.committee, **kwargs)


class AdjustmentCast(Cast):
    """Cast of a1 with a seated union committee (chair + two members) for the committee variant."""

    def __init__(self, tree):
        super().__init__(tree)
        from core.models import Role
        from tests.factories import UserFactory, give_seat

        self.committee_members = [UserFactory(username=f"a1-committee{i}") for i in range(2)]
        for person in self.committee_members:
            give_seat(person, self.union, Role.MEMBER, "union_committee")

    @property
    def committee(self):
        return [self.chair, *self.committee_members]


@pytest.fixture
def cast(tree):
    return AdjustmentCast(tree)


def make_budget_in_force(cast, year=YEAR, lines=BALANCED_LINES, carryover=Decimal("20000.00")):
    """A budget driven through the whole S3.3 chain (on 1 March of its year unless time is frozen)."""
    budget = budget_create(
        actor=cast.office, union=cast.union, year=year, carryover=carryover, carryover_is_estimate=False
    )
    budget_save_lines(
        actor=cast.office, budget=budget, lines=list(lines), carryover=carryover, carryover_is_estimate=False
    )
    budget_submit(
        actor=cast.office,
        budget=budget,
        recipients=[Recipient(cast.representatives[0])],
        due_at=timezone.now() + datetime.timedelta(days=7),
    )
    for item in open_items(budget, "give_opinion"):
        opinion_answer(work_item=item, actor=item.assignee, answer=OpinionAnswer.NO_OPINION)
    budget_submit(actor=cast.office, budget=budget)
    audit_meeting(cast, budget)
    party_reply(cast, budget)
    congress_meeting(cast, budget)
    budget.refresh_from_db()
    assert budget.status == "in_force"
    return budget


@pytest.fixture
def budget_in_force(cast):
    with travel(at(YEAR, 3, 1, 10, 0)):
        return make_budget_in_force(cast)
