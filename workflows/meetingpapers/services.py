"""Writing the meeting papers (issue 33): issue a body's meeting notice (with its PDF and a notification to
each seat holder, and in a member congress to each member with an account), make the sign-in sheet from a
notice, make a recorded meeting's minutes, resolution and sign-in sheet, and the reminder sweep. Each PDF
is an OfficialOutput made by workflows.outputs from the records (builders.py), so rebuilding it gives the
same bytes."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.models import Body, DecisionMode, User
from core.selectors import union_access
from core.services.events import event_record
from notifications.models import Notification
from notifications.services import notifications_create_once
from workflows import registry
from workflows.models import Meeting
from workflows.outputs.models import OfficialOutput, OutputKind
from workflows.outputs.services import make_output
from workflows.services.decisions import pending_items_of_body, user_may_act_for_body
from workflows.services.member_congress import member_congress_size

from . import errors
from .models import MeetingNotice
from .selectors import MEETING_KINDS, latest_issue_day, reminder_day, rule_for, seats_on

# a meeting further ahead than this is reminded of on a later run (the sweep reads only the near ones)
REMIND_LOOK_AHEAD_DAYS = 60


def union_today(body: Body) -> datetime.date:
    return timezone.localdate(timezone=body.union.tz)


def _zh(text_fn):
    """Titles stored on an output are in Chinese, as the PDF is, whatever the issuer's language."""
    with translation.override("zh-hans"):
        return text_fn()


def _check_notice(*, body: Body, meets_on: datetime.date, today: datetime.date, items, lines) -> None:
    """REG congress notice (issue 33): refused when later than the rule's working days before the meeting."""
    if body.decision_mode == DecisionMode.WRITTEN:
        raise ValidationError(errors.WRITTEN_BODY)
    if meets_on < today:
        raise ValidationError({"meets_on": errors.MEETING_IN_PAST})
    rule = rule_for(union=body.union, body_kind=body.kind)
    latest = latest_issue_day(meets_on, rule.notice_working_days)
    if latest is not None and today > latest:
        raise ValidationError(
            {
                "meets_on": ValidationError(
                    errors.NOTICE_TOO_LATE,
                    params={
                        "body": body.display_name,
                        "days": rule.notice_working_days,
                        "meets_on": date_format(meets_on),
                        "latest": date_format(latest),
                    },
                )
            }
        )
    if not items and not lines:
        raise ValidationError(errors.NO_AGENDA)


@transaction.atomic
def notice_issue(
    *,
    actor: User,
    body: Body,
    meets_on: datetime.date,
    starts_at: datetime.time,
    place: str,
    agenda_item_ids: list[int] = (),
    agenda_lines: str = "",
    number: str = "",
    today: datetime.date | None = None,
) -> MeetingNotice:
    """Issue the notice: its PDF, and a notification to each seat holder of the body on the meeting day
    (and, in a member congress, to each member with an account)."""
    if not union_access(user=actor, union=body.union).can_draft:
        raise PermissionDenied(errors.NOT_DRAFTER)
    today = today or union_today(body)
    wanted = sorted(set(agenda_item_ids))
    items = list(pending_items_of_body(body=body).filter(pk__in=wanted)) if wanted else []
    if len(items) != len(wanted):
        raise ValidationError({"agenda_items": errors.NOT_THIS_BODY})
    lines = "\n".join(line.strip() for line in agenda_lines.splitlines() if line.strip())
    _check_notice(body=body, meets_on=meets_on, today=today, items=items, lines=lines)
    seats = seats_on(body, meets_on)
    if not seats:
        raise ValidationError(errors.NO_SEATS)
    notice = MeetingNotice(
        union=body.union,
        body=body,
        meets_on=meets_on,
        starts_at=starts_at,
        place=place.strip(),
        agenda_lines=lines,
        number=number.strip(),
        issued_by=actor,
        issued_on=today,
    )
    notice.full_clean()
    notice.save()
    notice.agenda_items.set(items)
    notice.output = _output_for(
        notice, OutputKind.MEETING_NOTICE, "output", lambda: notice_title(notice), number=notice.number
    )
    notice.save(update_fields=["output"])
    seated, members = _recipients(notice)
    _notify(notice, seated, members, reminder=False)
    event_record(
        verb="meeting_notice_issued",
        actor=actor,
        subject=notice,
        union=body.union,
        detail={
            "body": body.kind,
            "meets_on": meets_on.isoformat(),
            "recipients": len(seated) + len(members),
        },
    )
    return notice


