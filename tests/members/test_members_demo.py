"""S5.3 membership's demo: fin-office's, fin-centre's and edu-exam's registers imported, a member who
left, a transfer awaiting fin-centre and one it accepted; their counts derived from the registers while
edu-office and the upper unions keep their typed counts (the demo's thresholds still crossed). Idempotent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.demo import seed_demo
from core.models import Union, User
from workflows.members import selectors
from workflows.members.demo import seed_demo_members
from workflows.members.models import Member, Transfer, TransferStatus
from workflows.roster.selectors import staffing_gaps


@pytest.mark.django_db
def test_S5_3_demo_builds_registers_with_a_leaver_and_transfers(client):
    seed_demo()
    made = seed_demo_members(write=None)

    assert made == ["fin-office: 60", "fin-centre: 45", "edu-exam: 40"]
    assert seed_demo_members(write=None) == [] and Member.objects.count() == 146
    unions = {u.code: u for u in Union.objects.all()}
    counts = {code: (u.member_count, u.member_count_from_register) for code, u in unions.items()}
    assert counts["fin-office"] == (59, True) and counts["fin-office-g1"] == (24, True)
    assert counts["fin-centre"] == (46, True) and counts["edu-exam"] == (39, True)
    assert (
        counts["edu-office"] == (210, False) and counts["fin"] == (620, False) and counts["prov"][1] is False
    )
    # the demo's rules on typed counts still hold: edu-office's and fin's staffing gaps
    assert set(staffing_gaps([unions["edu-office"].pk, unions["fin"].pk])) == {
        unions["edu-office"].pk,
        unions["fin"].pk,
    }
    awaiting = Transfer.objects.get(status=TransferStatus.REQUESTED)
    assert (awaiting.from_union.code, awaiting.to_union.code) == ("fin-office", "fin-centre")
    accepted = Transfer.objects.get(status=TransferStatus.ACCEPTED)
    assert accepted.new_member.union.code == "fin-centre"
    assert Member.objects.filter(union__code="fin-office", left_on__isnull=False).count() == 1
    member = selectors.member_of(User.objects.get(username="fin-office-rep1"))
    assert member is not None and member.union.code == "fin-office"
    assert member.name == User.objects.get(username="fin-office-rep1").full_name
    # fin-centre's office sees the transfer awaiting it
    client.force_login(User.objects.get(username="fin-centre-office"))
    page = client.get(reverse("members:register", args=[unions["fin-centre"].pk])).content.decode()
    assert f'data-testid="incoming-{awaiting.pk}"' in page
