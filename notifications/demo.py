"""Demo calendar: this year's and next year's obligations, and a few reminders that fall due a few
minutes after ``seed_demo`` so that ``make run`` shows the bell ringing (issue 6).

Idempotent: obligations are generated once; a subject whose reminder was already sent is left alone.
Demo people have no e-mail address and no union has a group robot, so the reminders stay in-app.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from core.services.statutory import obligations_generate
from core.statutory import Obligation
from notifications.models import Reminder, ReminderState, SubjectKind
from notifications.services.reminders import reminders_schedule, reminders_schedule_work_item

WORK_ITEMS = 3
OBLIGATIONS = 2
# the obligations the demo reminds about first: met by a record, so the reminded officer can act
OBLIGATION_CODES = ["S1.2", "S4.3-study", "S5.2", "S3.4-analysis"]
DEMO_UNIONS = ["fin-office", "edu-office", "edu-exam", "fin-centre"]


def _already_sent(subject_kind: str, subject_id: int) -> bool:
    return Reminder.objects.filter(
        subject_kind=subject_kind, subject_id=subject_id, state=ReminderState.SENT
    ).exists()


def _bring_forward(reminder: Reminder, minutes: int) -> datetime.datetime:
    fire_at = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(minutes=minutes)
    Reminder.objects.filter(pk=reminder.pk, state=ReminderState.PENDING).update(fire_at=fire_at)
    return fire_at


def _pending(subject_kind: str, subject_id: int, due_on: datetime.date) -> Reminder | None:
    # only an occasion of the current due date: the demo ages some items after their reminders exist
    return (
        Reminder.objects.filter(
            subject_kind=subject_kind, subject_id=subject_id, due_on=due_on, state=ReminderState.PENDING
        )
        .order_by("fire_at", "id")
        .first()
    )


@transaction.atomic
def seed_demo_calendar(*, write: Callable[[str], object] = print) -> None:
    from workflows.models import WorkItem, WorkItemState

    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        made = obligations_generate(fiscal_year=year)
        write(f"  demo calendar: {year} obligations generated: {made} new")

    minute = 1
    items = (
        WorkItem.objects.filter(state=WorkItemState.OPEN, due_at__isnull=False, union__code__in=DEMO_UNIONS)
        .select_related("union", "assignee")
        .order_by("due_at", "id")
    )
    chosen = 0
    for item in items:
        if chosen == WORK_ITEMS:
            break
        if _already_sent(SubjectKind.WORK_ITEM, item.pk):
            continue
        due_on = timezone.localtime(item.due_at, item.union.tz).date()
        if _pending(SubjectKind.WORK_ITEM, item.pk, due_on) is None:
            reminders_schedule_work_item(item=item)
        reminder = _pending(SubjectKind.WORK_ITEM, item.pk, due_on)
        if reminder is None:
            continue  # past its last escalation: nothing more to remind
        fire_at = _bring_forward(reminder, minute)
        who = item.assignee or item.body or item.union
        write(
            f"  demo reminder at {timezone.localtime(fire_at):%H:%M}: {item.document_title} · "
            f"{item.step_title} → {who}"
        )
        minute += 1
        chosen += 1

    obligations = Obligation.objects.filter(
        fiscal_year=this_year, met_on__isnull=True, union__code__in=DEMO_UNIONS, code__in=OBLIGATION_CODES
    ).select_related("union")
    ranked = sorted(
        obligations, key=lambda o: (OBLIGATION_CODES.index(o.code), DEMO_UNIONS.index(o.union.code))
    )
    chosen = 0
    for obligation in ranked:
        if chosen == OBLIGATIONS:
            break
        if _already_sent(SubjectKind.OBLIGATION, obligation.pk):
            continue
        if _pending(SubjectKind.OBLIGATION, obligation.pk, obligation.due_date) is None:
            reminders_schedule(
                subjects=[(SubjectKind.OBLIGATION, obligation.pk, obligation.union, obligation.due_date)]
            )
        reminder = _pending(SubjectKind.OBLIGATION, obligation.pk, obligation.due_date)
        if reminder is None:
            continue
        fire_at = _bring_forward(reminder, minute)
        write(
            f"  demo reminder at {timezone.localtime(fire_at):%H:%M}: {obligation.union} "
            f"{obligation.get_code_display()} {obligation.fiscal_year} (due {obligation.due_date})"
        )
        minute += 1
        chosen += 1
