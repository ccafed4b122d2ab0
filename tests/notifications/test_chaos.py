"""Chaos around delivery (issue 6, "One notification per occasion, whatever happens").

A real ``celery -A config worker`` process is killed with SIGKILL while it sends, and Redis is
restarted with deliveries queued; the redelivery sweep (``redeliver_due``, what beat runs every
minute) makes every delivery, and every notification exists once. Delivery is at least once: an
e-mail may reach the SMTP server twice, always with the same Message-ID, so the receiver drops the
repeat.

SLOW: the two tests named ``test_slow_*`` start worker processes and restart Redis (about 20 s and
3 s). They are never skipped; select or deselect them with ``-k slow`` / ``-k "not slow"`` (the
suite runs with --strict-markers and no ``slow`` marker is registered in pyproject.toml).
CAUTION: ``test_slow_redis_restart_*`` restarts the Redis on 127.0.0.1:6379 that ``make test`` uses;
anything else using it at that moment loses its queued messages (it is restarted in any case).
"""

from __future__ import annotations

import collections
import datetime

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.db.models import F
from django.utils import timezone

from config.celery import app
from core.services.statutory import obligations_generate
from notifications.models import Delivery, DeliveryAttempt, DeliveryState, Notification, Reminder
from notifications.services.delivery import LEASE, redeliver_due
from notifications.services.reminders import reminders_send_due
from tests.notifications.helpers import (
    CeleryWorker,
    SmtpServer,
    count_sent,
    deliveries_of,
    forget_unacked_batch,
    make_due,
    pending_obligation_reminders,
    queue_length,
    redis_ensure_running,
    redis_ping,
    redis_restart,
    redis_run_id,
    union_officers,
    wait_until,
)


def assert_each_notification_once(reminders, recipients) -> None:
    keys = [f"reminder:{r.pk}" for r in reminders]
    rows = list(Notification.objects.filter(dedupe_key__in=keys).values_list("recipient_id", "dedupe_key"))
    assert len(rows) == len(set(rows)) == len(keys) * len(recipients)
    assert {r for r, _key in rows} == {p.pk for p in recipients}


def assert_every_email_received(smtp: SmtpServer, deliveries, *, max_repeats: int) -> None:
    """Each delivery's Message-ID reached the server at least once; nothing else did; a repeat is
    the same message under the same Message-ID (the receiver drops it)."""
    expected = {f"<{d.idempotency_key}@wuyi>": d for d in deliveries}
    copies = collections.defaultdict(list)
    for message in smtp.messages:
        copies[message["Message-ID"]].append(message)
    assert set(copies) == set(expected)  # every delivery made, no message under another id
    for message_id, same in copies.items():
        delivery = expected[message_id]
        assert {m["To"] for m in same} == {delivery.target}
        assert {m["X-Wuyi-Delivery"] for m in same} == {delivery.idempotency_key}
        assert len({m["Subject"] for m in same}) == 1
    repeats = sum(len(same) - 1 for same in copies.values())
    assert repeats <= max_repeats, {k: len(v) for k, v in copies.items() if len(v) > 1}