def notice_title(notice: MeetingNotice) -> str:
    return _zh(
        lambda: (
            _("%(union)s: notice of the %(body)s meeting")
            % {"union": notice.union.name, "body": notice.body.display_name}
        )
    )


def _output_for(notice: MeetingNotice, kind: str, link: str, title, *, number: str = "") -> OfficialOutput:
    """An output that names neither a document nor a meeting: linked to the notice before it is rendered,
    as its builder reaches the notice through that link."""
    output = OfficialOutput(
        union=notice.union,
        kind=kind,
        title=_zh(title)[:300],
        number=number,
        made_on=notice.issued_on,
        made_by=notice.issued_by,
        sha256="",
        size=0,
    )
    output.save()
    setattr(notice, link, output)
    notice.save(update_fields=[link])
    return make_output(output)


@transaction.atomic
def notice_sign_in_make(*, actor: User, notice: MeetingNotice) -> OfficialOutput:
    """The sign-in sheet before the meeting: the body's seats in force on the meeting day (once)."""
    if not union_access(user=actor, union=notice.union).can_draft:
        raise PermissionDenied(errors.NOT_DRAFTER)
    notice = MeetingNotice.objects.select_for_update().select_related("union", "body").get(pk=notice.pk)
    if notice.sign_in_output_id:
        return notice.sign_in_output
    return _output_for(
        notice,
        OutputKind.SIGN_IN_SHEET,
        "sign_in_output",
        lambda: (
            _("%(body)s sign-in sheet, %(date)s")
            % {"body": notice.body.display_name, "date": date_format(notice.meets_on)}
        ),
    )


def may_make_meeting_papers(*, user: User, meeting: Meeting) -> bool:
    body = meeting.body
    return union_access(user=user, union=body.union).can_draft or user_may_act_for_body(user=user, body=body)


MEETING_TITLES = {
    OutputKind.MINUTES: lambda: _("%(body)s minutes of the meeting of %(date)s"),
    OutputKind.RESOLUTION: lambda: _("%(body)s resolution of the meeting of %(date)s"),
    OutputKind.SIGN_IN_SHEET: lambda: _("%(body)s sign-in sheet, %(date)s"),
}


@transaction.atomic
def meeting_paper_make(*, actor: User, meeting: Meeting, kind: str) -> OfficialOutput:
    """The minutes, resolution or sign-in sheet of a recorded meeting, from its record. A meeting is never
    edited (a correction is an amending meeting), so a paper made once is returned again."""
    if kind not in MEETING_KINDS:
        raise ValidationError(errors.UNKNOWN_PAPER)
    if not may_make_meeting_papers(user=actor, meeting=meeting):
        raise PermissionDenied(errors.NOT_MAKER)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # one paper per kind, whoever clicks
    made = OfficialOutput.objects.filter(meeting=meeting, kind=kind).order_by("made_at", "pk").first()
    if made is not None:
        return made
    body = meeting.body
    title = _zh(
        lambda: (
            MEETING_TITLES[kind]()
            % {"body": f"{body.union.name}{body.display_name}", "date": date_format(meeting.held_on)}
        )
    )
    output = make_output(
        OfficialOutput(
            union=body.union,
            kind=kind,
            meeting=meeting,
            title=title[:300],
            made_on=union_today(body),
            made_by=actor,
        )
    )
    event_record(
        verb="meeting_paper_made", actor=actor, subject=meeting, union=body.union, detail={"kind": kind}
    )
    return output


