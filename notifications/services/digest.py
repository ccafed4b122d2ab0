"""The daily digest: on working days at 09:00, one notification a person from the sources the apps
register (the workflows app's: a person's open tasks and the nearest due date). The day's dedupe key
makes it one a person a day, the first source's line, however often the task runs."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from core.statutory import is_working_day
from notifications.models import ChannelPreference, Notification


@dataclass(frozen=True)
class DigestLine:
    recipient_id: int
    title: str
    url: str


_SOURCES: list[Callable[[], Iterable[DigestLine]]] = []


def register_digest_source(source: Callable[[], Iterable[DigestLine]]) -> None:
    """From an app's ``ready()``."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def digest_send(*, now=None) -> int:
    moment = now or timezone.now()
    today = timezone.localtime(moment).date()
    if not is_working_day(today):
        return 0
    opted_out = set(ChannelPreference.objects.filter(daily_digest=False).values_list("user_id", flat=True))
    notes = [
        Notification(
            recipient_id=line.recipient_id,
            title=line.title,
            url=line.url,
            dedupe_key=f"digest:{today.isoformat()}",
        )
        for source in _SOURCES
        for line in source()
        if line.recipient_id not in opted_out
    ]
    Notification.objects.bulk_create(notes, ignore_conflicts=True)
    return len(notes)
