"""Reminders of the contact system (S4.4): the committee member keeping a contact is told once per
period when a whole period passed without a log, and once when a follow-up is past its due date. One
notice per member, contact (or log) and occasion (Notification.dedupe_key), as the roster's contract
reminders do.

A notice about a worker in difficulty names nobody: notices may leave Wuyi by e-mail, and the record is
read on its page, where the view is logged.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Notification
from notifications.services import notifications_create_once

from . import selectors


def _missed_notice(contact) -> Notification:
    if contact.is_difficulty:
        title = _("Keep contact with a worker in difficulty: a whole period passed without contact")
    else:
        title = _("Keep contact with %(name)s: a whole period passed without contact") % {
            "name": contact.display_name
        }
    return Notification(
        recipient_id=contact.member_id,
        union_id=contact.union_id,
        title=title[:200],
        url=reverse("contacts:detail", args=[contact.pk]),
        dedupe_key=f"contact-overdue:{contact.pk}:{contact.state.period_start.isoformat()}",
    )


def _follow_up_notice(log) -> Notification:
    contact = log.contact
    due = log.follow_up_due.isoformat()
    if contact.is_difficulty:
        title, body = _("A follow-up for a worker in difficulty was due on %(date)s") % {"date": due}, ""
    else:
        title = _("A follow-up for %(name)s was due on %(date)s") % {
            "name": contact.display_name,
            "date": due,
        }
        body = log.follow_up[:500]
    return Notification(
        recipient_id=contact.member_id,
        union_id=contact.union_id,
        title=title[:200],
        body=body,
        url=reverse("contacts:detail", args=[contact.pk]),
        dedupe_key=f"contact-follow-up:{log.pk}:{due}",
    )


@transaction.atomic
def overdue_contacts_remind(*, today: datetime.date | None = None) -> int:
    """The daily sweep (Celery beat): idempotent, a rerun the same day (or period) creates nothing new."""
    today = today or timezone.localdate()
    rows = [_missed_notice(contact) for contact in selectors.contacts_missed(today)]
    rows += [_follow_up_notice(log) for log in selectors.follow_ups_late(today)]
    return notifications_create_once(rows)
