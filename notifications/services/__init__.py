from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification


def notification_create(
    *, recipient, title: str, body: str = "", url: str = "", union=None, dedupe_key=None
) -> Notification | None:
    """Create one notification; with a dedupe_key, a repeat of the same occasion creates nothing."""
    if dedupe_key is None:
        return Notification.objects.create(recipient=recipient, title=title, body=body, url=url, union=union)
    with transaction.atomic():
        created = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=recipient, title=title, body=body, url=url, union=union, dedupe_key=dedupe_key
                )
            ],
            ignore_conflicts=True,
        )
    return created[0] if created and created[0].pk else None


def notifications_mark_read(*, recipient, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs.update(read_at=timezone.now())
