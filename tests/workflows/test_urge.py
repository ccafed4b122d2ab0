"""催办 (issue 6): the initiator or a supervisor above urges the approvers, once per task per 24 hours."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from tests.scenarios import to_audit_review
from workflows.models import Urge, WorkItem


def urge_keys():
    return set(
        Notification.objects.filter(dedupe_key__startswith="urge:").values_list(
            "recipient__username", flat=True
        )
    )


@pytest.fixture
def audit_item(cast, submitted_budget):
    return to_audit_review(submitted_budget(), cast)


@pytest.mark.django_db
def test_initiator_urges_the_recorders_once_a_day(cast, audit_item, client):
    client.force_login(cast.office)
    page = client.get(reverse("budget:detail", args=[audit_item.document_id])).content.decode()
    assert 'data-testid="urge"' not in page  # the office staff records for the committee itself: no urge
    client.force_login(cast.office)
    response = client.post(reverse("workflows:urge", args=[audit_item.pk]), follow=True)
    assert response.status_code == 200
    assert urge_keys() == {"a1-audit", "a1-office"}
    again = client.post(reverse("workflows:urge", args=[audit_item.pk]), follow=True)
    assert "24" in again.content.decode()
    assert Urge.objects.count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        client.force_login(cast.office)  # the idle timeout ended yesterday's session
        assert client.post(reverse("workflows:urge", args=[audit_item.pk])).status_code == 302
    assert Urge.objects.count() == 2


@pytest.mark.django_db
def test_supervisor_above_may_urge_an_officer_may_not(cast, tree, audit_item, supervisor_of, client):
    supervisor = supervisor_of(tree["dept_a"])
    client.force_login(supervisor)
    page = client.get(reverse("budget:detail", args=[audit_item.document_id])).content.decode()
    assert 'data-testid="urge"' in page
    assert client.post(reverse("workflows:urge", args=[audit_item.pk])).status_code == 302
    assert Urge.objects.get().by == supervisor
    client.force_login(cast.chair)
    assert client.post(reverse("workflows:urge", args=[audit_item.pk])).status_code == 403


@pytest.mark.django_db
def test_outsider_cannot_urge(cast, audit_item, client):
    client.force_login(cast.outsider)
    assert client.post(reverse("workflows:urge", args=[audit_item.pk])).status_code == 404
    assert not Urge.objects.exists()
    WorkItem.objects.filter(pk=audit_item.pk).update(state="done")
    client.force_login(cast.office)
    response = client.post(reverse("workflows:urge", args=[audit_item.pk]), follow=True)
    assert not Urge.objects.exists()
    assert response.status_code == 200
