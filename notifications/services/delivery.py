"""Delivery of notifications through their channels: at least once, with an idempotency key.

``deliver`` claims one attempt with a compare-and-set on (state, attempts): of two workers handed
the same delivery, one sends and the other sees the bumped counter and stops. A failed attempt
is recorded and scheduled again with backoff; the redelivery sweep re-enqueues pending deliveries
whose next attempt is due, so a lost broker message (Redis restarted, worker killed) is sent later.
"""

from __future__ import annotations

import datetime
import logging

from celery import current_app
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from notifications.channels import notices
from notifications.channels.dingtalk_work import send_dingtalk
from notifications.channels.email import send_email
from notifications.channels.safe_http import Refused
from notifications.channels.sms import send_sms
from notifications.channels.webhook import send_webhook
from notifications.channels.wecom_app import send_wecom
from notifications.models import (
    Channel,
    ChannelPreference,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    Notification,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# A claimed attempt not finished by then may be retried: its worker was killed, or PostgreSQL restarted
# between the send and the bookkeeping. Less than one beat interval, so that the retry comes within two
# redelivery sweeps of the recovery (make chaos); an attempt cannot legitimately take that
# long (EMAIL_TIMEOUT 20 s per SMTP operation, webhooks and work notices 5 s per operation:
# safe_http.TIMEOUT; a work notice makes at most four requests: token, send, new token, send). A retry
# repeats the same Message-ID.
LEASE = datetime.timedelta(seconds=50)
# The message of a delivery never attempted may be gone with the broker (Redis restarted without
# persistence, or down when the delivery was enqueued): enqueue it again after less than one beat
# interval, so that it is made within two redelivery sweeps of the recovery (make chaos).
# A second message is harmless: deliver() takes each attempt by compare-and-set, the copy is skipped.
REQUEUE_UNSTARTED = datetime.timedelta(seconds=50)
ENQUEUE_BATCH = 200
DELIVER_BATCH_TASK = "notifications.tasks.deliver_batch"


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def enqueue(ids: list[int]) -> None:
    """Hand the deliveries to the workers in batches, by the task's name: the tasks module imports
    this one (a task only calls its service)."""
    for start in range(0, len(ids), ENQUEUE_BATCH):
        current_app.send_task(DELIVER_BATCH_TASK, args=[ids[start : start + ENQUEUE_BATCH]])


# How each channel sends one delivery; the claim, the attempt log and the backoff are deliver()'s, the
# same for every channel. In-app needs no delivery (the notification is it).
SENDERS = {
    Channel.EMAIL: send_email,
    Channel.WEBHOOK: send_webhook,
    Channel.WECOM: send_wecom,
    Channel.DINGTALK: send_dingtalk,
    Channel.SMS: send_sms,
}


def chosen_targets(user, pref: ChannelPreference | None) -> list[tuple[str, str]]:
    """(channel, address) of each channel this person chose and can be reached by: e-mail unless
    turned off, a work notice or text message when chosen, set up on the site and the id (phone) known."""
    found = [(Channel.EMAIL, user.email)] if (pref.email if pref else True) and user.email else []
    if pref is not None:
        for channel in notices.PERSONAL_CHANNELS:
            if getattr(pref, channel) and notices.configured(channel) and notices.target_of(user, channel):
                found.append((channel, notices.target_of(user, channel)))
    return found


def deliveries_for(notifications: list[Notification]) -> list[Delivery]:
    """A delivery per chosen channel of each recipient (in-app is the notification itself). The
    notifications are new, written in the caller's transaction, so none has a delivery yet: the rows
    are inserted plainly and come back with their ids, for ``enqueue_after_commit``."""
    prefs = {
        p.user_id: p
        for p in ChannelPreference.objects.filter(user_id__in={n.recipient_id for n in notifications})
    }
    rows = [
        Delivery(notification=n, channel=channel, target=target, idempotency_key=f"n{n.pk}-{channel}")
        for n in notifications
        for channel, target in chosen_targets(n.recipient, prefs.get(n.recipient_id))
    ]
    return Delivery.objects.bulk_create(rows)


def enqueue_after_commit(deliveries: list[Delivery]) -> None:
    """Hand the new deliveries to the workers once the transaction that wrote them commits."""
    ids = [d.pk for d in deliveries]

    def _go():
        Delivery.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
        try:
            enqueue(ids)
        except Exception:  # noqa: BLE001 — committed already: the broker being down must not fail the request
            logger.warning(
                "broker unavailable: %s deliveries left to the redelivery sweep", len(ids), exc_info=True
            )
            Delivery.objects.filter(pk__in=ids, attempts=0).update(enqueued_at=None)

    if ids:
        transaction.on_commit(_go)


def deliver(delivery_id: int) -> str:
    """One attempt of one delivery. Returns the resulting state (or "skipped")."""
    now = timezone.now()
    delivery = Delivery.objects.filter(pk=delivery_id).select_related("notification__recipient").first()
    if delivery is None or delivery.state != DeliveryState.PENDING:
        return "skipped"
    claimed = Delivery.objects.filter(
        pk=delivery.pk, state=DeliveryState.PENDING, attempts=delivery.attempts, next_attempt_at__lte=now
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
    if claimed != 1:
        return "skipped"
    attempts = delivery.attempts + 1
    try:
        send(delivery)
    except Refused as exc:
        # The address is not allowed (an internal network, a host off the allow-list): retrying
        # cannot change that, so the delivery fails now, with the reason in the users' language.
        return _failed(delivery, exc, final=True)
    except Exception as exc:  # noqa: BLE001 — every channel failure is recorded, never raised to the worker
        return _failed(delivery, exc, final=attempts >= MAX_ATTEMPTS)
    DeliveryAttempt.objects.create(delivery=delivery, ok=True)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENT, sent_at=timezone.now(), last_error=""
    )
    return DeliveryState.SENT


def _failed(delivery: Delivery, exc: Exception, *, final: bool) -> str:
    """Record a failed attempt; schedule the next one with backoff, or mark the delivery failed."""
    DeliveryAttempt.objects.create(delivery=delivery, ok=False, error=f"{type(exc).__name__}: {exc}"[:2000])
    state = DeliveryState.FAILED if final else DeliveryState.PENDING
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state,
        last_error=str(exc)[:2000],
        next_attempt_at=timezone.now() + backoff(delivery.attempts + 1),
    )
    return state


def send(delivery: Delivery) -> None:
    sender = SENDERS.get(delivery.channel)
    if sender is not None:
        sender(delivery)


def redeliver_due(*, now: datetime.datetime | None = None, limit: int = 5000) -> int:
    """Re-enqueue pending deliveries whose next attempt is due and that no worker holds."""
    moment = now or timezone.now()
    ids = list(
        Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=moment)
        .filter(
            Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=moment - REQUEUE_UNSTARTED) | Q(attempts__gt=0)
        )
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    if ids:
        Delivery.objects.filter(pk__in=ids).update(enqueued_at=moment)
        enqueue(ids)
    return len(ids)
