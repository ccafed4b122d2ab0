"""Demo notifications and calendar: a welcome in every demo seat holder's bell, this year's and next
year's obligations, and a few obligation reminders that fall due minutes after ``seed_demo`` so that
``make run`` shows the bell ringing (the work items' come from workflows/demo.py, just before).

Idempotent: obligations are generated once; a subject whose reminder was already sent is left alone.
Demo people have no e-mail address and no union has a group robot, so the reminders stay in-app.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.demo import UNIONS
from core.models import Seat, UnionKind
from core.services.statutory import obligations_generate
from core.statutory import Obligation
from notifications.models import Reminder, ReminderState, SubjectKind
from notifications.services import notification_create
from notifications.services.reminders import reminders_schedule

OBLIGATIONS = 2
# the obligations the demo reminds about first: the reminded officer can act on each at once (the
# hearing's request, a training record, a record of the survey or of the execution analysis)
OBLIGATION_CODES = ["S1.2", "S4.3-study", "S5.2", "S3.4-analysis"]
DEMO_UNIONS = ["fin-office", "edu-office", "edu-exam", "fin-centre"]
# minutes from now of the first obligation reminder: after the three work items' (workflows/demo.py)
FIRST_MINUTE = 4


def already_sent(subject_kind: str, subject_id: int) -> bool:
    return Reminder.objects.filter(
        subject_kind=subject_kind, subject_id=subject_id, state=ReminderState.SENT
    ).exists()


def bring_forward(reminder: Reminder, minutes: int) -> datetime.datetime:
    """The reminder falls due ``minutes`` from now (on the minute)."""
    fire_at = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=minutes)
    Reminder.objects.filter(pk=reminder.pk, state=ReminderState.PENDING).update(fire_at=fire_at)
    return fire_at


def pending(subject_kind: str, subject_id: int, due_on: datetime.date) -> Reminder | None:
    # only an occasion of the current due date: the demo ages some items after their reminders exist
    return (
        Reminder.objects.filter(
            subject_kind=subject_kind, subject_id=subject_id, due_on=due_on, state=ReminderState.PENDING
        )
        .order_by("fire_at", "id")
        .first()
    )


@transaction.atomic
def seed_demo_welcome(*, write: Callable[[str], object] = print) -> None:
    """Every demo seat holder's first notification (a group's leader holds no seat of a body)."""
    codes = [u.code for u in UNIONS if u.kind != UnionKind.GROUP]
    for seat in Seat.objects.filter(union__code__in=codes).select_related("person", "union").order_by("pk"):
        notification_create(
            recipient=seat.person,
            union=seat.union,
            title="欢迎使用五一工会审批系统",
            body=f"您在{seat.union.name}的席位已生效。",
            url="/",
            dedupe_key="demo-welcome",
        )


@transaction.atomic
def seed_demo_calendar(*, write: Callable[[str], object] = print) -> None:
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        made = obligations_generate(fiscal_year=year)
        write(f"  demo calendar: {year} obligations generated: {made} new")


@transaction.atomic
def seed_demo_obligation_reminders(*, write: Callable[[str], object] = print) -> None:
    this_year = timezone.localdate().year
    obligations = Obligation.objects.filter(
        fiscal_year=this_year, met_on__isnull=True, union__code__in=DEMO_UNIONS, code__in=OBLIGATION_CODES
    ).select_related("union")
    ranked = sorted(
        obligations, key=lambda o: (OBLIGATION_CODES.index(o.code), DEMO_UNIONS.index(o.union.code))
    )
    minute = FIRST_MINUTE
    for obligation in ranked:
        if minute == FIRST_MINUTE + OBLIGATIONS:
            break
        if already_sent(SubjectKind.OBLIGATION, obligation.pk):
            continue
        if pending(SubjectKind.OBLIGATION, obligation.pk, obligation.due_date) is None:
            reminders_schedule(
                subjects=[(SubjectKind.OBLIGATION, obligation.pk, obligation.union, obligation.due_date)]
            )
        reminder = pending(SubjectKind.OBLIGATION, obligation.pk, obligation.due_date)
        if reminder is None:
            continue
        fire_at = bring_forward(reminder, minute)
        write(
            f"  demo reminder at {timezone.localtime(fire_at):%H:%M}: {obligation.union} "
            f"{obligation.get_code_display()} {obligation.fiscal_year} (due {obligation.due_date})"
        )
        minute += 1


demo_seeders.register("welcome", seed_demo_welcome, order=11)
demo_seeders.register("calendar", seed_demo_calendar, order=30)
demo_seeders.register("obligation reminders", seed_demo_obligation_reminders, order=32)
