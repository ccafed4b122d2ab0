"""S4.1: a committee's meetings of the year and each member's attendance, for the meeting page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from core.models import Body, Seat
from workflows.models import Meeting


@dataclass(frozen=True)
class MemberAttendance:
    name: str
    role: str
    held: int  # the year's meetings held while the member's seat was in force
    attended: int


@dataclass(frozen=True)
class YearAttendance:
    year: int
    meetings: list[Meeting]
    members: list[MemberAttendance]

    @property
    def quorate(self) -> int:
        return sum(1 for m in self.meetings if m.has_quorum)


def attendance_of_year(*, body: Body, year: int) -> YearAttendance:
    """Three queries whatever the number of meetings: the meetings (a corrected one counts once, as
    its amendment), who attended them, and the seats that overlapped the year."""
    meetings = list(
        Meeting.objects.filter(body=body, held_on__year=year, amendments__isnull=True).order_by(
            "held_on", "id"
        )
    )
    present: dict[int, set[int]] = {m.pk: set() for m in meetings}
    for meeting_id, person_id in Meeting.attendees.through.objects.filter(
        meeting_id__in=list(present)
    ).values_list("meeting_id", "user_id"):
        present[meeting_id].add(person_id)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    seats = (
        Seat.objects.filter(body=body, start_date__lte=last)
        .exclude(end_date__lt=first)
        .select_related("person")
        .order_by("role", "person_id", "start_date")
    )
    members = []
    for seat in seats:
        during = [
            m
            for m in meetings
            if seat.start_date <= m.held_on and (seat.end_date is None or m.held_on <= seat.end_date)
        ]
        members.append(
            MemberAttendance(
                name=str(seat.person),
                role=seat.get_role_display(),
                held=len(during),
                attended=sum(1 for m in during if seat.person_id in present[m.pk]),
            )
        )
    return YearAttendance(year=year, meetings=meetings, members=members)
