"""Fixtures for the half-year execution analysis (S3.4): a1's cast and its 2026 budget in force."""

from __future__ import annotations

import pytest

from core.services.statutory import obligations_generate
from tests.budget_adjustment.conftest import YEAR, AdjustmentCast, at, make_budget_in_force, travel


@pytest.fixture
def cast(tree):
    return AdjustmentCast(tree)


@pytest.fixture
def budget_in_force(cast):
    with travel(at(YEAR, 3, 1, 10, 0)):
        budget = make_budget_in_force(cast)
    obligations_generate(fiscal_year=YEAR, unions=[cast.union])
    return budget
