"""Reminders of the action items a hearing decided (S1.2): before each one's due date and, while it is
overdue, once a week, to its owner and the union's chair. One notice per person, item and occasion."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Role, Seat
from notifications.models import Notification
from notifications.services import notifications_create_once

from .models import ActionItem

BEFORE_DAYS = (7, 1, 0)
OVERDUE_EVERY_DAYS = 7


def occasion(item: ActionItem, today: datetime.date) -> str | None:
    """Which reminder today is for the item, or None: "before-7", "before-1", "before-0", "overdue-N"."""
    days = (item.due_on - today).days
    if days in BEFORE_DAYS:
        return f"before-{days}"
    if days < 0 and -days % OVERDUE_EVERY_DAYS == 0:
        return f"overdue-{-days}"
    return None


def _chairs(union_ids) -> dict[int, list[int]]:
    chairs: dict[int, list[int]] = {}
    rows = Seat.objects.in_force().filter(
        union_id__in=union_ids, role=Role.CHAIR, body__kind="union_committee"
    )
    for union_id, person_id in rows.values_list("union_id", "person_id"):
        chairs.setdefault(union_id, []).append(person_id)
    return chairs


@transaction.atomic
def action_items_remind(*, today: datetime.date | None = None) -> int:
    """The daily sweep (Celery beat): idempotent, a rerun the same day creates nothing new."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(BEFORE_DAYS))
    due = ActionItem.objects.filter(closed_on__isnull=True).filter(Q(due_on__lte=horizon))
    items = [(i, occasion(i, today)) for i in due.select_related("hearing", "union")]
    items = [(i, o) for i, o in items if o]
    chairs = _chairs({i.union_id for i, _o in items})
    rows = []
    for item, when in items:
        late = when.startswith("overdue")
        title = (_("Overdue: %(problem)s (due %(date)s)") if late else _("Due %(date)s: %(problem)s")) % {
            "problem": item.problem[:80],
            "date": item.due_on.isoformat(),
        }
        for person_id in {item.owner_id, *chairs.get(item.union_id, [])} - {None}:
            rows.append(
                Notification(
                    recipient_id=person_id,
                    union_id=item.union_id,
                    title=title[:200],
                    body=item.hearing.title,
                    url=reverse("party:hearing_detail", args=[item.hearing_id]),
                    dedupe_key=f"action-item:{item.pk}:{when}",
                )
            )
    return notifications_create_once(rows)
