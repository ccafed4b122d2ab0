"""Writing the append-only event log. Every state change calls this in its own transaction.

A workflow step records several events (the decision, the status it moves to, the meeting); inside
``events_collected()`` — opened by the step's lock, within its transaction — they are kept and
inserted together with one ``bulk_create`` when the step's work is done. Nothing in a step reads the
events it records; if the step fails, its transaction (and so its events) is rolled back anyway.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models

from core.models import Event, Union

_collected: ContextVar[list[Event] | None] = ContextVar("wuyi_step_events", default=None)


def event_record(
    *,
    verb: str,
    actor=None,
    subject: models.Model | None = None,
    union: Union | None = None,
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
        from_state=from_state,
        to_state=to_state,
        detail=detail or {},
    )
    collected = _collected.get()
    if collected is None:
        event.save()
    else:
        collected.append(event)  # inserted with the step's other events (no id until then)
    return event


@contextmanager
def events_collected():
    """Collect the events recorded in the block and insert them at its end (nested blocks share the
    outermost one). Use it inside the transaction whose work the events describe."""
    if _collected.get() is not None:
        yield
        return
    token = _collected.set([])
    try:
        yield
        events = _collected.get()
        if events:
            Event.objects.bulk_create(events)
    finally:
        _collected.reset(token)
