"""Fixtures for the half-year execution analysis (S3.4)."""

from __future__ import annotations

import pytest

from core.services.statutory import obligations_generate


@pytest.fixture
def budget_in_force(budget_in_force, cast):
    """a1's 2026 budget in force (tests/conftest.py) and the year's obligations, the analyses' among them."""
    obligations_generate(fiscal_year=2026, unions=[cast.union])
    return budget_in_force
