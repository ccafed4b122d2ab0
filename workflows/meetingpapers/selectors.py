"""Reading for the meeting papers: the notice rule (nearest wins), the working days it counts, the seats
of a body on a day, the quorum they need, a body's notices and the papers made from a meeting."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from core.models import Body, BodyKind, Seat, Union
from core.selectors import union_access, union_ancestor_chain
from core.statutory import WorkingCalendar
from workflows.documents import document_model, document_visible_to
from workflows.models import Meeting, WorkItem
from workflows.outputs.models import OfficialOutput, OutputKind
from workflows.services.decisions import needed_for
from workflows.services.member_congress import member_congress_size

from .models import CONGRESS_NOTICE_WORKING_DAYS, REMIND_WORKING_DAYS, MeetingNotice, NoticeRule

MEETING_KINDS = (OutputKind.MINUTES, OutputKind.RESOLUTION, OutputKind.SIGN_IN_SHEET)


# --- the rule, nearest wins -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    notice_working_days: int
    remind_working_days: int = REMIND_WORKING_DAYS


def builtin_rule(body_kind: str) -> Rule:
    """REG congress notice (issue 33): 5 working days for the congress, no minimum for other bodies."""
    days = CONGRESS_NOTICE_WORKING_DAYS if body_kind == BodyKind.CONGRESS else 0
    return Rule(days)


def rule_for(*, union: Union, body_kind: str) -> Rule:
    """The union's own row, then each union above it nearest first, then the provincial default, then
    the built-in values. Two queries (the ancestors, the rows)."""
    chain = [union.pk, *(u.pk for u in reversed(union_ancestor_chain(union=union)))]
    rows = {
        row.union_id: row
        for row in NoticeRule.objects.filter(body_kind=body_kind).filter(
            Q(union__isnull=True) | Q(union_id__in=chain)
        )
    }
    row = next((rows[pk] for pk in [*chain, None] if pk in rows), None)
    if row is None:
        return builtin_rule(body_kind)
    return Rule(row.notice_working_days, row.remind_working_days)


# --- working days -------------------------------------------------------------------------------------


def working_days_before(
    day: datetime.date, count: int, calendar: WorkingCalendar | None = None
) -> datetime.date:
    """The ``count``-th working day before ``day`` (the day itself not counted; 0: the day itself)."""
    calendar = calendar or WorkingCalendar(day, day)
    while count > 0:
        day -= datetime.timedelta(days=1)
        if calendar.is_working(day):
            count -= 1
    return day


def latest_issue_day(
    meets_on: datetime.date, days: int, calendar: WorkingCalendar | None = None
) -> datetime.date | None:
    """REG congress notice (issue 33): the last day a notice may go out so that ``days`` working days
    lie between it (counted) and the meeting day (not counted). None: no minimum."""
    return working_days_before(meets_on, days, calendar) if days > 0 else None


def earliest_meeting_day(today: datetime.date, days: int, look_ahead: int = 90) -> datetime.date:
    """REG congress notice (issue 33): the first meeting day a notice issued today is in time for."""
    calendar = WorkingCalendar(today, today)
    day = today
    for _step in range(look_ahead):
        latest = latest_issue_day(day, days, calendar)
        if latest is None or latest >= today:
            return day
        day += datetime.timedelta(days=1)
    return day


def reminder_day(notice: MeetingNotice, rule: Rule) -> datetime.date:
    return working_days_before(notice.meets_on, max(rule.remind_working_days, 0))


# --- seats and quorum ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatLine:
    person_id: int
    name: str
    role: str


def seats_on(body: Body, day: datetime.date) -> list[SeatLine]:
    """The body's seat holders in force on ``day`` (one line per person, the first role by order). One
    query."""
    seats = (
        Seat.objects.filter(body=body)
        .in_force(day)
        .select_related("person")
        .order_by("role", "person__name_pinyin", "person_id")
    )
    lines: dict[int, SeatLine] = {}
    for seat in seats:
        lines.setdefault(seat.person_id, SeatLine(seat.person_id, str(seat.person), seat.get_role_display()))
    return list(lines.values())


@dataclass(frozen=True)
class Quorum:
    sits: int  # the seats in force, or the members of a member congress (S5.3)
    needed: int
    member_congress: bool


def quorum_of(body: Body, day: datetime.date, seats: int) -> Quorum:
    members = member_congress_size(body=body, day=day)
    sits = seats if members is None else members
    needed = needed_for(sits, body.quorum_numerator, body.quorum_denominator, body.quorum_strict)
    return Quorum(sits, needed, members is not None)


# --- pages --------------------------------------------------------------------------------------------


def notices_of_body(body: Body) -> QuerySet[MeetingNotice]:
    return (
        MeetingNotice.objects.filter(body=body)
        .select_related("issued_by", "output", "sign_in_output")
        .order_by("-meets_on", "-id")
    )


def notice_with_union(pk: int) -> MeetingNotice | None:
    return (
        MeetingNotice.objects.select_related("union", "body", "output", "sign_in_output")
        .filter(pk=pk)
        .first()
    )


def meeting_with_body(pk: int) -> Meeting | None:
    return Meeting.objects.select_related("body__union").filter(pk=pk).first()


def meeting_outputs(meeting: Meeting) -> list[OfficialOutput]:
    return list(
        OfficialOutput.objects.filter(meeting=meeting, kind__in=MEETING_KINDS).order_by("kind", "-made_at")
    )


def meeting_visible(*, user, meeting: Meeting) -> bool:
    """As the download of a meeting's papers (workflows.outputs.views): the right to a document on its
    agenda, or being an officer of the body's union."""
    if union_access(user=user, union=meeting.body.union).is_officer:
        return True
    pairs = sorted(
        set(
            WorkItem.objects.filter(meeting_items__meeting=meeting).values_list(
                "document_type", "document_id"
            )
        )
    )
    for document_type, document_id in pairs:
        document = (
            document_model(document_type).objects.select_related("union").filter(pk=document_id).first()
        )
        if document is not None and document_visible_to(
            user=user, document_type=document_type, document=document
        ):
            return True
    return False
