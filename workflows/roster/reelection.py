"""Recording the re-election of a union's committees (换届, S4.1/S4.2): the new members take their seats
on the day the new term starts, the old seats end the day before, and the committee's term moves on.

Continuity, decided: every seat of the committee in force on the new term's first day ends the day
before, and every member elected gets a new seat from that day, re-elected or not. A member re-elected
in the same role therefore holds two adjacent seats (one per term, as core.models.Seat's body-term rule
wants) and never loses a right in between: the old seats are shortened first without a permission
sync, the new seats are made (each resyncs its holder with both seats in place), and only then are
those who leave resynced — which, once their last day is past, takes their rights and hands their
claimed tasks back to the committee's queue with its head told (workflows.services.actions
.handover_claimed_items, on core's ``permissions_revoked``). A term that starts later is reached by
the nightly ``sync_seat_permissions`` on its first day (core.services.permissions.permissions_sync_due).
``seat_ended`` is sent for the old seats after the new ones exist, so a committee being renewed is
never flagged as empty (workflows.services.vacancy).

Refusals are ValidationErrors keyed by the form's fields ("members" for the member rows), each said in
the user's language. Who may record: whoever may manage the union's seats (``can_manage_seats``).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import seat_circle
from core.models import BODY_ROLES, COMMITTEE_KINDS, Body, BodyKind, Role, Seat, User
from core.selectors import union_access
from core.services.events import event_record
from core.services.permissions import permissions_sync_for_user
from core.services.seats import seat_create
from core.signals import seat_ended
from workflows.models import Meeting

from .models import COMMITTEE_HEAD, ReElection, ReElectionMember

# --- what the user is told (S4.1/S4.2) -----------------------------------------------------------------

NOT_MANAGER = _("Only the union's chair or its office staff may record a re-election.")
NOT_A_COMMITTEE = _(
    "Only the union committee, the fund audit committee and the women workers' committee are re-elected here."
)
ELECTED_IN_FUTURE = _("The date of the election cannot be in the future: record it once it has taken place.")
TERM_BEFORE_ELECTION = _("The new term cannot start before the election.")
TERM_END_NOT_AFTER_START = _("The term must end after it starts.")
TERM_NOT_AFTER_CURRENT = _("The new term must start after the current term, which started on %(date)s.")
ELECTED_BY_NEEDED = _("Choose the congress meeting that elected, or describe the member meeting.")
MEETING_OTHER = _("Choose a meeting of this union's member (representative) congress.")
MEETING_DATE = _("The meeting chosen was held on %(date)s: the election date must be that day.")
NO_MEMBERS = _("Name at least one member elected.")
SINGLE_PERSON = _("%(body)s is a single person: name exactly one member.")
ONE_HEAD = _("%(body)s elects exactly one %(role)s.")
ROLE_NOT_ADMITTED = _("%(person)s: %(body)s has no role “%(role)s”.")
PERSON_TWICE = _("%(person)s is named more than once.")
PERSON_INACTIVE = _("%(person)s's account is deactivated: they cannot take a seat.")
PERSON_OUTSIDE = _("%(person)s is not one of this union's people.")
SEAT_STARTS_LATER = _(
    "%(person)s's seat on this committee starts on %(date)s, after the new term starts: "
    "correct that seat first."
)
ROLE_NEEDED = _("Choose the role of the person elected.")
PERSON_NEEDED = _("Choose the person elected in this role.")


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (28 February for a 29th in a year without one): terms run in years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _assert_manager(actor: User, body: Body) -> None:
    if not union_access(user=actor, union=body.union).can_manage_seats:
        raise PermissionDenied(NOT_MANAGER)


def _add(problems: dict[str, list], field: str, message, **params) -> None:
    problems.setdefault(field, []).append(ValidationError(message, params=params or None))


def _check_dates(problems, *, body, elected_on, term_start, term_end, meeting, meeting_text) -> None:
    """S4.1: the election took place, the term it opens follows it and the current one, and who elected
    is on record."""
    if elected_on > timezone.localdate(timezone=body.union.tz):
        _add(problems, "elected_on", ELECTED_IN_FUTURE)
    if term_start < elected_on:
        _add(problems, "term_start", TERM_BEFORE_ELECTION)
    if term_end <= term_start:
        _add(problems, "term_end", TERM_END_NOT_AFTER_START)
    if body.term_start and term_start <= body.term_start:
        _add(problems, "term_start", TERM_NOT_AFTER_CURRENT, date=body.term_start.isoformat())
    if meeting is None and not meeting_text.strip():
        _add(problems, "meeting", ELECTED_BY_NEEDED)
    elif meeting is not None:
        if meeting.body.union_id != body.union_id or meeting.body.kind != BodyKind.CONGRESS:
            _add(problems, "meeting", MEETING_OTHER)
        elif meeting.held_on != elected_on:
            _add(problems, "elected_on", MEETING_DATE, date=meeting.held_on.isoformat())


def _check_members(problems, *, body: Body, members: list[tuple[User, str]]) -> None:
    """S4.1: people of the union, once each, in roles the committee admits, with its one head."""
    label = body.display_name
    if not members:
        _add(problems, "members", NO_MEMBERS)
        return
    if body.is_single_person and len(members) != 1:
        _add(problems, "members", SINGLE_PERSON, body=label)
    circle = set(
        seat_circle(union=body.union).filter(pk__in=[p.pk for p, _r in members]).values_list("pk", flat=True)
    )
    counted = Counter(person.pk for person, _role in members)
    for person, role in members:
        if role not in BODY_ROLES[body.kind]:
            role_label = Role(role).label if role in Role.values else role
            _add(problems, "members", ROLE_NOT_ADMITTED, person=str(person), body=label, role=role_label)
        if not person.is_active:
            _add(problems, "members", PERSON_INACTIVE, person=str(person))
        elif person.pk not in circle:
            _add(problems, "members", PERSON_OUTSIDE, person=str(person))
    for person in {p.pk: p for p, _r in members if counted[p.pk] > 1}.values():
        _add(problems, "members", PERSON_TWICE, person=str(person))
    head = COMMITTEE_HEAD[body.kind]
    if not body.is_single_person and sum(role == head for _p, role in members) != 1:
        _add(problems, "members", ONE_HEAD, body=label, role=Role(head).label)


def _check_later_seats(problems, *, body: Body, term_start: datetime.date) -> None:
    """A seat starting on or after the new term's first day cannot be ended the day before it."""
    for seat in Seat.objects.filter(body=body, start_date__gte=term_start).select_related("person"):
        _add(
            problems,
            "term_start",
            SEAT_STARTS_LATER,
            person=str(seat.person),
            date=seat.start_date.isoformat(),
        )


