"""Members' opinions waiting for an answer (S5.4): once an opinion has waited the union's number of working
days (``MemberPagesRule.answer_within_working_days``, 10 by default, nearest union wins) the union's chair
is told, once per opinion (Notification.dedupe_key), as the roster's contract reminders do. Working days
come from the statutory calendar (core.statutory.WorkingCalendar: holidays and 调休 working weekends)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import BodyKind, Role, Seat
from core.statutory import WorkingCalendar
from notifications.models import Notification
from notifications.services import notifications_create_once

from .selectors import rules_for, unanswered_sent_between

LOOK_BACK_DAYS = 120


def working_days_after(day: datetime.date, count: int, calendar: WorkingCalendar) -> datetime.date:
    """The ``count``-th working day after ``day`` (the day sent is not counted)."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if calendar.is_working(day):
            count -= 1
    return day


def _chairs(union_ids) -> dict[int, list[int]]:
    chairs: dict[int, list[int]] = {}
    rows = Seat.objects.in_force().filter(
        union_id__in=list(union_ids), role=Role.CHAIR, body__kind=BodyKind.UNION_COMMITTEE
    )
    for union_id, person_id in rows.values_list("union_id", "person_id"):
        chairs.setdefault(union_id, []).append(person_id)
    return chairs


@transaction.atomic
def unanswered_remind(*, today: datetime.date | None = None) -> int:
    """The daily sweep (Celery beat): idempotent, a rerun the same day creates nothing new. Four queries
    and one insert whatever the number of opinions."""
    today = today or timezone.localdate()
    # N working days are at least N calendar days, and the rule's most (60 working days) fits in
    # LOOK_BACK_DAYS even across the Spring Festival: older opinions were reminded of already
    now = timezone.now()
    candidates = list(
        unanswered_sent_between(
            now - datetime.timedelta(days=LOOK_BACK_DAYS), now - datetime.timedelta(days=1)
        )
    )
    rules = rules_for({(o.union_id, o.union.parent_id) for o in candidates})
    calendar = WorkingCalendar(today, today)
    due = []
    for opinion in candidates:
        days = rules[opinion.union_id].answer_within_working_days
        sent_on = timezone.localdate(opinion.sent_at, timezone=opinion.union.tz)
        if working_days_after(sent_on, days, calendar) <= today:
            due.append((opinion, days, sent_on))
    chairs = _chairs({opinion.union_id for opinion, _days, _sent in due})
    rows = []
    for opinion, days, sent_on in due:
        title = _("A member's opinion sent on %(date)s has waited %(days)s working days for an answer") % {
            "date": sent_on.isoformat(),
            "days": days,
        }
        for person_id in chairs.get(opinion.union_id, []):
            rows.append(
                Notification(
                    recipient_id=person_id,
                    union_id=opinion.union_id,
                    title=title[:200],
                    body=opinion.text[:500],
                    url=reverse("memberpages:union_opinions", args=[opinion.union_id]),
                    dedupe_key=f"memberpages-unanswered:{opinion.pk}",
                )
            )
    return notifications_create_once(rows) if rows else 0
