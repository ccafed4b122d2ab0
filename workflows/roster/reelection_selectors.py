"""Reading the committees' terms and re-elections (换届, S4.1/S4.2): which re-elections are due soon or
overdue across many unions (the upper union's oversight and the chair), a union's committees with their
members in force, and its history of re-elections. Each read is a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core.models import COMMITTEE_KINDS, Body, BodyKind, Seat, Union
from workflows.models import Meeting

from .models import ReElection, ReElectionMember

DUE_WITHIN_DAYS = 90


@dataclass(frozen=True)
class Due:
    """S4.1: a committee whose term ends within the window (``days_left`` >= 0) or has ended with no
    re-election recorded (``days_left`` < 0, overdue). ``body.union`` is read with it."""

    body: Body
    term_end: datetime.date
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def reelections_due(
    union_ids: Iterable[int], within_days: int = DUE_WITHIN_DAYS, on: datetime.date | None = None
) -> list[Due]:
    """S4.1: the committees of ``union_ids`` whose term ends by ``on`` + ``within_days`` (today by
    default), overdue first, then by term end. Recording a re-election moves the committee's term on,
    so a committee re-elected leaves the list; one whose term has passed without a re-election stays
    on it, overdue. A committee with no term on record is never due. One query, whatever the number of
    unions."""
    day = on or timezone.localdate()
    bodies = (
        Body.objects.filter(
            union_id__in=list(union_ids),
            union__is_active=True,
            kind__in=COMMITTEE_KINDS,
            term_end__isnull=False,
            term_end__lte=day + datetime.timedelta(days=within_days),
        )
        .select_related("union")
        .order_by("term_end", "union_id", "id")
    )
    return [Due(body=body, term_end=body.term_end, days_left=(body.term_end - day).days) for body in bodies]


def _seats_in_force(on: datetime.date | None) -> Prefetch:
    seats = Seat.objects.in_force(on).select_related("person").order_by("role", "person__name_pinyin", "id")
    return Prefetch("seats", queryset=seats, to_attr="seats_in_force")


def committees_of(union: Union, *, on: datetime.date | None = None) -> list[Body]:
    """The union's committees (union committee, fund audit, women workers') with their seats in force
    on the day, holders read with them (``body.seats_in_force``). Two queries."""
    return list(
        Body.objects.filter(union=union, kind__in=COMMITTEE_KINDS)
        .prefetch_related(_seats_in_force(on))
        .order_by("id")
    )


def committee_of(union: Union, body_id: str | None, *, on: datetime.date | None = None) -> Body | None:
    """One of the union's committees by id (a query-string value) with its seats in force, or None."""
    if body_id is None or not body_id.isdigit() or len(body_id) > 18:
        return None
    return (
        Body.objects.filter(union=union, kind__in=COMMITTEE_KINDS, pk=int(body_id))
        .select_related("union")
        .prefetch_related(_seats_in_force(on))
        .first()
    )


def reelection_history(union: Union) -> QuerySet[ReElection]:
    """The union's re-elections, newest term first, with who elected and the members. Three queries."""
    members = ReElectionMember.objects.select_related("person").order_by("id")
    return (
        ReElection.objects.filter(union=union)
        .select_related("body", "elected_by_meeting__body", "recorded_by")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("-term_start", "body_id", "-id")
    )


def congress_meetings(union: Union) -> QuerySet[Meeting]:
    """The meetings of the union's member (representative) congress a re-election may name."""
    return (
        Meeting.objects.filter(body__union=union, body__kind=BodyKind.CONGRESS)
        .select_related("body")
        .order_by("-held_on", "-id")
    )