def _validate(*, body, elected_on, term_start, term_end, members, meeting, meeting_text) -> None:
    if body.kind not in COMMITTEE_KINDS:
        raise ValidationError({"body": NOT_A_COMMITTEE})
    problems: dict[str, list] = {}
    _check_dates(
        problems,
        body=body,
        elected_on=elected_on,
        term_start=term_start,
        term_end=term_end,
        meeting=meeting,
        meeting_text=meeting_text,
    )
    _check_members(problems, body=body, members=members)
    if "term_start" not in problems:
        _check_later_seats(problems, body=body, term_start=term_start)
    if problems:
        raise ValidationError(problems)


def _shorten_old_seats(*, actor: User, body: Body, term_start: datetime.date) -> list[Seat]:
    """End every seat of the committee in force on ``term_start`` the day before, as core's seat_end
    records it (the same event) but without its permission sync: see the module docstring. No
    full_clean: a seat ended earlier within its own span stays valid (the database checks
    end >= start), and a deactivated holder's seat must end all the same."""
    last_day = term_start - datetime.timedelta(days=1)
    seats = list(
        Seat.objects.filter(body=body, start_date__lt=term_start)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=term_start))
        .select_related("person", "union", "body")
        .order_by("id")
    )
    for seat in seats:
        previous = seat.end_date
        Seat.objects.filter(pk=seat.pk).update(end_date=last_day)
        seat.end_date = last_day
        event_record(
            verb="seat_ended",
            actor=actor,
            subject=seat,
            union=seat.union,
            detail={
                "end_date": last_day.isoformat(),
                "previous_end_date": previous.isoformat() if previous else None,
                "reelection": True,
            },
        )
    return seats


