"""Members of union a1 in the register (S5.3) and helpers for the members' pages (S5.4)."""

from __future__ import annotations

import datetime
import itertools
from html import escape

import pytest

from workflows.members.models import Member

_numbers = itertools.count(1)


def make_member(union, *, person=None, name=None, email="", left_on=None, group=None) -> Member:
    n = next(_numbers)
    return Member.objects.create(
        union=union,
        group=group,
        person=person,
        name=name or f"会员{n}",
        member_number=f"M{n:06d}",
        joined_on=datetime.date(2020, 1, 1),
        left_on=left_on,
        email=email,
    )


@pytest.fixture
def member_of():
    """member_of(union, **fields): a member in the register."""
    return make_member


def shows(response, message) -> bool:
    """Whether the page shows the message (as the template escapes it)."""
    return escape(str(message)) in response.content.decode()
