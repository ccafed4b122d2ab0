"""P9's preparation and its count afterwards, through the survey services (not timed): the union, its
members topped up to the burst's size, a new cycle opened with one token per member."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse

from bench.measure import log


def _union_and_manager():
    """The generated grassroots union with the highest id that has a person who may manage its seats
    (its chair or office staff), away from the low ids P6 and P8 take."""
    from core.models import Seat, Union, UnionKind
    from core.selectors import union_access

    unions = Union.objects.filter(kind=UnionKind.GRASSROOTS).order_by("-pk")
    for union in unions[:20]:
        seats = Seat.objects.in_force().filter(union=union).select_related("person").order_by("id")
        for seat in seats:
            if union_access(user=seat.person, union=union).can_manage_seats:
                return union, seat.person
    raise RuntimeError("no generated grassroots union with a chair or office staff")


def _top_up_members(union, count: int, prefix: str) -> None:
    """Members "P9-00001" … in force at the union until it has ``count`` (bulk, as an import would)."""
    from workflows.members.models import Member

    active = Member.objects.filter(union=union, left_on__isnull=True)
    have = active.count()
    if have >= count:
        return
    taken = set(
        Member.objects.filter(member_number__startswith=prefix, left_on__isnull=True).values_list(
            "member_number", flat=True
        )
    )
    joined = datetime.date(2020, 1, 1)
    new, number = [], 0
    while have + len(new) < count:
        number += 1
        code = f"{prefix}{union.pk}-{number:05d}"
        if code not in taken:
            new.append(Member(union=union, name=f"P9 member {number}", member_number=code, joined_on=joined))
    Member.objects.bulk_create(new, batch_size=2000)
    log(f"  P9: {len(new)} members added to union #{union.pk} (now {have + len(new)})")


def prepare(count: int, *, prefix: str):
    """(cycle, clear tokens): a new open cycle at the union with ``count`` members in force; earlier
    open P9 cycles of the union are closed first."""
    from workflows.surveys import services
    from workflows.surveys.models import SurveyCycle, SurveyStatus

    union, manager = _union_and_manager()
    _top_up_members(union, count, prefix)
    for cycle in SurveyCycle.objects.filter(union=union).filter(Q(status=SurveyStatus.OPEN)):
        services.cycle_close(actor=manager, cycle=cycle)
    today = services.union_today(union)
    cycle = services.cycle_create(
        actor=manager,
        union=union,
        title=f"P9 {datetime.datetime.now():%Y-%m-%d %H:%M:%S}",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=7),
    )
    issued = services.cycle_open(actor=manager, cycle=cycle)
    return cycle, [item.token for item in issued[:count]]


def answer_path(token: str) -> str:
    return reverse("surveys:answer", args=[token])


def counts(cycle) -> tuple[int, int]:
    """(answers stored, tokens flagged used) of the cycle."""
    from workflows.surveys.models import SurveyAnswer, SurveyToken

    stored = SurveyAnswer.objects.filter(cycle=cycle).count()
    used = SurveyToken.objects.filter(cycle=cycle, used=True).count()
    return stored, used
