"""Reads of the training pages (S4.3)."""

from __future__ import annotations

import datetime

from django.db.models import Count, QuerySet
from django.urls import reverse

from core.models import Seat, Union
from core.statutory import Obligation, ObligationCode, ObligationStatus

from .models import TrainingRecord

S4_3_CODES = (ObligationCode.STUDY, ObligationCode.TRAINING)


def records_of_year(union_id: int, year: int) -> QuerySet[TrainingRecord]:
    """The union's records of a year, newest first, with their sign-in counted (index
    training_union_held_on)."""
    return (
        TrainingRecord.objects.filter(
            union_id=union_id,
            held_on__gte=datetime.date(year, 1, 1),
            held_on__lte=datetime.date(year, 12, 31),
        )
        .annotate(participant_count=Count("participants"))
        .order_by("-held_on", "-id")
    )


def s4_3_obligations(union_id: int, year: int, today: datetime.date) -> list[dict]:
    """The year's S4.3 obligations of the union with their status today (none where the union has no
    such obligation: a class is required only of department organ unions with many members)."""
    rows = []
    for obligation in Obligation.objects.filter(
        union_id=union_id, fiscal_year=year, code__in=S4_3_CODES
    ).order_by("code", "period"):
        status = obligation.status_on(today)
        rows.append(
            {"obligation": obligation, "status": status, "status_label": ObligationStatus(status).label}
        )
    return rows


def seat_holder_choices(union: Union, on: datetime.date) -> list[tuple[int, str]]:
    """(person id, "name · body and role") of the union's seat holders in force, once per person: names
    only, never usernames. The sign-in of a training record is ticked from these."""
    seats = (
        Seat.objects.filter(union=union)
        .in_force(on)
        .select_related("person", "body")
        .order_by("person__full_name", "person_id", "id")
    )
    people: dict[int, str] = {}
    for seat in seats:
        role = seat.get_role_display()
        where = f"{seat.body.display_name}{role}" if seat.body_id else role
        people.setdefault(seat.person_id, f"{seat.person} · {where}")
    return list(people.items())


def record_with_union(pk: int) -> TrainingRecord | None:
    return TrainingRecord.objects.select_related("union", "recorded_by").filter(pk=pk).first()


def training_by_reference(wanted: dict[str, set[int]]) -> dict[tuple[str, int], tuple[str, str]]:
    """What met an S4.3 obligation ("trainingrecord:12"), for the calendar's 完成依据 column
    (core.obligation_links): one query for the page, each record's title and page."""
    ids = wanted.get("trainingrecord")
    if not ids:
        return {}
    return {
        ("trainingrecord", record.pk): (str(record), reverse("training:detail", args=[record.pk]))
        for record in TrainingRecord.objects.filter(pk__in=sorted(ids))
    }
