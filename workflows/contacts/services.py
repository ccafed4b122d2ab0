"""Writing the contact system (S4.4).

Assigning, reassigning and ending contacts is for those who may manage the union's seats (the union
committee's chair and the office staff), as the roster is: who keeps contact with whom is part of who
holds which post. A record of a worker in difficulty is made only by someone who may read it (the chair
or a person the union names). Logging is done by the committee member keeping the contact, nobody else.
Naming the readers of records of workers in difficulty is the chair's alone.

Refusals of input are ValidationErrors keyed by field, so a form shows each beside what was typed;
a missing right is PermissionDenied. Every change writes an event; every view of a record of a worker
in difficulty writes one too (``difficulty_views_record``), with the record's id and never its name.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Seat, Union, User
from core.selectors import union_access
from core.services.events import event_record, events_collected

from . import errors, selectors
from .models import Contact, ContactKind, ContactLog, DifficultyViewer

CONTACT_FIELDS = ("contact_union", "name", "unit", "phone", "note")


def _today(union: Union, today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate(timezone=union.tz)


def _reader(actor: User, union: Union) -> selectors.Reader:
    return selectors.reader_of(actor, union, union_access(user=actor, union=union))


def _assert_manager(reader: selectors.Reader) -> None:
    if not reader.manager:
        raise PermissionDenied(errors.NOT_MANAGER)


def _member_problem(member: User, union: Union, today: datetime.date) -> ValidationError | None:
    """S4.4: contacts are kept by the members of the union's three committees."""
    if selectors.is_committee_member(member.pk, union.pk, today):
        return None
    return ValidationError(errors.MEMBER_NO_SEAT, params={"person": member.full_name or str(member)})


def _validate(contact: Contact, reader: selectors.Reader, today: datetime.date) -> None:
    problems: dict[str, list] = {}
    member_problem = _member_problem(contact.member, contact.union, today)
    if member_problem:
        problems.setdefault("member", []).append(member_problem)
    if contact.kind == ContactKind.WORKER_IN_DIFFICULTY and not reader.reads_difficulty:
        problems.setdefault("kind", []).append(errors.DIFFICULTY_RESERVED)
    if contact.kind == ContactKind.UNION_GROUP:
        if contact.contact_union_id is None:
            problems.setdefault("contact_union", []).append(errors.UNION_NEEDED)
        elif contact.contact_union.parent_id != contact.union_id:
            problems.setdefault("contact_union", []).append(errors.UNION_NOT_BELOW)
    elif not contact.name:
        problems.setdefault("name", []).append(errors.NAME_NEEDED)
    if contact.assigned_on > today:
        problems.setdefault("assigned_on", []).append(errors.ASSIGNED_IN_FUTURE)
    if problems:
        raise ValidationError(problems)
    contact.full_clean()


@transaction.atomic
def contact_assign(
    *,
    actor: User,
    union: Union,
    member: User,
    kind: str,
    assigned_on: datetime.date | None = None,
    today: datetime.date | None = None,
    **fields,
) -> Contact:
    """S4.4: a committee member is given a contact to keep."""
    reader = _reader(actor, union)
    _assert_manager(reader)
    today = _today(union, today)
    contact = Contact(
        union=union,
        member=member,
        kind=kind,
        assigned_on=assigned_on or today,
        created_by=actor,
        **{k: v for k, v in fields.items() if k in CONTACT_FIELDS},
    )
    contact.name = (contact.name or "").strip()
    if kind != ContactKind.UNION_GROUP:
        contact.contact_union = None
    _validate(contact, reader, today)
    contact.save()
    event_record(verb="contact_assigned", actor=actor, subject=contact, union=union, detail={"kind": kind})
    return contact


def _managed(actor: User, contact: Contact) -> selectors.Reader:
    """The manager's right, and for a record of a worker in difficulty the right to read it."""
    reader = _reader(actor, contact.union)
    _assert_manager(reader)
    if not reader.reads(contact):
        raise PermissionDenied(errors.DIFFICULTY_RESERVED)
    return reader


