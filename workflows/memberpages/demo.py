"""Demo: the members' pages (S5.4), after the members' register (order 90).

At fin-office, from the register's first two members in force without an account (nothing is made when
the register has none): the first is linked to the account ``fin-office-member`` (the demo password) with
two opinions answered publicly and one waiting past the union's ten working days (the chair's reminder
comes with the daily sweep); the second has an open invitation, its code printed here. Idempotent: once
fin-office has an invitation, nothing more is made.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.demo import DEMO_PASSWORD
from core.models import Union, User
from workflows.members.models import Member

from . import selectors, services
from .models import Invitation, MemberOpinion, OpinionKind

MEMBER_USERNAME = "fin-office-member"
OPINIONS = [
    # (kind, rating, text, answer, days ago)
    (OpinionKind.OPINION, None, "建议职工书屋延长周五开放时间。", "已调整为每周五开放至19时。", 45),
    (OpinionKind.EVALUATION, 5, "今年的健步走活动组织得很好。", "感谢支持，明年继续举办。", 35),
    (OpinionKind.OPINION, None, "希望增加羽毛球场地的预约时段。", "", 30),
]


def _linked_member(member: Member) -> User:
    user = User.objects.filter(username=MEMBER_USERNAME).first()
    if user is None:
        user = User.objects.create(
            username=MEMBER_USERNAME, full_name=member.name, password=make_password(DEMO_PASSWORD)
        )
    Member.objects.filter(pk=member.pk, person__isnull=True).update(person=user)
    member.person = user
    return user


def _opinions(member: Member, office: User) -> int:
    now = timezone.now()
    for kind, rating, text, answer, days in OPINIONS:
        opinion = services.opinion_send(member=member, kind=kind, rating=rating, text=text)
        MemberOpinion.objects.filter(pk=opinion.pk).update(sent_at=now - datetime.timedelta(days=days))
        if answer:
            services.opinion_answer(actor=office, opinion=opinion, answer=answer, public=True)
    return len(OPINIONS)


@transaction.atomic
def seed_demo_member_pages(*, write=print) -> list[str]:
    union = Union.objects.filter(code="fin-office").first()
    office = User.objects.filter(username="fin-office-office").first()
    if union is None or office is None or Invitation.objects.filter(union=union).exists():
        return []
    # members without an account yet (the register's demo links some officers' own accounts)
    members = list(
        Member.objects.filter(
            selectors.in_force_on(timezone.localdate()), union=union, person__isnull=True
        ).order_by("member_number", "id")[:2]
    )
    if len(members) < 2:
        return []
    first, second = members
    user = _linked_member(first)
    count = _opinions(first, office)
    (issued,) = services.invitations_issue(actor=office, union=union, member_ids=[second.pk])
    made = [
        f"Member pages at fin-office: {user.username} (member {first.member_number}) with {count} opinions",
        f"  invitation for {second.name}: member number {second.member_number}, code {issued.code}, "
        f"link /join/{issued.token}/",
    ]
    if write:
        for line in made:
            write(line)
    return made


demo_seeders.register("member pages", seed_demo_member_pages, order=92)
