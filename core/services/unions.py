"""Creating unions and their bodies."""

from __future__ import annotations

from django.db import transaction

from core.models import Body, BodyKind, DecisionMode, Union, UnionKind, User
from core.services.events import event_record

# Default rules per body kind (domain.md): committees decide with more than half present and more
# than half of all members for; the congress sits with at least two thirds and passes with more
# than half of all representatives; the Party organisation answers in writing (批复).
BODY_DEFAULTS: dict[str, dict] = {
    BodyKind.UNION_COMMITTEE: {},
    BodyKind.AUDIT_COMMITTEE: {},
    BodyKind.WOMEN_COMMITTEE: {},
    BodyKind.PARTY_ORGANIZATION: {"decision_mode": DecisionMode.WRITTEN},
    BodyKind.CONGRESS: {"quorum_numerator": 2, "quorum_denominator": 3, "quorum_strict": False},
}


@transaction.atomic
def union_create(
    *,
    actor: User | None,
    name: str,
    code: str,
    kind: str,
    parent: Union | None,
    member_count: int = 0,
    time_zone: str = "Asia/Shanghai",
    single_person_bodies: tuple[str, ...] = (),
) -> Union:
    union = Union(
        name=name, code=code, kind=kind, parent=parent, member_count=member_count, time_zone=time_zone
    )
    union.full_clean()
    union.save()
    if kind != UnionKind.GROUP:
        for body_kind, defaults in BODY_DEFAULTS.items():
            body = Body(
                union=union, kind=body_kind, is_single_person=body_kind in single_person_bodies, **defaults
            )
            body.full_clean()
            body.save()
    event_record(verb="union_created", actor=actor, subject=union, union=union, detail={"kind": kind})
    return union


@transaction.atomic
def union_move(*, actor: User | None, union: Union, parent: Union) -> Union:
    previous = union.parent_id
    union.parent = parent
    union.full_clean()
    union.save(update_fields=["parent"])
    event_record(
        verb="union_moved",
        actor=actor,
        subject=union,
        union=union,
        detail={"from": previous, "to": parent.pk},
    )
    return union
