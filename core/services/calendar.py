"""Importing a State Council holiday notice (国务院办公厅关于部分节假日安排的通知) into the working-day
calendar (core.statutory.CalendarYear / CalendarDay).

Each autumn the State Council publishes next year's public holidays and the weekend days worked in
exchange (调休上班). The provincial administrator types them into a short text file, one line each,
and imports it with ``manage.py import_holidays FILE`` or on the admin's working-day calendar page.
The format (README, "Next year's working days"; core/fixtures/holidays/2026.txt is the 2026 notice)::

    # a comment
    年度 2026
    来源 国务院办公厅关于2026年部分节假日安排的通知
    放假 2026-01-01 至 2026-01-03 元旦
    上班 2026-01-04 元旦调休上班
    上班 2026-02-14、2026-02-28 春节调休上班

"放假" (or "off") takes a date or a range "起 至 止" (also "起..止"); "上班" (or "work") takes a date or
several separated by "、" or ","; what follows is the name. The calendar stores only the exceptions
to Monday–Friday: a weekday off, a weekend day worked. Importing replaces the year's exceptions as a
whole, and nothing is stored unless every line is right.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from core import errors, refcache
from core.services.events import event_record
from core.statutory import CalendarDay, CalendarYear, WorkingCalendar

KEYWORDS = {
    "年度": "year",
    "year": "year",
    "来源": "source",
    "source": "source",
    "放假": "off",
    "休": "off",
    "off": "off",
    "上班": "work",
    "班": "work",
    "work": "work",
}
_D = r"\d{4}-\d{1,2}-\d{1,2}"
_RANGE = re.compile(rf"^({_D})\s*(?:至|\.\.|~|～)\s*({_D})(?:\s+(.*))?$")
_LIST = re.compile(rf"^({_D}(?:\s*[、,，]\s*{_D})*)(?:\s+(.*))?$")


@dataclass
class Notice:
    """A notice as read from its file: the year, where it comes from, and each day with its name."""

    year: int | None = None
    source: str = ""
    days: dict[datetime.date, tuple[bool, str, int]] = field(default_factory=dict)  # working, name, line

    def exceptions(self) -> list[CalendarDay]:
        """The rows the calendar keeps: weekdays off and weekend days worked."""
        return [
            CalendarDay(date=day, is_working=working, name=name[:100])
            for day, (working, name, _line) in sorted(self.days.items())
            if working != (day.weekday() < 5)
        ]


def _date(text: str, line: int) -> datetime.date:
    try:
        return datetime.date(*map(int, text.split("-")))
    except ValueError:
        raise ValidationError(errors.NOTICE_DATE, params={"line": line, "value": text}) from None


def _split_days(rest: str, keyword: str, line: int) -> tuple[list[datetime.date], str]:
    """The dates at the start of ``rest`` (one, a range "起 至 止", or a list "a、b") and the name after."""
    text = rest.strip()
    ranged = _RANGE.match(text)
    if ranged:
        start, end = _date(ranged.group(1), line), _date(ranged.group(2), line)
        if end < start:
            raise ValidationError(errors.NOTICE_RANGE, params={"line": line, "start": start, "end": end})
        return [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)], ranged.group(
            3
        ) or ""
    listed = _LIST.match(text)
    if listed:
        return [_date(d, line) for d in re.split(r"\s*[、,，]\s*", listed.group(1))], listed.group(2) or ""
    if not text:
        raise ValidationError(errors.NOTICE_NO_DATE, params={"line": line, "value": keyword})
    raise ValidationError(errors.NOTICE_DATE, params={"line": line, "value": text.split()[0]})


def _read_line(notice: Notice, number: int, raw: str, problems: list[ValidationError]) -> None:
    text = raw.split("#", 1)[0].strip()
    if not text:
        return
    head, _sep, rest = text.partition(" ")
    keyword = KEYWORDS.get(head.lower())
    if keyword is None:
        problems.append(ValidationError(errors.NOTICE_KEYWORD, params={"line": number, "value": head}))
        return
    if keyword == "year":
        value = rest.strip()
        if not (value.isdigit() and 2000 <= int(value) <= 2100):
            problems.append(ValidationError(errors.NOTICE_YEAR, params={"line": number, "value": value}))
            return
        notice.year = int(value)
        return
    if keyword == "source":
        notice.source = rest.strip()[:200]
        return
    try:
        days, name = _split_days(rest, head, number)
    except ValidationError as exc:
        problems.append(exc)
        return
    working = keyword == "work"
    for day in days:
        earlier = notice.days.get(day)
        if earlier is not None and earlier[0] != working:
            problems.append(
                ValidationError(errors.NOTICE_BOTH, params={"line": number, "date": day, "other": earlier[2]})
            )
            continue
        notice.days[day] = (working, name.strip() or ("调休上班" if working else ""), number)


def notice_parse(text: str) -> Notice:
    """The notice in ``text``; ValidationError listing every wrong line (with its number) if any."""
    notice = Notice()
    problems: list[ValidationError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        _read_line(notice, number, raw, problems)
    if notice.year is None:
        problems.insert(0, ValidationError(errors.NOTICE_NO_YEAR))
    else:
        for day, (_working, _name, line) in sorted(notice.days.items()):
            if day.year != notice.year:
                problems.append(
                    ValidationError(
                        errors.NOTICE_OUTSIDE_YEAR, params={"line": line, "date": day, "year": notice.year}
                    )
                )
    if not problems and not notice.days:
        problems.append(ValidationError(errors.NOTICE_EMPTY))
    if problems:
        raise ValidationError(problems)
    return notice


def notice_decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(errors.NOTICE_UNREADABLE) from None


@transaction.atomic
def calendar_import(*, text: str, actor=None, source: str = "") -> tuple[CalendarYear, int]:
    """Replace the year's working-day exceptions with the notice's (all or nothing). Returns the year
    and how many exception days it now has. Idempotent: importing the same file again changes nothing
    but the event."""
    notice = notice_parse(text)
    rows = notice.exceptions()
    CalendarDay.objects.filter(date__year=notice.year).delete()
    CalendarDay.objects.bulk_create(rows)
    year, _created = CalendarYear.objects.update_or_create(
        year=notice.year, defaults={"source": (notice.source or source or "State Council notice")[:200]}
    )
    refcache.changed()  # bulk writes send no signal: this process reads the new calendar at once
    event_record(
        verb="calendar_imported",
        actor=actor,
        subject=year,
        detail={
            "year": notice.year,
            "source": year.source,
            "off": sum(1 for r in rows if not r.is_working),
            "work": sum(1 for r in rows if r.is_working),
        },
    )
    return year, len(rows)


def calendar_missing_year(*, today: datetime.date) -> int | None:
    """From 1 November, next year when its calendar is not there yet (the notice usually comes out in
    late October or November); else None. The known years come from core.refcache: no query most times."""
    if today.month < 11:
        return None
    next_year = today.year + 1
    return None if next_year in WorkingCalendar(today, today).known_years else next_year