@transaction.atomic
def contact_reassign(
    *, actor: User, contact: Contact, member: User, today: datetime.date | None = None
) -> Contact:
    """Another committee member keeps the contact from now on (a member left, the load is shared)."""
    _managed(actor, contact)
    contact = Contact.objects.select_for_update().select_related("union", "member").get(pk=contact.pk)
    if contact.ended_on is not None:
        raise ValidationError(errors.ALREADY_ENDED)
    if member.pk == contact.member_id:
        raise ValidationError({"member": errors.SAME_MEMBER})
    problem = _member_problem(member, contact.union, _today(contact.union, today))
    if problem:
        raise ValidationError({"member": [problem]})
    previous = contact.member_id
    contact.member = member
    contact.save(update_fields=["member"])
    event_record(
        verb="contact_reassigned",
        actor=actor,
        subject=contact,
        union=contact.union,
        detail={"from": previous, "to": member.pk},
    )
    return contact


@transaction.atomic
def contact_end(
    *, actor: User, contact: Contact, ended_on: datetime.date, today: datetime.date | None = None
) -> Contact:
    _managed(actor, contact)
    contact = Contact.objects.select_for_update().select_related("union").get(pk=contact.pk)
    if contact.ended_on is not None:
        raise ValidationError(errors.ALREADY_ENDED)
    if ended_on > _today(contact.union, today):
        raise ValidationError({"ended_on": errors.ENDED_IN_FUTURE})
    if ended_on < contact.assigned_on:
        raise ValidationError({"ended_on": errors.ENDED_BEFORE_ASSIGNED})
    contact.ended_on = ended_on
    contact.save(update_fields=["ended_on"])
    event_record(
        verb="contact_ended",
        actor=actor,
        subject=contact,
        union=contact.union,
        detail={"on": ended_on.isoformat()},
    )
    return contact


def _log_problems(log: ContactLog, today: datetime.date) -> dict[str, list]:
    problems: dict[str, list] = {}
    if log.contacted_on > today:
        problems.setdefault("contacted_on", []).append(errors.CONTACT_IN_FUTURE)
    if log.follow_up_due and log.follow_up_due < log.contacted_on:
        problems.setdefault("follow_up_due", []).append(errors.FOLLOW_UP_BEFORE_CONTACT)
    named = log.follow_up_owner_id is not None or bool(log.follow_up_owner_name)
    if (named or log.follow_up_due) and not log.follow_up:
        problems.setdefault("follow_up", []).append(errors.FOLLOW_UP_WHAT)
    if log.follow_up_owner_id is not None and log.follow_up_owner_name:
        problems.setdefault("follow_up_owner_name", []).append(errors.FOLLOW_UP_OWNER_ONE)
    if log.for_plan and not log.raised:
        problems.setdefault("for_plan", []).append(errors.PLAN_NEEDS_OPINION)
    return problems


@transaction.atomic
def contact_log(
    *,
    actor: User,
    contact: Contact,
    contacted_on: datetime.date,
    way: str,
    raised: str = "",
    follow_up: str = "",
    follow_up_owner: User | None = None,
    follow_up_owner_name: str = "",
    follow_up_due: datetime.date | None = None,
    for_plan: bool = False,
    today: datetime.date | None = None,
) -> ContactLog:
    """S4.4: the committee member keeping the contact logs one time they kept it (S2.2: what was raised
    may be carried into next year's plan)."""
    contact = Contact.objects.select_related("union", "member").get(pk=contact.pk)
    if contact.member_id != actor.pk:
        raise ValidationError(errors.NOT_ASSIGNED, params={"person": str(contact.member)})
    if contact.ended_on is not None:
        raise ValidationError(errors.ALREADY_ENDED)
    log = ContactLog(
        contact=contact,
        contacted_on=contacted_on,
        way=way,
        raised=raised.strip(),
        follow_up=follow_up.strip(),
        follow_up_owner=follow_up_owner,
        follow_up_owner_name=follow_up_owner_name.strip(),
        follow_up_due=follow_up_due,
        for_plan=for_plan,
        plan_year=contacted_on.year + 1 if for_plan else None,
        logged_by=actor,
    )
    problems = _log_problems(log, _today(contact.union, today))
    if problems:
        raise ValidationError(problems)
    log.full_clean()
    log.save()
    event_record(
        verb="contact_logged",
        actor=actor,
        subject=log,
        union=contact.union,
        detail={"contact": contact.pk, "way": way, "follow_up": log.has_follow_up, "for_plan": for_plan},
    )
    return log


