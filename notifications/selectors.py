from __future__ import annotations

from django.db import connection
from django.utils import timezone

from core.selectors import OVERSIGHT_SEAT_EXISTS
from notifications.models import Notification


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def bell_figures(*, user) -> dict:
    """The bell's unread count and whether the 监督 menu shows (the user holds an oversight seat), in
    the one query the bell already cost on every page."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT (SELECT count(*) FROM notifications_notification n
                        WHERE n.recipient_id = %(user)s AND n.read_at IS NULL), {OVERSIGHT_SEAT_EXISTS}""",
            {"user": user.pk, "today": timezone.localdate()},
        )
        unread, oversee = cursor.fetchone()
    return {"unread": unread, "oversee": oversee}


def notifications_page(*, user, before_id: int | None = None, size: int = 30) -> list[Notification]:
    """Newest first, keyset-paginated on id (ids grow with time)."""
    qs = Notification.objects.filter(recipient=user).order_by("-id")
    if before_id is not None:
        qs = qs.filter(id__lt=before_id)
    return list(qs[:size])
