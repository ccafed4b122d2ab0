"""Reads of the audit log: the auditor's search, paged by keyset on (at, id), newest first."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Q, QuerySet

from core.security.models import AuditEntry

PAGE_SIZE = 50


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def audit_search(*, filters: dict) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.all()
    if filters.get("date_from"):
        entries = entries.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        entries = entries.filter(at__lt=_day_start(filters["date_to"] + datetime.timedelta(days=1)))
    if filters.get("kind"):
        entries = entries.filter(kind=filters["kind"])
    if filters.get("actor"):
        entries = entries.filter(actor_name__icontains=filters["actor"])
    if filters.get("q"):
        text = filters["q"]
        entries = entries.filter(
            Q(path__icontains=text) | Q(object__icontains=text) | Q(detail__icontains=text)
        )
    return entries.order_by("-at", "-id")


def parse_cursor(value: str | None) -> tuple[datetime.datetime, int] | None:
    """The keyset cursor "<ISO time>_<id>" of the last row shown, or None when absent or garbled."""
    if not value or "_" not in value:
        return None
    moment, _sep, pk = value.rpartition("_")
    try:
        return datetime.datetime.fromisoformat(moment), int(pk)
    except ValueError:
        return None


def cursor_of(entry: AuditEntry) -> str:
    return f"{entry.at.isoformat()}_{entry.pk}"


def audit_page(
    *, filters: dict, after: tuple[datetime.datetime, int] | None
) -> tuple[list[AuditEntry], bool]:
    """One page and whether another follows (one query)."""
    entries = audit_search(filters=filters)
    if after is not None:
        at, pk = after
        entries = entries.filter(Q(at__lt=at) | Q(at=at, id__lt=pk))
    rows = list(entries[: PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def audit_export_rows(*, filters: dict, limit: int) -> Iterator[AuditEntry]:
    return audit_search(filters=filters)[:limit].iterator(chunk_size=2000)
