"""The event log is append-only and records sign-in and access failures (issue 3)."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from core.models import Event
from core.services.events import event_record
from tests.factories import UserFactory


@pytest.mark.django_db
def test_events_table_refuses_update_in_postgresql():
    event = event_record(verb="test_written", detail={"n": 1})
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            Event.objects.filter(pk=event.pk).update(verb="tampered")
    event.refresh_from_db()
    assert event.verb == "test_written"


@pytest.mark.django_db
def test_events_table_refuses_delete_in_postgresql():
    event = event_record(verb="test_written")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic():
            Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_event")
    assert Event.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_failed_sign_in_is_an_event(client):
    UserFactory(username="someone")
    response = client.post(reverse("login"), {"username": "someone", "password": "wrong-password"})
    assert response.status_code == 200
    event = Event.objects.get(verb="login_failed")
    assert event.detail["username"] == "someone"
    assert event.detail["ip"] == "127.0.0.1"


@pytest.mark.django_db
def test_successful_sign_in_is_an_event(client, password):
    user = UserFactory(username="someone")
    response = client.post(reverse("login"), {"username": "someone", "password": password})
    assert response.status_code == 302
    assert Event.objects.filter(verb="login", actor=user).count() == 1
