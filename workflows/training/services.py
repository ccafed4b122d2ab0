"""Writes of the training records (S4.3): a record with its sign-in meets the year's obligation."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Seat, Union, User
from core.selectors import union_access
from core.services.events import event_record
from core.services.statutory import obligation_meet
from core.uploads import validate_upload

from . import errors
from .models import TrainingRecord


def _faults(*, union: Union, held_on: datetime.date, participant_ids: set[int]) -> list[str]:
    """Every fault at once, so the officer corrects the form in one go."""
    faults: list[str] = []
    if held_on > timezone.localdate(timezone=union.tz):
        faults.append(str(errors.IN_FUTURE))
    if not participant_ids:
        faults.append(str(errors.NO_PARTICIPANTS))
        return faults
    # the sign-in lists the union's seat holders: each participant held a seat on the day
    seated = set(
        Seat.objects.filter(union=union, person_id__in=participant_ids)
        .in_force(held_on)
        .values_list("person_id", flat=True)
    )
    strangers = participant_ids - seated
    if strangers:
        names = "、".join(str(u) for u in User.objects.filter(pk__in=strangers).order_by("full_name", "pk"))
        faults.append(str(errors.PARTICIPANT_NO_SEAT % {"names": names, "date": held_on.isoformat()}))
    return faults


@transaction.atomic
def training_record(
    *,
    actor: User,
    union: Union,
    kind: str,
    held_on: datetime.date,
    topic: str,
    trainer: str,
    notes: str = "",
    participant_ids: Iterable[int],
    materials=None,
) -> TrainingRecord:
    """S4.3: the union's drafters record a study, seminar or class with its sign-in; it meets the study
    obligation (study, seminar) or the training-class obligation (class) of the year of the date. Where
    the union has no such obligation (a small union holds no class obligation) nothing else is met."""
    if not union_access(user=actor, union=union).can_draft:
        raise PermissionDenied(errors.NOT_DRAFTER)
    participants = {int(pk) for pk in participant_ids}
    faults = _faults(union=union, held_on=held_on, participant_ids=participants)
    if materials is not None:
        try:
            validate_upload(materials)
        except ValidationError as exc:
            faults.extend(exc.messages)
    if faults:
        raise ValidationError(faults)
    record = TrainingRecord(
        union=union,
        kind=kind,
        held_on=held_on,
        topic=topic.strip(),
        trainer=trainer.strip(),
        notes=notes.strip(),
        recorded_by=actor,
    )
    if materials is not None:
        record.materials = materials
        record.materials_name = Path(materials.name).name[:200]
    record.full_clean(exclude=["union", "recorded_by", "materials"])
    record.save()
    record.participants.set(participants)
    obligation_meet(
        union=union,
        code=record.obligation_code,
        fiscal_year=held_on.year,
        on=held_on,
        by=f"trainingrecord:{record.pk}",
    )
    event_record(
        verb="training_recorded",
        actor=actor,
        subject=record,
        union=union,
        detail={"kind": kind, "held_on": held_on.isoformat(), "participants": len(participants)},
    )
    return record
