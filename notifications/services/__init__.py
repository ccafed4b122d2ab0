from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.services.delivery import deliveries_for, enqueue_after_commit


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


def notifications_create_once(rows: list[Notification]) -> int:
    """Create the notifications not made yet for their (recipient, occasion key), with their e-mail
    deliveries enqueued after the commit: what a daily sweep writes (a rerun creates nothing)."""
    existing = set(
        Notification.objects.filter(dedupe_key__in={r.dedupe_key for r in rows}).values_list(
            "recipient_id", "dedupe_key"
        )
    )
    created = Notification.objects.bulk_create(
        r for r in rows if (r.recipient_id, r.dedupe_key) not in existing
    )
    if created:
        fresh = Notification.objects.filter(pk__in=[n.pk for n in created]).select_related("recipient")
        enqueue_after_commit(deliveries_for(list(fresh)))
    return len(created)
