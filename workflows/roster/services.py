"""Writing the roster (S4.2). The right is ``can_manage_seats`` (the union committee's chair and the
office staff), not ``can_draft``: the roster says who holds union posts, as the seats do, and the same
people keep both; drafting documents (vice chairs, the finance officer) is a different trust.

Refusals are ValidationErrors keyed by field, so a form shows each beside what was typed."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Seat, Union, User
from core.selectors import union_access
from core.services.events import event_record

from . import errors
from .models import Category, RosterEntry

EDITABLE = ("category", "person", "name", "position", "is_chair", "contract_start", "contract_end", "tasks")


def _assert_manager(actor: User, union: Union) -> None:
    if not union_access(user=actor, union=union).can_manage_seats:
        raise PermissionDenied(errors.NOT_MANAGER)


def _validate(entry: RosterEntry) -> None:
    """S4.2: the entry's own rules, each named beside its field."""
    problems: dict[str, list] = {}
    if entry.person_id is None and not entry.name.strip():
        problems.setdefault("person", []).append(errors.PERSON_OR_NAME)
    if entry.person_id is not None:
        seated = Seat.objects.in_force().filter(union_id=entry.union_id, person_id=entry.person_id).exists()
        if not seated:  # a person of another union is refused
            message = ValidationError(errors.PERSON_OUTSIDE, params={"person": entry.person.full_name})
            problems.setdefault("person", []).append(message)
        elif (
            RosterEntry.objects.filter(
                union_id=entry.union_id, person_id=entry.person_id, active_until__isnull=True
            )
            .exclude(pk=entry.pk)
            .exists()
        ):
            message = ValidationError(errors.PERSON_LISTED, params={"person": entry.person.full_name})
            problems.setdefault("person", []).append(message)
    if entry.category == Category.SOCIAL_WORKER and not (entry.contract_start and entry.contract_end):
        problems.setdefault("contract_end", []).append(errors.CONTRACT_NEEDED)
    if entry.contract_start and entry.contract_end and entry.contract_end < entry.contract_start:
        problems.setdefault("contract_end", []).append(errors.CONTRACT_END_BEFORE_START)
    if entry.is_chair:
        if entry.category != Category.FULL_TIME_OFFICER:
            problems.setdefault("is_chair", []).append(errors.CHAIR_FULL_TIME)
        elif (
            RosterEntry.objects.filter(union_id=entry.union_id, is_chair=True, active_until__isnull=True)
            .exclude(pk=entry.pk)
            .exists()
        ):
            problems.setdefault("is_chair", []).append(errors.CHAIR_TAKEN)
    if problems:
        raise ValidationError(problems)
    entry.full_clean()


@transaction.atomic
def roster_entry_add(*, actor: User, union: Union, category: str, **fields) -> RosterEntry:
    _assert_manager(actor, union)
    entry = RosterEntry(union=union, category=category, **{k: v for k, v in fields.items() if k in EDITABLE})
    entry.name = (entry.name or "").strip()
    _validate(entry)
    entry.save()
    event_record(verb="roster_added", actor=actor, subject=entry, union=union, detail={"category": category})
    return entry


@transaction.atomic
def roster_entry_update(*, actor: User, entry: RosterEntry, **fields) -> RosterEntry:
    _assert_manager(actor, entry.union)
    entry = RosterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.active_until is not None:
        raise ValidationError(errors.ALREADY_LEFT)
    for name, value in fields.items():
        if name in EDITABLE:
            setattr(entry, name, value)
    entry.name = (entry.name or "").strip()
    _validate(entry)
    entry.save()
    event_record(verb="roster_changed", actor=actor, subject=entry, union=entry.union)
    return entry


@transaction.atomic
def roster_entry_end(
    *, actor: User, entry: RosterEntry, left_on: datetime.date, today: datetime.date | None = None
) -> RosterEntry:
    """The person leaves union work (or the contract ends) on ``left_on``, a day already past or today."""
    _assert_manager(actor, entry.union)
    entry = RosterEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.active_until is not None:
        raise ValidationError(errors.ALREADY_LEFT)
    if left_on > (today or timezone.localdate()):
        raise ValidationError({"left_on": errors.LEFT_IN_FUTURE})
    if entry.contract_start and left_on < entry.contract_start:
        raise ValidationError({"left_on": errors.LEFT_BEFORE_START})
    entry.active_until = left_on
    entry.save(update_fields=["active_until"])
    event_record(
        verb="roster_ended",
        actor=actor,
        subject=entry,
        union=entry.union,
        detail={"left_on": left_on.isoformat()},
    )
    return entry
