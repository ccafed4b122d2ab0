"""S5.4 demo: at fin-office, from the register's first members, an account with the demo password, opinions
answered publicly and one waiting, and an open invitation whose code the seeder prints; nothing without
members; idempotent."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.hashers import check_password

from core.demo import DEMO_PASSWORD, seed_demo
from workflows.memberpages.demo import MEMBER_USERNAME, seed_demo_member_pages
from workflows.memberpages.models import Invitation, MemberOpinion
from workflows.memberpages.tasks import remind_unanswered
from workflows.members.models import Member

pytestmark = pytest.mark.django_db


def test_S5_4_demo_links_a_member_invites_another_and_prints_the_code():
    seed_demo()
    from core.models import Union

    office = Union.objects.get(code="fin-office")
    assert seed_demo_member_pages(write=None) == []  # no members in the register: nothing
    for n in range(3):
        Member.objects.create(
            union=office, name=f"会员{n}", member_number=f"FO{n:04d}", joined_on=datetime.date(2021, 1, 1)
        )
    lines = []

    seed_demo_member_pages(write=lines.append)

    linked = Member.objects.get(member_number="FO0000")
    assert linked.person.username == MEMBER_USERNAME and check_password(DEMO_PASSWORD, linked.person.password)
    invitation = Invitation.objects.get()
    assert invitation.member.member_number == "FO0001" and invitation.is_open
    assert "code" in lines[1] and "/join/" in lines[1]
    opinions = MemberOpinion.objects.filter(member=linked)
    assert (
        opinions.filter(answer_public=True).count() == 2
        and opinions.filter(answered_at__isnull=True).count() == 1
    )
    assert remind_unanswered() >= 1  # the waiting one is past the ten working days: the chair is told
    assert seed_demo_member_pages(write=None) == []  # idempotent
    assert Invitation.objects.count() == 1
