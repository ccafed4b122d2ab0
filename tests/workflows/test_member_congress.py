"""S5.3 → S3.3: a union with fewer members than its threshold (100 by default, data on its congress body)
holds a member congress — every member sits, so the quorum and the votes are counted over the members
the register has on the meeting day, and the recorder enters how many attended. A union whose count is
not yet from the register keeps its representative congress."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.models import Body, Union
from tests.scenarios import at, drive, open_item, travel
from workflows import errors
from workflows.budget.models import BudgetStatus
from workflows.members.models import Member
from workflows.models import Meeting, Resolution
from workflows.services.decisions import AgendaVote, meeting_record
from workflows.services.member_congress import member_congress_size

MEETING_DAY = datetime.date(2026, 11, 20)


def words(message, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def register(union, *, active: int) -> None:
    """``active`` members on the meeting day, one who left before it and one who joins after it."""
    rows = [
        Member(
            union=union,
            name=f"会员{i}",
            member_number=f"M{union.pk}-{i:04d}",
            joined_on=datetime.date(2024, 3, 1),
        )
        for i in range(active)
    ]
    rows.append(
        Member(
            union=union,
            name="已离会",
            member_number=f"M{union.pk}-left",
            joined_on=datetime.date(2024, 3, 1),
            left_on=datetime.date(2026, 6, 30),
        )
    )
    rows.append(
        Member(
            union=union, name="新会员", member_number=f"M{union.pk}-new", joined_on=datetime.date(2026, 12, 1)
        )
    )
    Member.objects.bulk_create(rows)
    Union.objects.filter(pk=union.pk).update(member_count=active, member_count_from_register=True)


@pytest.fixture
def at_congress(cast, submitted_budget):
    def _make():
        with travel(at(2026, 11, 10, 10)):
            return drive(submitted_budget(year=2027), cast, until="congress_ratification")

    return _make


def congress(cast, budget, *, present, votes_for, attendee_ids=()):
    item = open_item(budget, "congress_ratification")
    return meeting_record(
        body=cast.body("congress"),
        recorder=cast.congress_chair,
        held_on=MEETING_DAY,
        place="礼堂",
        attendee_ids=list(attendee_ids),
        votes=[AgendaVote(item.pk, Resolution.APPROVE, votes_for=votes_for)],
        members_present=present,
    )


@pytest.mark.django_db
def test_S5_3_a_small_union_holds_a_member_congress_counted_over_the_members_of_the_day(cast, at_congress):
    register(cast.union, active=40)
    budget = at_congress()
    assert member_congress_size(body=cast.body("congress"), day=MEETING_DAY) == 40
    with travel(at(2026, 11, 21, 10)):
        with pytest.raises(ValidationError) as refused:
            congress(cast, budget, present=None, votes_for=30)
        assert refused.value.messages == [words(errors.MEMBER_CONGRESS_PRESENT_MISSING)]
        with pytest.raises(ValidationError) as refused:
            congress(cast, budget, present=41, votes_for=30)
        assert refused.value.messages == [words(errors.MEMBER_CONGRESS_PRESENT_TOO_MANY, size=40)]
        # two thirds of 40 must attend (27); more than half of all 40 must vote for (21)
        result = congress(cast, budget, present=30, votes_for=21)
    meeting = result.meeting
    assert (meeting.seats_in_force, meeting.attendee_count, meeting.has_quorum) == (40, 30, True)
    assert not meeting.attendees.exists()
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.IN_FORCE


@pytest.mark.django_db
def test_S5_3_below_quorum_of_members_a_member_congress_decides_nothing(cast, at_congress):
    register(cast.union, active=40)
    budget = at_congress()
    with travel(at(2026, 11, 21, 10)):
        result = congress(cast, budget, present=26, votes_for=26)
    assert result.meeting.has_quorum is False
    budget.refresh_from_db()
    assert budget.status != BudgetStatus.IN_FORCE


@pytest.mark.django_db
def test_S5_3_the_threshold_is_data_and_a_union_not_yet_on_the_register_keeps_its_representatives(cast):
    register(cast.union, active=40)
    body = cast.body("congress")
    Body.objects.filter(pk=body.pk).update(member_congress_below=30)
    body.refresh_from_db()
    assert member_congress_size(body=body, day=MEETING_DAY) is None  # 40 members: representatives
    Body.objects.filter(pk=body.pk).update(member_congress_below=100)
    Union.objects.filter(pk=cast.union.pk).update(member_count_from_register=False)
    body = Body.objects.select_related("union").get(pk=body.pk)
    assert member_congress_size(body=body, day=MEETING_DAY) is None  # the typed count is not the register


@pytest.mark.django_db
def test_S5_3_the_meeting_page_asks_a_member_congress_for_its_number_present(cast, at_congress, client):
    register(cast.union, active=40)
    budget = at_congress()
    url = reverse("workflows:meeting_new", args=[cast.body("congress").pk])
    item = open_item(budget, "congress_ratification")
    with travel(at(2026, 11, 21, 10)):
        client.force_login(cast.congress_chair)
        page = client.get(url).content.decode()
        assert 'name="members_present"' in page and 'name="attendees"' not in page
        response = client.post(
            url,
            {
                "held_on": "2026-11-20",
                "place": "礼堂",
                "members_present": "35",
                "agenda": [item.pk],
                f"item-{item.pk}-resolution": "approve",
                f"item-{item.pk}-votes_for": "33",
                f"item-{item.pk}-votes_against": "1",
                f"item-{item.pk}-votes_abstain": "1",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(body=cast.body("congress"))
    assert (meeting.seats_in_force, meeting.attendee_count) == (40, 35)
