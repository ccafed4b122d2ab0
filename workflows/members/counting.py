"""How many members a union has on a day, as the register says (S5.3): a membership counts from the
day it starts until the day before it ends (``left_on`` is the first day without it). Registered with
workflows.registry at start-up, so shared code (a member congress's quorum) can ask without importing
this app."""

from __future__ import annotations

import datetime

from django.db.models import Q

from .models import Member


def members_on(union_id: int, day: datetime.date) -> int:
    return (
        Member.objects.filter(union_id=union_id, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
        .count()
    )
