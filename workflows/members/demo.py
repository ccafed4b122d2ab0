"""Demo: the members' registers (S5.3 membership), through the real services.

fin-office's register is imported (60 members, 24 of them in its union group 预算处工会小组 — the
group's typed count — with its officers' accounts linked, so the members' pages have signed-in members),
one member left this year and one member's transfer to fin-centre awaits fin-centre's decision.
fin-centre imports 45 members and accepted a member from edu-exam (46, its typed count); edu-exam
imports 40. The counts of these unions and the group then come from the register.

edu-office, the department organ unions and the provincial organs union keep their typed counts and
show "not yet from the register": edu-office's 210 keeps its staffing gap (S4.2), the department
unions' counts the training class they owe (S4.3). Idempotent: once fin-office has members, nothing
more is made."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.demo import GIVEN, SURNAMES
from core.models import Union, UnionKind, User

from . import services
from .imports import ImportRow, members_import
from .models import Member

# union code → (member number prefix, members imported, of them in the union's first group)
REGISTERS = {"fin-office": ("CZZH", 60, 24), "fin-centre": ("CZXX", 45, 0), "edu-exam": ("JYKS", 40, 0)}
# fin-office's people who are members with an account (the members' pages, S5.4)
LINKED = ("chair", "office", "finance", "rep1", "rep2", "rep3")


def _name(i: int) -> str:
    return (
        SURNAMES[(i * 5 + 3) % len(SURNAMES)] + GIVEN[(i * 11) % len(GIVEN)] + GIVEN[(i * 7 + 2) % len(GIVEN)]
    )


def _rows(
    union: Union, prefix: str, count: int, in_group: int, group: Union | None, today
) -> list[ImportRow]:
    rows = []
    for i in range(1, count + 1):
        joined = today - datetime.timedelta(days=400 + 37 * i)
        rows.append(
            ImportRow(
                row=i + 2,
                member_number=f"{prefix}{i:04d}",
                name=_name(i + len(prefix) * 100 + union.pk),
                group_name=group.name if group and i <= in_group else "",
                joined_on=joined,
                joined_text=joined.isoformat(),
                phone=f"139{union.pk:02d}{i:06d}"[:11],
            )
        )
    return rows


def _manager(code: str) -> User:
    return User.objects.get(username=f"{code}-office")


def _link_people(union: Union) -> None:
    """fin-office's officers are members too: their rows carry their accounts."""
    actor = _manager(union.code)
    people = User.objects.filter(username__in=[f"{union.code}-{s}" for s in LINKED]).order_by("username")
    members = Member.objects.filter(union=union, left_on__isnull=True, group__isnull=True).order_by(
        "-member_number"
    )
    for person, member in zip(people, members, strict=False):
        services.member_update(
            actor=actor, member=member, name=person.full_name, phone=person.phone, person=person
        )


@transaction.atomic
def seed_demo_members(*, write=print) -> list[str]:
    unions = {u.code: u for u in Union.objects.filter(code__in=REGISTERS)}
    if len(unions) < len(REGISTERS) or Member.objects.filter(union=unions["fin-office"]).exists():
        return []
    made = []
    for code, (prefix, count, in_group) in REGISTERS.items():
        union = unions[code]
        today = services.union_today(union)
        group = Union.objects.filter(parent=union, kind=UnionKind.GROUP).order_by("id").first()
        result = members_import(
            actor=_manager(code), union=union, rows=_rows(union, prefix, count, in_group, group, today)
        )
        made.append(f"{code}: {result.added}")
    office, centre, exam = unions["fin-office"], unions["fin-centre"], unions["edu-exam"]
    _link_people(office)
    today = timezone.localdate()
    # one member left this year (a retirement), one moves from fin-office to fin-centre (awaiting)
    leaving = Member.objects.get(union=office, member_number="CZZH0031")
    services.member_leave(
        actor=_manager("fin-office"), member=leaving, left_on=today - datetime.timedelta(days=12)
    )
    moving = Member.objects.get(union=office, member_number="CZZH0032")
    services.transfer_request(
        actor=_manager("fin-office"), member=moving, to_union=centre, note="调入省财政厅信息中心工作"
    )
    # and fin-centre took a member of edu-exam earlier
    came = Member.objects.get(union=exam, member_number="JYKS0040")
    transfer = services.transfer_request(
        actor=_manager("edu-exam"),
        member=came,
        to_union=centre,
        note="工作调动",
        today=today - datetime.timedelta(days=40),
    )
    services.transfer_accept(
        actor=_manager("fin-centre"), transfer=transfer, today=today - datetime.timedelta(days=30)
    )
    if write:
        write(f"Members' registers: {', '.join(made)} imported; one left, one transfer awaiting fin-centre")
    return made


demo_seeders.register("members", seed_demo_members, order=90)
