"""How many members a union has on a day, and who, as the register says (S5.3): a membership counts from the
day it starts until the day before it ends (``left_on`` is the first day without it). Registered with
workflows.registry at start-up, so shared code (a member congress's quorum) can ask without importing
this app."""

from __future__ import annotations

import datetime

from django.db.models import Q

from .models import Member


def _members_on(union_id: int, day: datetime.date):
    return Member.objects.filter(union_id=union_id, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


def members_on(union_id: int, day: datetime.date) -> int:
    return _members_on(union_id, day).count()


def member_list_on(union_id: int, day: datetime.date) -> list[tuple[str, str, int | None]]:
    """(member number, name, account id) of each member on ``day``, by member number."""
    members = _members_on(union_id, day).order_by("member_number", "id")
    return list(members.values_list("member_number", "name", "person_id"))
