"""Demo reminders of work items: the three open items of the demo unions due first get a reminder
that falls due a minute apart from a minute after ``seed_demo``, so that ``make run`` shows the bell
ringing (the obligations' follow: notifications/demo.py). Each document kind's demo documents come
from its app's demo.py.

Idempotent: an item whose reminder was already sent is left alone.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from notifications.demo import DEMO_UNIONS, already_sent, bring_forward, pending
from notifications.models import SubjectKind
from notifications.services.reminders import reminders_schedule_work_item
from workflows.models import WorkItem, WorkItemState

WORK_ITEMS = 3


@transaction.atomic
def seed_demo_work_item_reminders(*, write: Callable[[str], object] = print) -> None:
    items = (
        WorkItem.objects.filter(state=WorkItemState.OPEN, due_at__isnull=False, union__code__in=DEMO_UNIONS)
        .select_related("union", "assignee")
        .order_by("due_at", "id")
    )
    minute = 1
    for item in items:
        if minute > WORK_ITEMS:
            break
        if already_sent(SubjectKind.WORK_ITEM, item.pk):
            continue
        due_on = timezone.localtime(item.due_at, item.union.tz).date()
        if pending(SubjectKind.WORK_ITEM, item.pk, due_on) is None:
            reminders_schedule_work_item(item=item)
        reminder = pending(SubjectKind.WORK_ITEM, item.pk, due_on)
        if reminder is None:
            continue  # past its last escalation: nothing more to remind
        fire_at = bring_forward(reminder, minute)
        who = item.assignee or item.body or item.union
        write(
            f"  demo reminder at {timezone.localtime(fire_at):%H:%M}: {item.document_title} · "
            f"{item.step_title} → {who}"
        )
        minute += 1


demo_seeders.register("work-item reminders", seed_demo_work_item_reminders, order=31)
