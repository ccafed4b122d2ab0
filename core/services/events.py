"""Writing the append-only event log. Every state change calls this in its own transaction.

Inside a locked workflow step (``core.writebehind.batch``) the row is written with the step's other
writes, just before the commit: the returned event has no id then."""

from __future__ import annotations

from typing import Any

from django.db import models

from core import writebehind
from core.models import Event, Union


def event_record(
    *,
    verb: str,
    actor=None,
    subject: models.Model | None = None,
    union: Union | None = None,
    union_id: int | None = None,
    subject_ref: tuple[str, int] | None = None,
    from_state: str = "",
    to_state: str = "",
    detail: dict[str, Any] | None = None,
) -> Event:
    actor_id = actor.pk if actor is not None and getattr(actor, "is_authenticated", False) else None
    event = Event(
        verb=verb,
        actor_id=actor_id,
        subject_type=subject._meta.label_lower if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        union=union,
        **({"union_id": union_id} if union_id is not None else {}),
        from_state=from_state,
        to_state=to_state,
        detail=detail or {},
    )
    if subject_ref is not None:  # (model label, pk): a subject not loaded for the event's sake
        event.subject_type, event.subject_id = subject_ref[0], str(subject_ref[1])
    if writebehind.active():
        writebehind.insert([event])  # sent with the step's other writes; the row has no id yet
    else:
        event.save()
    return event
