"""Small helpers shared by the raw SQL of the oversight selectors."""

from __future__ import annotations

import datetime

# The "by union" lists show the unions with the most stuck (or slowest) work.
TOP_UNIONS = 30


def ints(values) -> str:
    """A literal SQL list of integers (ids read from the database, int() again to be sure)."""
    return ", ".join(str(int(v)) for v in values) or "NULL"


def as_date(value) -> datetime.date | None:
    """A date column read through a raw cursor (a date, or its ISO text)."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])
