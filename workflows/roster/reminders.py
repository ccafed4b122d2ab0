"""Reminders of social workers' contracts ending (S4.2): the union's chair is told 30, 7 and 1 days
before. One notice per person, entry and occasion (Notification.dedupe_key), as the Party
organisation's action-item reminders do."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Role, Seat
from notifications.models import Notification
from notifications.services import notifications_create_once

from .selectors import contracts_ending

BEFORE_DAYS = (30, 7, 1)


def _chairs(union_ids) -> dict[int, list[int]]:
    chairs: dict[int, list[int]] = {}
    rows = Seat.objects.in_force().filter(
        union_id__in=union_ids, role=Role.CHAIR, body__kind="union_committee"
    )
    for union_id, person_id in rows.values_list("union_id", "person_id"):
        chairs.setdefault(union_id, []).append(person_id)
    return chairs


@transaction.atomic
def contract_ends_remind(*, today: datetime.date | None = None) -> int:
    """The daily sweep (Celery beat): idempotent, a rerun the same day creates nothing new."""
    today = today or timezone.localdate()
    entries = [
        (e, (e.contract_end - today).days)
        for e in contracts_ending(max(BEFORE_DAYS), today=today)
        if (e.contract_end - today).days in BEFORE_DAYS
    ]
    chairs = _chairs({e.union_id for e, _days in entries})
    rows = []
    for entry, days in entries:
        title = _("The contract of %(name)s ends in %(days)s days (%(date)s)") % {
            "name": entry.display_name,
            "days": days,
            "date": entry.contract_end.isoformat(),
        }
        for person_id in chairs.get(entry.union_id, []):
            rows.append(
                Notification(
                    recipient_id=person_id,
                    union_id=entry.union_id,
                    title=title[:200],
                    body=entry.tasks[:500],
                    url=reverse("roster:roster", args=[entry.union_id]),
                    dedupe_key=f"roster-contract:{entry.pk}:before-{days}",
                )
            )
    return notifications_create_once(rows)