def _seat_new_members(*, actor, body, reelection, members) -> list[ReElectionMember]:
    rows = []
    for person, role in members:
        seat = seat_create(
            actor=actor,
            person=person,
            union=body.union,
            body=body,
            role=role,
            start_date=reelection.term_start,
            end_date=reelection.term_end,
        )
        rows.append(ReElectionMember(reelection=reelection, person=person, role=role, seat=seat))
    return ReElectionMember.objects.bulk_create(rows)


def _open_term(*, body: Body, reelection: ReElection) -> None:
    """The committee's term becomes the new one, and the re-election is saved."""
    body.term_start, body.term_end = reelection.term_start, reelection.term_end
    body.full_clean()
    body.save(update_fields=["term_start", "term_end"])
    reelection.full_clean()
    reelection.save()


def reelection_record(
    *,
    actor: User,
    body: Body,
    elected_on: datetime.date,
    term_start: datetime.date,
    term_end: datetime.date,
    members: Iterable[tuple[User, str]],
    meeting: Meeting | None = None,
    meeting_text: str = "",
) -> ReElection:
    """S4.1/S4.2: record the committee's re-election in one transaction — the old seats end the day
    before ``term_start``, the members elected take seats from ``term_start`` to ``term_end``, the
    committee's term becomes the new one, and an event says who recorded what."""
    members, meeting_text = list(members), (meeting_text or "").strip()
    _assert_manager(actor, body)
    with transaction.atomic():
        body = Body.objects.select_for_update().select_related("union").get(pk=body.pk)
        dates = {"elected_on": elected_on, "term_start": term_start, "term_end": term_end}
        _validate(body=body, members=members, meeting=meeting, meeting_text=meeting_text, **dates)
        previous = [d.isoformat() if d else None for d in (body.term_start, body.term_end)]
        ended = _shorten_old_seats(actor=actor, body=body, term_start=term_start)
        reelection = ReElection(
            union=body.union,
            body=body,
            elected_by_meeting=meeting,
            elected_by_text=meeting_text,
            recorded_by=actor,
            **dates,
        )
        _open_term(body=body, reelection=reelection)
        elected = _seat_new_members(actor=actor, body=body, reelection=reelection, members=members)
        _after_seats_changed(ended=ended, elected_ids={row.person_id for row in elected})
        event_record(
            verb="reelection_recorded",
            actor=actor,
            subject=reelection,
            union=body.union,
            detail={
                "body": body.pk,
                "elected_on": elected_on.isoformat(),
                "term": [term_start.isoformat(), term_end.isoformat()],
                "previous_term": previous,
                "members": [[row.person_id, row.role] for row in elected],
                "seats_ended": [seat.pk for seat in ended],
            },
        )
    return reelection


def _after_seats_changed(*, ended: list[Seat], elected_ids: set[int]) -> None:
    """Those who leave are resynced (the elected were, by their new seat), then the apps above hear of
    each seat ended — now that the new seats exist."""
    leaving = {seat.person_id: seat.person for seat in ended if seat.person_id not in elected_ids}
    for person in leaving.values():
        permissions_sync_for_user(user=person)
    for seat in ended:
        seat_ended.send(sender=Seat, seat=seat)
