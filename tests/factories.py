"""factory_boy factories. Bodies come with their union through the union_create service."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth.hashers import make_password

from core.models import Body, BodyKind, Role, Seat, Union, UnionKind, User
from core.services.unions import union_create

PASSWORD = "Test-password-2026"
_PASSWORD_HASH = make_password(PASSWORD)
TERM_START = datetime.date(2024, 1, 1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试人员{n}")
    password = _PASSWORD_HASH


_codes = iter(range(1, 10**9))


def make_union(
    kind: str = UnionKind.GRASSROOTS, parent: Union | None = None, name: str | None = None, **kwargs
) -> Union:
    n = next(_codes)
    return union_create(
        actor=None,
        name=name or f"{UnionKind(kind).label}{n}",
        code=f"u{n}",
        kind=kind,
        parent=parent,
        **kwargs,
    )


def make_tree() -> dict[str, Union]:
    """provincial → dept A (grassroots A1, A2 → group A1g), dept B (grassroots B1)."""
    prov = make_union(UnionKind.PROVINCIAL)
    dept_a = make_union(UnionKind.DEPARTMENT, prov)
    dept_b = make_union(UnionKind.DEPARTMENT, prov)
    a1 = make_union(UnionKind.GRASSROOTS, dept_a)
    a2 = make_union(UnionKind.GRASSROOTS, dept_a)
    b1 = make_union(UnionKind.GRASSROOTS, dept_b)
    a1g = make_union(UnionKind.GROUP, a1)
    return {"prov": prov, "dept_a": dept_a, "dept_b": dept_b, "a1": a1, "a2": a2, "b1": b1, "a1g": a1g}


def give_seat(
    person: User,
    union: Union,
    role: str,
    body_kind: str | None = None,
    start: datetime.date = TERM_START,
    end: datetime.date | None = None,
) -> Seat:
    body = Body.objects.get(union=union, kind=body_kind) if body_kind else None
    seat = Seat(person=person, union=union, body=body, role=role, start_date=start, end_date=end)
    seat.full_clean()
    seat.save()
    return seat


# Every role a person can hold in a grassroots union: (name, body kind, role).
GRASSROOTS_ROLES: list[tuple[str, str | None, str]] = [
    ("chair", BodyKind.UNION_COMMITTEE, Role.CHAIR),
    ("vice_chair", BodyKind.UNION_COMMITTEE, Role.VICE_CHAIR),
    ("committee_member", BodyKind.UNION_COMMITTEE, Role.MEMBER),
    ("committee_secretary", BodyKind.UNION_COMMITTEE, Role.SECRETARY),
    ("audit_director", BodyKind.AUDIT_COMMITTEE, Role.DIRECTOR),
    ("audit_member", BodyKind.AUDIT_COMMITTEE, Role.MEMBER),
    ("women_director", BodyKind.WOMEN_COMMITTEE, Role.DIRECTOR),
    ("party_secretary", BodyKind.PARTY_ORGANIZATION, Role.SECRETARY),
    ("party_member", BodyKind.PARTY_ORGANIZATION, Role.MEMBER),
    ("representative", BodyKind.CONGRESS, Role.REPRESENTATIVE),
    ("office_staff", None, Role.OFFICE_STAFF),
    ("finance_officer", None, Role.FINANCE_OFFICER),
]
