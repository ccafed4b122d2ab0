"""Helpers for the meeting papers' tests (issue 33): a congress notice, a recorded congress meeting and a
working-day calendar that knows the year (PDFs are read back with tests/pdf.py)."""

from __future__ import annotations

import datetime

import pytest

from core.statutory import CalendarDay, CalendarYear
from tests.scenarios import budget_before_congress, congress_meeting
from workflows.meetingpapers import services


def known_year(year: int, holidays: tuple[datetime.date, ...] = ()) -> None:
    """The working-day calendar knows ``year``, with these weekdays as holidays."""
    CalendarYear.objects.get_or_create(year=year, defaults={"source": "test"})
    for day in holidays:
        CalendarDay.objects.update_or_create(date=day, defaults={"is_working": False, "name": "假日"})


@pytest.fixture
def issue(cast):
    """issue(meets_on, today, **kwargs): a1's congress notice issued by its office staff."""

    def _issue(meets_on: datetime.date, today: datetime.date, **kwargs):
        kwargs.setdefault("place", "机关礼堂")
        kwargs.setdefault("starts_at", datetime.time(9, 0))
        kwargs.setdefault("agenda_lines", "审议工会工作报告")
        return services.notice_issue(
            actor=cast.office,
            body=kwargs.pop("body", None) or cast.body("congress"),
            meets_on=meets_on,
            today=today,
            **kwargs,
        )

    return _issue


@pytest.fixture
def congress_met(cast):
    """a1's 2027 budget approved at a recorded congress meeting: (meeting, budget)."""
    budget = budget_before_congress(cast)
    result = congress_meeting(budget, cast)
    return result.meeting, budget
