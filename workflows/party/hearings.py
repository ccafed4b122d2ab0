"""The Party organisation's meeting hears the union's report (S1.2): attendance with its quorum, the
matters studied and the problems it decides to solve, each an action item tracked to closure."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from core.models import Body, Role, Seat, User
from core.selectors import union_access
from core.services.events import event_record
from workflows.models import Meeting, Resolution, WorkItem, WorkItemState
from workflows.services.decisions import (
    decision_recorded,
    fraction_reached,
    needed_for,
    user_may_act_for_body,
)
from workflows.services.workitems import AlreadyHandled, process_lock, work_item_complete, work_item_reload

from . import errors
from .models import ActionItem, Hearing
from .services import Problem

# reminders before an action item's due date (days), then once a week while it is overdue
ACTION_REMINDER_DAYS = (7, 1, 0)


def meeting_body(item: WorkItem) -> Body:
    """The body that meets: the union's Party organisation, or the organ Party committee leading it (S1.1)."""
    return item.body.led_by if item.body.led_by_id else item.body


def problems_cleaned(*, union_id: int, party: Body, held_on, problems: Sequence[Problem]) -> list[Problem]:
    """Each problem with its text, an owner (a person of the union or its Party organisation, or a
    department) and a due date after the hearing; every fault named by its number."""
    faults: list[str] = []
    people = set(
        Seat.objects.in_force()
        .filter(Q(union_id=union_id) | Q(body=party))
        .values_list("person_id", flat=True)
    )
    kept = []
    for i, p in enumerate(problems, start=1):
        n = p.row or i
        if not p.text.strip():
            faults.append(str(errors.ACTION_NO_TEXT % {"n": n}))
        if p.owner_id is None and not p.owner_department.strip():
            faults.append(str(errors.ACTION_NO_OWNER % {"n": n}))
        elif p.owner_id is not None and p.owner_id not in people:
            faults.append(str(errors.ACTION_OWNER_OUTSIDE % {"n": n}))
        if p.due_on is None:
            faults.append(str(errors.ACTION_NO_DUE % {"n": n}))
        elif p.due_on <= held_on:
            faults.append(str(errors.ACTION_DUE_PAST % {"n": n}))
        kept.append(p)
    if faults:
        raise ValidationError(faults)
    return kept


def _attendance(*, body: Body, held_on, attendee_ids) -> tuple[set[int], set[int]]:
    seated = set(Seat.objects.filter(body=body).in_force(held_on).values_list("person_id", flat=True))
    attendees = set(attendee_ids)
    strangers = attendees - seated
    if strangers:
        names = "、".join(str(u) for u in User.objects.filter(pk__in=strangers))
        raise ValidationError(
            errors.HEARING_ATTENDEE_NO_SEAT % {"names": names, "body": body.display_name, "date": held_on}
        )
    fractions = (body.quorum_numerator, body.quorum_denominator, body.quorum_strict)
    if not fraction_reached(len(attendees), len(seated), *fractions):
        raise ValidationError(
            errors.HEARING_NO_QUORUM
            % {
                "present": len(attendees),
                "seated": len(seated),
                "needed": needed_for(len(seated), *fractions),
            }
        )
    return seated, attendees


def hearing_record(
    *,
    recorder: User,
    work_item: WorkItem,
    held_on: datetime.date,
    place: str,
    attendee_ids: Sequence[int],
    matters_studied: str,
    minutes: str = "",
    problems: Sequence[Problem] = (),
) -> Hearing:
    """S1.2: the hearing recorded by a recorder of the Party organisation; the chain goes on to "heard",
    which meets S1.2 for the year. Refused without quorum, with a problem lacking owner or date."""
    body = work_item.body
    if not user_may_act_for_body(user=recorder, body=body):
        raise PermissionDenied(errors.NOT_DRAFTER)
    if held_on > timezone.localdate():
        raise ValidationError(errors.IN_FUTURE)
    if not matters_studied.strip():
        raise ValidationError(errors.HEARING_NO_PROBLEMS_TEXT)
    meets = meeting_body(work_item)
    seated, attendees = _attendance(body=meets, held_on=held_on, attendee_ids=attendee_ids)
    cleaned = problems_cleaned(union_id=work_item.union_id, party=meets, held_on=held_on, problems=problems)
    with process_lock(work_item.process_id, document_model=Hearing):
        work_item_reload(work_item)
        if work_item.state != WorkItemState.OPEN:
            raise AlreadyHandled(work_item)
        hearing = Hearing.objects.select_for_update().get(process_id=work_item.process_id)
        meeting = Meeting.objects.create(
            body=meets,
            held_on=held_on,
            place=place,
            seats_in_force=len(seated),
            attendee_count=len(attendees),
            has_quorum=True,
            minutes=minutes,
            recorded_by=recorder,
            recorded_on_behalf=recorder.pk not in seated,
        )
        meeting.attendees.set(sorted(attendees))
        hearing.meeting, hearing.matters_studied = meeting, matters_studied.strip()
        hearing.save(update_fields=["meeting", "matters_studied"])
        ActionItem.objects.bulk_create(
            ActionItem(
                hearing=hearing,
                union_id=hearing.union_id,
                problem=p.text.strip(),
                owner_id=p.owner_id,
                owner_department=p.owner_department.strip(),
                due_on=p.due_on,
            )
            for p in cleaned
        )
        decision_recorded(
            item=work_item, resolution=Resolution.APPROVE, actor=recorder, opinions="", via="meeting"
        )
        work_item_complete(work_item=work_item, actor=recorder, outcome=Resolution.APPROVE)
    return hearing


def hearing_return(*, recorder: User, work_item: WorkItem, opinions: str) -> None:
    """The Party organisation sends the report back to the union for more (with its reasons)."""
    if not user_may_act_for_body(user=recorder, body=work_item.body):
        raise PermissionDenied(errors.NOT_DRAFTER)
    if not opinions.strip():
        raise ValidationError(errors.RETURN_NEEDS_REASON)
    with process_lock(work_item.process_id, document_model=Hearing):
        work_item_reload(work_item)
        if work_item.state != WorkItemState.OPEN:
            raise AlreadyHandled(work_item)
        decision_recorded(
            item=work_item, resolution=Resolution.RETURN, actor=recorder, opinions=opinions, via="written"
        )
        work_item_complete(work_item=work_item, actor=recorder, outcome=Resolution.RETURN)


def may_close(*, user: User, item: ActionItem) -> bool:
    if item.owner_id == user.pk:
        return True
    chair = Seat.objects.in_force().filter(
        person=user, union_id=item.union_id, role=Role.CHAIR, body__kind="union_committee"
    )
    return chair.exists() or union_access(user=user, union=item.union).can_draft


def action_item_close(*, actor: User, item: ActionItem, note: str) -> ActionItem:
    """The problem solved: closed with how, by its owner, the union's chair or office staff (S1.2)."""
    if not may_close(user=actor, item=item):
        raise PermissionDenied(errors.ACTION_NOT_CLOSER)
    if not note.strip():
        raise ValidationError(errors.ACTION_NOTE_EMPTY)
    updated = ActionItem.objects.filter(pk=item.pk, closed_on__isnull=True).update(
        closed_on=timezone.localdate(), closing_note=note.strip(), closed_by=actor
    )
    if not updated:
        raise ValidationError(errors.ACTION_CLOSED)
    item.refresh_from_db()
    event_record(
        verb="action_item_closed",
        actor=actor,
        subject=item.hearing,
        union=item.union,
        detail={"action_item": item.pk},
    )
    return item