@pytest.mark.django_db(transaction=True)
def test_slow_worker_killed_mid_delivery_then_restarted_every_delivery_made(tree, tmp_path):
    """SLOW (~20 s). 10 officers × 5 obligation reminders = 50 e-mails to an SMTP server that takes
    0.2 s per message. The worker is SIGKILLed after a few; a new worker and the redelivery sweep
    (once the lease of the killed attempt ran out) send the rest."""
    officers = union_officers(tree["a1"], 10)
    obligations_generate(fiscal_year=2027)
    due = make_due(pending_obligation_reminders(tree["a1"], 5))
    with SmtpServer(delay=0.2) as smtp:
        first = CeleryWorker("chaos-first", tmp_path, smtp.env()).start()
        second = CeleryWorker("chaos-second", tmp_path, smtp.env())
        ids: list[int] = []
        try:
            assert reminders_send_due() == 50  # enqueued after commit: one deliver_batch message
            ids = [d.pk for d in deliveries_of(due)]
            assert len(ids) == 50
            assert wait_until(lambda: count_sent(ids) >= 5, 30), first.log()[-3000:]
            first.kill()  # kill -9 in the middle of the batch
            sent_at_kill = count_sent(ids)
            assert 5 <= sent_at_kill < 50, sent_at_kill
            pending = Delivery.objects.filter(pk__in=ids, state=DeliveryState.PENDING)
            # at most the one attempt in flight was claimed; the rest of the batch never started
            assert pending.filter(attempts=1).count() <= 1
            assert pending.filter(attempts=0).count() >= 50 - sent_at_kill - 1
            # A beat right now takes nothing: the killed attempt holds its lease, the rest were
            # enqueued moments ago (their message is still unacknowledged in Redis).
            assert redeliver_due() == 0

            # Stand for the lease running out (LEASE, 50 seconds, later): the worker subprocess runs
            # on the real clock, which time_machine in this process cannot move, so move the
            # deliveries' own times back by the lease instead.
            shift = LEASE + datetime.timedelta(seconds=1)
            pending.update(next_attempt_at=F("next_attempt_at") - shift, enqueued_at=F("enqueued_at") - shift)
            left = pending.count()
            second.start()
            assert redeliver_due() == left  # the beat's sweep enqueues all that is left
            assert wait_until(lambda: count_sent(ids) == 50, 30), second.log()[-3000:]
        finally:
            first.kill()
            second.stop()
            # the killed worker's batch is still "unacknowledged" in Redis: it would come back in an
            # hour, to whatever worker then runs on this broker
            unacked = forget_unacked_batch(ids)

    assert Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENT).count() == 50
    assert DeliveryAttempt.objects.filter(delivery_id__in=ids, ok=True).count() == 50  # one ok each
    assert not DeliveryAttempt.objects.filter(delivery_id__in=ids, ok=False).exists()
    assert_each_notification_once(due, officers)
    # The attempt in flight may have reached the server before the kill: then it is sent again,
    # under the same Message-ID. Nothing else repeats.
    assert_every_email_received(smtp, Delivery.objects.filter(pk__in=ids), max_repeats=1)
    assert redeliver_due() == 0  # nothing left behind
    assert unacked == 1  # acks_late: the message of the killed batch was never acknowledged


@pytest.mark.django_db(transaction=True)
def test_slow_redis_restart_with_deliveries_queued_loses_nothing(tree):
    """SLOW (~3 s). Deliveries are enqueued with no worker running; Redis restarts (no persistence)
    and the queued message is gone; the redelivery sweep after the lease enqueues them again and a
    worker makes every one."""
    officers = union_officers(tree["a1"], 5)
    obligations_generate(fiscal_year=2027)
    due = make_due(pending_obligation_reminders(tree["a1"], 2))
    try:
        with SmtpServer() as smtp, smtp.settings():
            assert reminders_send_due() == 10
            ids = [d.pk for d in deliveries_of(due)]
            assert len(ids) == 10
            assert queue_length() >= 1  # our deliver_batch message waits in Redis
            before = redis_run_id()
            redis_restart()
            assert redis_run_id() != before
            assert queue_length() == 0  # the queued deliveries are lost with it
            assert Delivery.objects.filter(pk__in=ids, state=DeliveryState.PENDING, attempts=0).count() == 10
            assert redeliver_due() == 0  # enqueued a moment ago: within the lease, not yet

            with time_machine.travel(timezone.now() + LEASE + datetime.timedelta(minutes=1), tick=True):
                assert redeliver_due() == 10  # the beat's sweep once the lease ran out
            with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
                done = wait_until(lambda: count_sent(ids) == 10)
            assert done, list(Delivery.objects.filter(pk__in=ids).values("state", "attempts", "last_error"))
    finally:
        redis_ensure_running()  # whatever happened, leave Redis running for everyone else
    assert redis_ping()
    assert_each_notification_once(due, officers)
    assert_every_email_received(smtp, Delivery.objects.filter(pk__in=ids), max_repeats=0)


@pytest.mark.django_db
def test_second_beat_changes_nothing(tree):
    """Two beats (sweeps) over the same due reminders: the second writes no notification, no
    delivery, and schedules no extra following reminder."""
    officers = union_officers(tree["a1"], 3)
    obligations_generate(fiscal_year=2027)
    due = make_due(pending_obligation_reminders(tree["a1"], 4))
    moment = timezone.now()

    def snapshot():
        return (
            Notification.objects.count(),
            Delivery.objects.count(),
            sorted(Reminder.objects.values_list("pk", "state", "fire_at")),
        )

    assert reminders_send_due(now=moment) == 12
    after_first = snapshot()
    assert reminders_send_due(now=moment) == 0
    assert reminders_send_due(now=moment + datetime.timedelta(minutes=1)) == 0  # the next beat
    assert snapshot() == after_first
    assert_each_notification_once(due, officers)
