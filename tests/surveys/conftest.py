"""Helpers for the satisfaction survey's tests (S5.2)."""

from __future__ import annotations

import pytest

from tests.memberpages.conftest import make_member
from tests.surveys.factories import make_cycle
from workflows.surveys import services


@pytest.fixture
def open_survey(cast):
    """open_survey(n): a1's cycle opened by its office for ``n`` new members: (cycle, issued tokens)."""

    def _make(n: int = 3, union=None):
        union = union or cast.union
        for _i in range(n):
            make_member(union)
        cycle = make_cycle(union, actor=cast.office if union == cast.union else None)
        actor = cast.office if union == cast.union else cycle.created_by
        return cycle, services.cycle_open(actor=actor, cycle=cycle)

    return _make
