"""A real Celery worker on the real Redis broker runs the nightly permission sweep (issue 3)."""

import datetime
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.utils import timezone

from config.celery import app
from core.models import Role, Seat
from core.selectors import union_access
from core.tasks import sync_seat_permissions
from tests.factories import UserFactory, give_seat


def wait_until(predicate, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.mark.django_db(transaction=True)
def test_worker_on_redis_revokes_an_ended_term(tree):
    assert app.conf.broker_url.startswith("redis://"), app.conf.broker_url
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    member = UserFactory()
    seat = give_seat(member, tree["a1"], Role.MEMBER, "union_committee")
    # The term ended last night with no edit through the app (no signal ran).
    Seat.objects.filter(pk=seat.pk).update(end_date=yesterday)
    assert union_access(user=member, union=tree["a1"]).can_view
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=20):
        sync_seat_permissions.delay()
        revoked = wait_until(lambda: not union_access(user=member, union=tree["a1"]).can_view)
    assert revoked
