"""Fixtures of the document flows' tests (the cast and the budgets are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from core.models import Role, UnionKind
from tests.factories import make_union, seated


@pytest.fixture
def observer_below(cast):
    """The leader of a second union group below a1: may be copied on a1's documents (a union below
    it) and sees none of them otherwise (asked for no opinion)."""
    return seated(make_union(UnionKind.GROUP, cast.union), Role.CHAIR, username="a1g2-leader")