def _log_keeper(actor: User, log: ContactLog, *, owner_too: bool) -> bool:
    """The member keeping the contact, the follow-up's owner (if asked) or a manager who may read it."""
    contact = log.contact
    if actor.pk == contact.member_id or (owner_too and actor.pk == log.follow_up_owner_id):
        return True
    reader = _reader(actor, contact.union)
    return reader.manager and reader.reads(contact)


@transaction.atomic
def follow_up_close(*, actor: User, log: ContactLog, today: datetime.date | None = None) -> ContactLog:
    log = ContactLog.objects.select_for_update().select_related("contact__union").get(pk=log.pk)
    if not _log_keeper(actor, log, owner_too=True):
        raise PermissionDenied(errors.NOT_FOLLOW_UP_KEEPER)
    if not log.has_follow_up:
        raise ValidationError(errors.NO_FOLLOW_UP)
    if log.follow_up_closed_on is not None:
        raise ValidationError(errors.FOLLOW_UP_CLOSED)
    # closed today, or on the day of contact for a log backdated to after the union's today
    log.follow_up_closed_on = max(_today(log.contact.union, today), log.contacted_on)
    log.save(update_fields=["follow_up_closed_on"])
    event_record(verb="contact_follow_up_closed", actor=actor, subject=log, union=log.contact.union)
    return log


@transaction.atomic
def log_mark_for_plan(*, actor: User, log: ContactLog, for_plan: bool) -> ContactLog:
    """S2.2: carry what was raised into the annual plan of the year after the contact (or take it back)."""
    log = ContactLog.objects.select_for_update().select_related("contact__union").get(pk=log.pk)
    if not _log_keeper(actor, log, owner_too=False):
        raise PermissionDenied(errors.NOT_PLAN_KEEPER)
    if for_plan and not log.raised:
        raise ValidationError(errors.PLAN_NEEDS_OPINION)
    log.for_plan = for_plan
    log.plan_year = log.contacted_on.year + 1 if for_plan else None
    log.save(update_fields=["for_plan", "plan_year"])
    event_record(
        verb="contact_for_plan" if for_plan else "contact_not_for_plan",
        actor=actor,
        subject=log,
        union=log.contact.union,
        detail={"plan_year": log.plan_year},
    )
    return log


@transaction.atomic
def difficulty_viewer_add(*, actor: User, union: Union, person: User) -> DifficultyViewer:
    """S4.4: the chair names a person of the union who may read its records of workers in difficulty."""
    if not selectors.is_chair(actor, union):
        raise PermissionDenied(errors.NOT_CHAIR)
    name = person.full_name or str(person)
    if (
        not Seat.objects.in_force(timezone.localdate(timezone=union.tz))
        .filter(union=union, person=person)
        .exists()
    ):
        raise ValidationError({"person": ValidationError(errors.VIEWER_NO_SEAT, params={"person": name})})
    if DifficultyViewer.objects.filter(union=union, person=person).exists():
        raise ValidationError({"person": ValidationError(errors.VIEWER_NAMED, params={"person": name})})
    viewer = DifficultyViewer.objects.create(union=union, person=person, added_by=actor)
    event_record(
        verb="difficulty_viewer_added", actor=actor, subject=viewer, union=union, detail={"person": person.pk}
    )
    return viewer


@transaction.atomic
def difficulty_viewer_remove(*, actor: User, viewer: DifficultyViewer) -> None:
    if not selectors.is_chair(actor, viewer.union):
        raise PermissionDenied(errors.NOT_CHAIR)
    event_record(
        verb="difficulty_viewer_removed",
        actor=actor,
        subject=viewer,
        union=viewer.union,
        detail={"person": viewer.person_id},
    )
    viewer.delete()


@transaction.atomic
def difficulty_views_record(*, viewer: User, contacts: list[Contact], page: str) -> int:
    """S4.4: every view of a record of a worker in difficulty is logged, whoever views it (one event per
    record shown, inserted together)."""
    shown = [c for c in contacts if c.is_difficulty]
    with events_collected():
        for contact in shown:
            event_record(
                verb="difficulty_record_viewed",
                actor=viewer,
                subject=contact,
                union=contact.union,
                detail={"page": page},
            )
    return len(shown)
