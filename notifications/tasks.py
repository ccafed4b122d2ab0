"""Celery tasks of the notifications app. Beat only enqueues idempotent sweeps; no ETA or countdown."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from core.services.statutory import obligations_generate, obligations_refresh_status
from notifications.services.delivery import deliver, redeliver_due
from notifications.services.digest import digest_send
from notifications.services.reminders import reminders_send_due


@shared_task(name="notifications.tasks.send_due_reminders")
def send_due_reminders() -> int:
    """Every minute: due reminders → notifications and deliveries."""
    return reminders_send_due()


@shared_task(name="notifications.tasks.deliver_batch", acks_late=True)
def deliver_batch(ids: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for delivery_id in ids:
        state = deliver(delivery_id)
        counts[state] = counts.get(state, 0) + 1
    return counts


@shared_task(name="notifications.tasks.redeliver")
def redeliver() -> int:
    """Every minute: pending deliveries whose next attempt is due are enqueued again."""
    return redeliver_due()


@shared_task(name="notifications.tasks.daily_digest")
def daily_digest() -> int:
    return digest_send()


@shared_task(name="notifications.tasks.nightly_calendar")
def nightly_calendar() -> int:
    """Obligation statuses move from pending to late to missed; next year's obligations exist."""
    today = timezone.localdate()
    obligations_generate(fiscal_year=today.year)
    obligations_generate(fiscal_year=today.year + 1)
    return obligations_refresh_status(on=today)
