"""Demo data: a small union tree with full bodies and a person for every role (``seed_demo``).

Idempotent: every row is found by its natural key (union code, username, seat) before it is made,
so running it twice gives the same data. Later issues extend it with documents at every step.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from core import demo_seeders
from core.models import Body, BodyKind, Role, Seat, Union, UnionKind, User
from core.services.unions import union_create

DEMO_PASSWORD = "Wuyi-demo-2026"
TERM_START = datetime.date(2024, 1, 1)
TERM_END = datetime.date(2028, 12, 31)


@dataclass(frozen=True)
class DemoUnion:
    code: str
    name: str
    kind: str
    parent: str | None
    members: int
    single_person_bodies: tuple[str, ...] = ()


UNIONS = [
    DemoUnion("prov", "省直机关工会", UnionKind.PROVINCIAL, None, 52000),
    DemoUnion("fin", "省财政厅机关工会", UnionKind.DEPARTMENT, "prov", 620),
    DemoUnion("edu", "省教育厅机关工会", UnionKind.DEPARTMENT, "prov", 480),
    DemoUnion("fin-office", "省财政厅综合处室基层工会", UnionKind.GRASSROOTS, "fin", 180),
    DemoUnion(
        "fin-centre",
        "省财政厅信息中心基层工会",
        UnionKind.GRASSROOTS,
        "fin",
        46,
        (BodyKind.AUDIT_COMMITTEE, BodyKind.WOMEN_COMMITTEE),
    ),
    DemoUnion("edu-office", "省教育厅机关处室基层工会", UnionKind.GRASSROOTS, "edu", 210),
    DemoUnion("edu-exam", "省教育考试院基层工会", UnionKind.GRASSROOTS, "edu", 95),
    DemoUnion("fin-office-g1", "预算处工会小组", UnionKind.GROUP, "fin-office", 24),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海波宁欣悦晨"

# (username suffix, body kind or None, role) for every grassroots and department union.
UNION_CAST: list[tuple[str, str | None, str]] = [
    ("chair", BodyKind.UNION_COMMITTEE, Role.CHAIR),
    ("vicechair", BodyKind.UNION_COMMITTEE, Role.VICE_CHAIR),
    ("committee1", BodyKind.UNION_COMMITTEE, Role.MEMBER),
    ("committee2", BodyKind.UNION_COMMITTEE, Role.MEMBER),
    ("audit", BodyKind.AUDIT_COMMITTEE, Role.DIRECTOR),
    ("audit2", BodyKind.AUDIT_COMMITTEE, Role.MEMBER),
    ("women", BodyKind.WOMEN_COMMITTEE, Role.DIRECTOR),
    ("women2", BodyKind.WOMEN_COMMITTEE, Role.MEMBER),
    ("party", BodyKind.PARTY_ORGANIZATION, Role.SECRETARY),
    ("party2", BodyKind.PARTY_ORGANIZATION, Role.MEMBER),
    ("rep1", BodyKind.CONGRESS, Role.REPRESENTATIVE),
    ("rep2", BodyKind.CONGRESS, Role.REPRESENTATIVE),
    ("rep3", BodyKind.CONGRESS, Role.REPRESENTATIVE),
    ("rep4", BodyKind.CONGRESS, Role.REPRESENTATIVE),
    ("rep5", BodyKind.CONGRESS, Role.REPRESENTATIVE),
    ("office", None, Role.OFFICE_STAFF),
    ("finance", None, Role.FINANCE_OFFICER),
]
SUPERVISOR_CAST = [("supervisor", None, Role.SUPERVISOR)]


class _Names:
    def __init__(self) -> None:
        self.i = 0

    def next(self) -> str:
        surname = SURNAMES[self.i % len(SURNAMES)]
        given = GIVEN[(self.i * 7) % len(GIVEN)] + GIVEN[(self.i * 3 + 5) % len(GIVEN)]
        self.i += 1
        return surname + given


@transaction.atomic
def seed_demo() -> list[tuple[str, str, str]]:
    """Build (or find) the demo tree. Returns (username, full name, what they hold) for the logins."""
    password_hash = make_password(DEMO_PASSWORD)
    names = _Names()
    unions: dict[str, Union] = {}
    logins: list[tuple[str, str, str]] = []
    for spec in UNIONS:
        union = Union.objects.filter(code=spec.code).first()
        if union is None:
            union = union_create(
                actor=None,
                name=spec.name,
                code=spec.code,
                kind=spec.kind,
                parent=unions.get(spec.parent) if spec.parent else None,
                member_count=spec.members,
                single_person_bodies=spec.single_person_bodies,
            )
        unions[spec.code] = union
        Body.objects.filter(union=union, term_start__isnull=True).update(
            term_start=TERM_START, term_end=TERM_END
        )
        if spec.kind == UnionKind.GROUP:
            cast = [("chair", None, None)]
        elif spec.kind == UnionKind.PROVINCIAL:
            cast = SUPERVISOR_CAST + [c for c in UNION_CAST if c[0] in ("chair", "office")]
        elif spec.kind == UnionKind.DEPARTMENT:
            cast = SUPERVISOR_CAST + UNION_CAST
        else:
            cast = UNION_CAST
        for suffix, body_kind, role in cast:
            if body_kind in spec.single_person_bodies and suffix.endswith("2"):
                continue  # a single-person body has its one member only
            username = f"{spec.code}-{suffix}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create(
                    username=username,
                    full_name=names.next(),
                    password=password_hash,
                    home_union=union,
                    phone=f"1380000{len(logins):04d}",
                )
            else:
                names.next()
            if role is None:
                _seat(user, union, None, Role.CHAIR)
                logins.append((username, user.full_name, f"{union.name} · 组长"))
                continue
            body = Body.objects.get(union=union, kind=body_kind) if body_kind else None
            _seat(user, union, body, role)
            where = body.display_name if body else union.name
            logins.append((username, user.full_name, f"{union.name} · {where} · {Role(role).label}"))
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create(
            username="admin", full_name="系统管理员", password=password_hash, is_staff=True, is_superuser=True
        )
    logins.append(("admin", "系统管理员", "Django admin"))
    return logins


def _seat(user: User, union: Union, body: Body | None, role: str) -> Seat:
    seat = Seat.objects.filter(person=user, union=union, body=body, role=role).first()
    if seat is None:
        seat = Seat(person=user, union=union, body=body, role=role, start_date=TERM_START, end_date=TERM_END)
        seat.full_clean()
        seat.save()
    return seat


# the logins worth trying first: one of each kind of seat
SHOWN_SUFFIXES = {"chair", "supervisor", "office", "audit", "party", "rep1", "finance"}


def seed_demo_tree(*, write=print) -> None:
    """The union tree and its people, then the logins to try (``seed_demo``'s first step)."""
    logins = seed_demo()
    write(f"Demo logins: {len(logins)}, password: {DEMO_PASSWORD}")
    shown = [row for row in logins if row[0].split("-")[-1] in SHOWN_SUFFIXES or row[0] == "admin"]
    for username, name, what in shown:
        write(f"  {username:<22} {name:<6} {what}")
    write(f"  … and {len(logins) - len(shown)} more (see /admin/ → people).")


demo_seeders.register("tree", seed_demo_tree, order=10)