# --- notifications and the reminder -------------------------------------------------------------------


def _recipients(notice: MeetingNotice) -> tuple[list[int], list[int]]:
    """The seat holders of the body on the meeting day; and, S5.3, since every member sits in a member
    congress, the members of the register that day who have an account and no seat there."""
    seated = sorted({s.person_id for s in seats_on(notice.body, notice.meets_on)})
    if member_congress_size(body=notice.body, day=notice.meets_on) is None:
        return seated, []
    listed = registry.member_list_on(notice.union_id, notice.meets_on) or []
    return seated, sorted({account for _number, _name, account in listed if account} - set(seated))


def _notify(notice: MeetingNotice, seated: list[int], members: list[int], *, reminder: bool) -> int:
    """In Chinese, as the seat holders read it (the issuer's language is not theirs). The members read the
    day, place and agenda in the notification itself: the notice's file is for the union's officers and the
    body's seat holders."""
    with translation.override("zh-hans"):
        url = reverse("meetingpapers:notice_file", args=[notice.pk])
        return _notify_rows(notice, seated, url, reminder=reminder) + _notify_rows(
            notice, members, "", reminder=reminder
        )


def _notify_rows(notice: MeetingNotice, person_ids: list[int], url: str, *, reminder: bool) -> int:
    if not person_ids:
        return 0
    body = notice.body
    words = {
        "body": body.display_name,
        "date": date_format(notice.meets_on),
        "time": notice.starts_at.strftime("%H:%M"),
        "place": notice.place,
    }
    if reminder:
        title = _("Reminder: the %(body)s meets on %(date)s at %(time)s, %(place)s") % words
    else:
        title = _("Notice: the %(body)s meets on %(date)s at %(time)s, %(place)s") % words
    agenda = [item.document_title for item in notice.agenda_items.all()] + notice.agenda_line_list
    key = f"meetingpapers-{'reminder' if reminder else 'notice'}:{notice.pk}"
    rows = [
        Notification(
            recipient_id=pk,
            union_id=notice.union_id,
            title=title[:200],
            body="\n".join(agenda)[:500],
            url=url,
            dedupe_key=key,
        )
        for pk in sorted(set(person_ids))
    ]
    return notifications_create_once(rows)


def notices_remind(*, today: datetime.date | None = None) -> int:
    """The daily sweep (Celery beat): each notice's recipients are reminded once, on the rule's working
    day before the meeting. A notice is claimed by compare-and-set (``reminded_at``) in the transaction
    that writes its notifications, and the notifications carry a dedupe key: a rerun sends nothing."""
    today = today or timezone.localdate()
    notices = MeetingNotice.objects.filter(
        reminded_at__isnull=True,
        meets_on__gte=today,
        meets_on__lte=today + datetime.timedelta(days=REMIND_LOOK_AHEAD_DAYS),
    ).select_related("union", "body")
    rules: dict[tuple[int, str], object] = {}
    sent = 0
    for notice in notices:
        scope = (notice.union_id, notice.body.kind)
        if scope not in rules:
            rules[scope] = rule_for(union=notice.union, body_kind=notice.body.kind)
        day = reminder_day(notice, rules[scope])
        if today >= day:
            sent += _remind_one(notice, send=notice.issued_on < day)
    return sent


@transaction.atomic
def _remind_one(notice: MeetingNotice, *, send: bool) -> int:
    """Claim the notice and remind its recipients; a notice issued on or after its reminder day is
    claimed without a reminder (its notice is the reminder)."""
    claimed = MeetingNotice.objects.filter(pk=notice.pk, reminded_at__isnull=True).update(
        reminded_at=timezone.now()
    )
    if claimed != 1 or not send:
        return 0
    seated, members = _recipients(notice)
    return _notify(notice, seated, members, reminder=True)
