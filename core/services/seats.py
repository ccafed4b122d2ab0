"""Creating and ending seats. Each change writes an event; core.signals resyncs permissions, and
``seat_ended`` tells the apps above (a body left empty: workflows.services.vacancy)."""

from __future__ import annotations

import datetime

from django.db import transaction

from core.models import Body, Seat, Union, User
from core.services.events import event_record
from core.signals import seat_ended


@transaction.atomic
def seat_create(
    *,
    actor: User | None,
    person: User,
    union: Union,
    role: str,
    start_date: datetime.date,
    body: Body | None = None,
    end_date: datetime.date | None = None,
    note: str = "",
) -> Seat:
    seat = Seat(
        person=person, union=union, body=body, role=role, start_date=start_date, end_date=end_date, note=note
    )
    seat.full_clean()
    seat.save()
    event_record(
        verb="seat_created",
        actor=actor,
        subject=seat,
        union=union,
        to_state="in_force",
        detail={
            "person": person.pk,
            "role": role,
            "body": body.pk if body else None,
            "start_date": start_date.isoformat(),
            "end_date": end_date.isoformat() if end_date else None,
        },
    )
    return seat


@transaction.atomic
def seat_end(*, actor: User | None, seat: Seat, end_date: datetime.date) -> Seat:
    """End a seat's term on ``end_date`` (inclusive). Access ends the day after."""
    previous = seat.end_date
    seat.end_date = end_date
    seat.full_clean()
    seat.save(update_fields=["end_date"])
    event_record(
        verb="seat_ended",
        actor=actor,
        subject=seat,
        union=seat.union,
        detail={
            "end_date": end_date.isoformat(),
            "previous_end_date": previous.isoformat() if previous else None,
        },
    )
    seat_ended.send(sender=Seat, seat=seat)
    return seat
