"""Demo: the meeting papers (issue 33), after the Model Workers' Home (order 96).

At fin-office, through the real services: a congress notice issued in time (the first meeting day the
five-working-day rule allows, two days later) with the documents waiting for the congress on its agenda and
its sign-in sheet made; and the minutes and resolution of the union's latest recorded congress meeting.
Idempotent: once fin-office has a notice, nothing more is made."""

from __future__ import annotations

import datetime

from django.db import transaction

from core import demo_seeders
from core.models import Body, BodyKind, Union, User
from workflows.models import Meeting
from workflows.outputs.models import OutputKind
from workflows.services.decisions import pending_items_of_body

from . import services
from .models import MeetingNotice
from .selectors import earliest_meeting_day, rule_for


def _print_meeting(office: User, body: Body) -> list[str]:
    meeting = Meeting.objects.filter(body=body, items__isnull=False).order_by("-held_on", "-pk").first()
    if meeting is None:
        return []
    made = [
        services.meeting_paper_make(actor=office, meeting=meeting, kind=kind)
        for kind in (OutputKind.MINUTES, OutputKind.RESOLUTION)
    ]
    return [f"  printed from the congress of {meeting.held_on}: " + ", ".join(o.title for o in made)]


@transaction.atomic
def seed_demo_meeting_papers(*, write=print) -> list[str]:
    union = Union.objects.filter(code="fin-office").first()
    office = User.objects.filter(username="fin-office-office").first()
    if union is None or office is None or MeetingNotice.objects.filter(union=union).exists():
        return []
    body = Body.objects.select_related("union").get(union=union, kind=BodyKind.CONGRESS)
    today = services.union_today(body)
    rule = rule_for(union=union, body_kind=body.kind)
    meets_on = earliest_meeting_day(today, rule.notice_working_days) + datetime.timedelta(days=2)
    notice = services.notice_issue(
        actor=office,
        body=body,
        meets_on=meets_on,
        starts_at=datetime.time(9, 0),
        place="机关大礼堂",
        agenda_item_ids=[item.pk for item in pending_items_of_body(body=body)],
        agenda_lines="选举工会经费审查委员会委员\n听取女职工委员会工作报告",
        number=f"财综工通〔{today.year}〕1号",
        today=today,
    )
    services.notice_sign_in_make(actor=office, notice=notice)
    made = [
        f"Meeting papers at fin-office: a congress notice for {meets_on} with its sign-in sheet "
        f"(/bodies/{body.pk}/notices/, fin-office-office)",
        *_print_meeting(office, body),
    ]
    if write:
        for line in made:
            write(line)
    return made


demo_seeders.register("meeting papers", seed_demo_meeting_papers, order=96)
