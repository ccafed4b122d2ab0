"""What `make chaos` found about the broker (issue 10, "Faults"): an urge while Redis is down is still
recorded and answered (no 500), its e-mails are left to the redelivery sweep; a delivery whose
message vanished with a restarted Redis, or whose attempt was cut short (worker killed, PostgreSQL
restarted before the attempt was booked), is enqueued again within one beat interval.

CAUTION: the first test stops the Redis on 127.0.0.1:6379 for a moment (and always starts it again).
"""

from __future__ import annotations

import datetime
import subprocess

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from notifications.models import Delivery, DeliveryState
from notifications.services.delivery import LEASE, REQUEUE_UNSTARTED, redeliver_due
from tests.notifications.helpers import redis_ensure_running, redis_ping, wait_until
from workflows.models import Urge


@pytest.fixture
def audit_item(cast, submitted_budget):
    from tests.scenarios import to_audit_review as at_audit

    item = at_audit(submitted_budget(), cast)
    for person in (cast.audit_director, cast.office):  # the committee's recorders, reached by e-mail
        person.email = f"{person.username}@example.com"
        person.save(update_fields=["email"])
    return item


@pytest.mark.django_db(transaction=True)
def test_urge_with_redis_down_is_recorded_and_its_emails_left_to_the_redelivery_sweep(
    cast, audit_item, client
):
    client.force_login(cast.office)
    try:
        subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], timeout=30, check=False)
        assert wait_until(lambda: not redis_ping(), 15, 0.05)
        # when: the drafter urges while the broker is down
        response = client.post(reverse("workflows:urge", args=[audit_item.pk]))
    finally:
        redis_ensure_running()
    # then: the urge is recorded and answered as usual, not a 500 after the commit
    assert response.status_code == 302
    assert Urge.objects.filter(work_item=audit_item).count() == 1
    emails = Delivery.objects.filter(notification__dedupe_key__startswith="urge:")
    assert emails.count() == 2
    assert set(emails.values_list("state", "attempts", "enqueued_at")) == {(DeliveryState.PENDING, 0, None)}
    # the next redelivery sweep (beat, every minute) enqueues them, and a worker makes them
    assert redeliver_due() == 2
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        done = wait_until(lambda: emails.filter(state=DeliveryState.SENT).count() == 2, 30)
    assert done, list(emails.values("state", "attempts", "last_error"))


@pytest.mark.django_db
def test_a_delivery_never_attempted_or_cut_short_is_enqueued_again_within_one_beat_interval(
    cast, audit_item, client
):
    client.force_login(cast.office)
    assert client.post(reverse("workflows:urge", args=[audit_item.pk])).status_code == 302
    emails = Delivery.objects.filter(notification__dedupe_key__startswith="urge:")
    now = timezone.now()
    assert REQUEUE_UNSTARTED < datetime.timedelta(minutes=1)  # beat runs redeliver every minute
    # enqueued moments ago: its message is presumably still queued
    emails.update(enqueued_at=now - REQUEUE_UNSTARTED + datetime.timedelta(seconds=5))
    assert redeliver_due(now=now) == 0
    # its message may be gone with a restarted Redis: enqueued again (a copy is skipped by deliver())
    emails.update(enqueued_at=now - REQUEUE_UNSTARTED)
    assert redeliver_due(now=now) == 2
    # an attempt in flight keeps its lease; once the lease is over it is enqueued again
    assert LEASE < datetime.timedelta(minutes=1)
    claimed = now - LEASE + datetime.timedelta(seconds=5)  # what deliver() writes when it claims
    emails.update(attempts=1, next_attempt_at=claimed + LEASE, enqueued_at=claimed)
    assert redeliver_due(now=now) == 0
    assert redeliver_due(now=now + datetime.timedelta(seconds=6)) == 2
