"""S5.3: a union with fewer members than its congress body's threshold (100 by default) holds a member
congress (会员大会): every member sits, so its quorum and votes are counted over the members active on
the meeting day, as the register has them, and the recorder enters how many attended — the members are
not seat holders to tick off. A union whose count is not yet from the register keeps its
representative congress."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from core.models import Body, BodyKind
from workflows import errors, registry


def member_congress_size(*, body: Body, day: datetime.date) -> int | None:
    """The members who sit in ``body``'s member congress on ``day``; None for any other meeting."""
    if body.kind != BodyKind.CONGRESS or not body.union.member_count_from_register:
        return None
    members = registry.members_on(body.union_id, day)
    if members is None or members >= body.member_congress_below:
        return None
    return members


def members_present_checked(present: int | None, *, size: int) -> int:
    """How many members attended, as the recorder entered it: required, and no more than sit."""
    if present is None:
        raise ValidationError(errors.MEMBER_CONGRESS_PRESENT_MISSING)
    if not 0 <= present <= size:
        raise ValidationError(errors.MEMBER_CONGRESS_PRESENT_TOO_MANY, params={"size": size})
    return present
