from __future__ import annotations

from notifications.models import Notification


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_page(*, user, before_id: int | None = None, size: int = 30) -> list[Notification]:
    """Newest first, keyset-paginated on id (ids grow with time)."""
    qs = Notification.objects.filter(recipient=user).order_by("-id")
    if before_id is not None:
        qs = qs.filter(id__lt=before_id)
    return list(qs[:size])
