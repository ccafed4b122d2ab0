"""The builders of the meeting papers (workflows.outputs.services.register_builder): each reads what was
recorded — the notice, or the meeting with its attendees and agenda items — and never anything typed for
the paper, so the same records give the same PDF (``rebuild``). Rows are read in a fixed order."""

from __future__ import annotations

from dataclasses import dataclass

from workflows import registry
from workflows.models import Meeting, MeetingItem, Resolution
from workflows.outputs.models import OfficialOutput, OutputKind
from workflows.outputs.services import Rendering, register_builder
from workflows.services.decisions import needed_for

from .models import MeetingNotice
from .selectors import quorum_of, seats_on

STYLESHEETS = ("sheet.css", "meeting.css")
NUMERALS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (agenda items are numbered so in Chinese papers)."""
    if n < 10:
        return NUMERALS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else NUMERALS[tens % 10]
    return f"{head}十{NUMERALS[ones] if ones else ''}" if n < 100 else str(n)


@dataclass(frozen=True)
class AgendaLine:
    ordinal: str
    title: str
    kind: str = ""


def _notice_agenda(notice: MeetingNotice) -> list[AgendaLine]:
    documents = [
        (item.document_title, str(registry.label(item.document_type)))
        for item in notice.agenda_items.order_by("created_at", "pk")
    ]
    lines = [*documents, *((line, "") for line in notice.agenda_line_list)]
    return [AgendaLine(chinese_ordinal(n), title, kind) for n, (title, kind) in enumerate(lines, start=1)]


def _notice_of(output: OfficialOutput) -> MeetingNotice:
    lookup = {"output": output} if output.kind == OutputKind.MEETING_NOTICE else {"sign_in_output": output}
    return MeetingNotice.objects.select_related("union", "body").get(**lookup)


def build_notice(output: OfficialOutput) -> Rendering:
    notice = _notice_of(output)
    context = {"notice": notice, "body": notice.body, "union": notice.union, "agenda": _notice_agenda(notice)}
    return Rendering("meetingpapers/pdf/notice.html", context, STYLESHEETS)


@dataclass(frozen=True)
class SignInRow:
    number: int
    name: str
    role: str
    attended: bool | None  # None: before the meeting


def _member_rows(union_id: int, day) -> list[SignInRow]:
    """S5.3: every member sits in a member congress, so each signs on their own line, named as the
    register has them on the day (their member number in the position's column)."""
    listed = registry.member_list_on(union_id, day) or []
    return [SignInRow(n, name, number, None) for n, (number, name, _account) in enumerate(listed, start=1)]


def _sheet_from_notice(notice: MeetingNotice) -> dict:
    seats = seats_on(notice.body, notice.meets_on)
    quorum = quorum_of(notice.body, notice.meets_on, len(seats))
    if quorum.member_congress:
        rows = _member_rows(notice.union_id, notice.meets_on)
    else:
        rows = [SignInRow(n, s.name, s.role, None) for n, s in enumerate(seats, start=1)]
    return {
        "body": notice.body,
        "union": notice.union,
        "day": notice.meets_on,
        "time": notice.starts_at,
        "place": notice.place,
        "rows": rows,
        "sits": quorum.sits,
        "needed": quorum.needed,
        "member_congress": quorum.member_congress,
        "meeting": None,
    }


def _sheet_from_meeting(meeting: Meeting) -> dict:
    present = set(meeting.attendees.values_list("pk", flat=True))
    # S5.3: a member congress is recorded as a count, with no seat ticked
    member_congress = not present and meeting.attendee_count > 0
    if member_congress:
        rows = _member_rows(meeting.body.union_id, meeting.held_on)
    else:
        seats = seats_on(meeting.body, meeting.held_on)
        rows = [SignInRow(n, s.name, s.role, s.person_id in present) for n, s in enumerate(seats, start=1)]
    return {
        "body": meeting.body,
        "union": meeting.body.union,
        "day": meeting.held_on,
        "time": None,
        "place": meeting.place,
        "rows": rows,
        "sits": meeting.seats_in_force,
        "needed": _quorum_needed(meeting),
        "member_congress": member_congress,
        "meeting": meeting,
    }


def build_sign_in_sheet(output: OfficialOutput) -> Rendering:
    if output.meeting_id:
        context = _sheet_from_meeting(_meeting_of(output))
    else:
        context = _sheet_from_notice(_notice_of(output))
    return Rendering("meetingpapers/pdf/sign_in.html", context, STYLESHEETS)


def _meeting_of(output: OfficialOutput) -> Meeting:
    return Meeting.objects.select_related("body__union").get(pk=output.meeting_id)


def _quorum_needed(meeting: Meeting) -> int:
    body = meeting.body
    return needed_for(
        meeting.seats_in_force, body.quorum_numerator, body.quorum_denominator, body.quorum_strict
    )


@dataclass(frozen=True)
class DecidedItem:
    ordinal: str
    title: str
    kind: str
    item: MeetingItem

    @property
    def outcome(self) -> str:
        """approved / not_passed / returned / none (no quorum: nothing decided)."""
        item = self.item
        if not item.meeting.has_quorum:
            return "none"
        if item.not_passed:
            return "not_passed"
        return "approved" if item.resolution == Resolution.APPROVE else "returned"


def _meeting_context(meeting: Meeting) -> dict:
    items = list(meeting.items.select_related("work_item").order_by("pk"))
    for item in items:
        item.meeting = meeting  # the outcome reads the meeting: no query per item
    decided = [
        DecidedItem(
            chinese_ordinal(n),
            item.work_item.document_title,
            str(registry.label(item.work_item.document_type)),
            item,
        )
        for n, item in enumerate(items, start=1)
    ]
    attendees = [str(p) for p in meeting.attendees.order_by("name_pinyin", "pk")]
    return {
        "meeting": meeting,
        "body": meeting.body,
        "union": meeting.body.union,
        "items": decided,
        "attendees": attendees,
        "needed": _quorum_needed(meeting),
        "minutes_paragraphs": [p.strip() for p in meeting.minutes.splitlines() if p.strip()],
    }


def build_minutes(output: OfficialOutput) -> Rendering:
    return Rendering("meetingpapers/pdf/minutes.html", _meeting_context(_meeting_of(output)), STYLESHEETS)


def build_resolution(output: OfficialOutput) -> Rendering:
    return Rendering("meetingpapers/pdf/resolution.html", _meeting_context(_meeting_of(output)), STYLESHEETS)


def register() -> None:
    register_builder(OutputKind.MEETING_NOTICE, build_notice)
    register_builder(OutputKind.SIGN_IN_SHEET, build_sign_in_sheet)
    register_builder(OutputKind.MINUTES, build_minutes)
    register_builder(OutputKind.RESOLUTION, build_resolution)
