"""The demo shows the Party organisation's leadership (S1.1–S1.3): an organ Party committee leading two
unions' Party organisations, a hearing heard with open and overdue action items, a hearing on the agenda,
a request awaiting its reply, one overdue and a report acknowledged."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import Body, BodyKind, BodyUserObjectPermission, User
from core.statutory import Obligation
from workflows.party.models import (
    ActionItem,
    Hearing,
    HearingStatus,
    InstructionRequest,
    Reply,
    RequestStatus,
)


@pytest.mark.django_db
def test_S1_1_to_S1_3_the_demo_shows_each_state():
    call_command("seed_demo", through="party organisation")
    led = Body.objects.filter(kind=BodyKind.PARTY_ORGANIZATION, led_by__union__code="fin")
    assert sorted(led.values_list("union__code", flat=True)) == ["fin-centre", "fin-office"]
    organ_secretary = User.objects.get(username="fin-party")
    assert BodyUserObjectPermission.objects.filter(user=organ_secretary, content_object__in=led).count() == 2
    assert sorted(Hearing.objects.values_list("status", flat=True)) == [
        HearingStatus.HEARD,
        HearingStatus.ON_AGENDA,
    ]
    heard = Hearing.objects.get(status=HearingStatus.HEARD)
    s12 = Obligation.objects.get(union=heard.union, code="S1.2", fiscal_year=heard.year)
    assert s12.met_on is not None
    today = timezone.localdate()
    open_items = ActionItem.objects.filter(closed_on__isnull=True)
    assert (
        open_items.filter(due_on__lt=today).count() == 1 and open_items.filter(due_on__gte=today).count() == 1
    )
    awaiting = InstructionRequest.objects.filter(status=RequestStatus.AWAITING_REPLY)
    assert awaiting.count() == 2 and awaiting.filter(reply_due__lt=today).count() == 1
    assert InstructionRequest.objects.filter(reply=Reply.ACKNOWLEDGED, status=RequestStatus.FILED).exists()
