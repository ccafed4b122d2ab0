"""Reading the contact system (S4.4): the cadence (nearest wins), each contact's state in its period, a
member's contacts, a union's coverage per committee member, the counts for many unions at once, the
opinions carried into next year's plan (S2.2), and who reads what.

Periods are calendar periods in the union's time zone: a quarterly contact is due once in each quarter,
a monthly one in each month. A contact is *contacted* once a log falls in the current period, *due*
while the period runs without one, and *overdue* once a whole period has passed without a log (until
the next log) or while a follow-up is past its due date.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import BodyKind, Role, Seat, Union, User
from core.selectors import UnionAccess

from .models import (
    DIFFICULTY_EVERY_MONTHS,
    EVERY_MONTHS,
    Contact,
    ContactCadence,
    ContactKind,
    ContactLog,
    DifficultyViewer,
)

COMMITTEES = (BodyKind.UNION_COMMITTEE, BodyKind.AUDIT_COMMITTEE, BodyKind.WOMEN_COMMITTEE)
# A month is at least 28 days: a contact logged in the last 28 days cannot have missed a whole period.
SHORTEST_MONTH = datetime.timedelta(days=28)


# --- the cadence, nearest wins ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cadence:
    every_months: int = EVERY_MONTHS
    difficulty_every_months: int = DIFFICULTY_EVERY_MONTHS

    def months_for(self, kind: str) -> int:
        return self.difficulty_every_months if kind == ContactKind.WORKER_IN_DIFFICULTY else self.every_months


BUILT_IN = Cadence()


def _cadences(unions: list[tuple[int, int | None]]) -> dict[int, Cadence]:
    """S4.4, rules as data, for each (union id, parent id): its own row, its parent's, the provincial
    default, the built-in quarterly and monthly. One query."""
    scopes = {pk for pair in unions for pk in pair if pk is not None}
    rows = {
        union_id: Cadence(every, difficulty)
        for union_id, every, difficulty in ContactCadence.objects.filter(
            Q(union__isnull=True) | Q(union_id__in=scopes)
        ).values_list("union_id", "every_months", "difficulty_every_months")
    }
    found = {}
    for union_id, parent_id in unions:
        scope = next((s for s in (union_id, parent_id, None) if s in rows), "built-in")
        found[union_id] = rows.get(scope, BUILT_IN)
    return found


def cadence_for(union: Union) -> Cadence:
    return _cadences([(union.pk, union.parent_id)])[union.pk]


# --- periods and states -----------------------------------------------------------------------------


def shift_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` months after (or before) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def period_of(day: datetime.date, months: int) -> tuple[datetime.date, datetime.date]:
    """The calendar period of ``months`` months holding ``day``: its first and last day."""
    start = datetime.date(day.year, (day.month - 1) // months * months + 1, 1)
    return start, shift_months(start, months) - datetime.timedelta(days=1)


class Status:
    CONTACTED = "contacted"
    DUE = "due"
    OVERDUE = "overdue"
    LABELS = {
        CONTACTED: _("contacted this period"),
        DUE: _("not yet contacted this period"),
        OVERDUE: _("overdue"),
    }
    ORDER = {OVERDUE: 0, DUE: 1, CONTACTED: 2}


@dataclass(frozen=True)
class ContactState:
    status: str
    months: int
    period_start: datetime.date
    period_end: datetime.date
    last_contacted: datetime.date | None
    follow_up_late: bool

    @property
    def overdue(self) -> bool:
        """S4.4: what reminds the member: a period missed or a follow-up past due."""
        return self.status == Status.OVERDUE or self.follow_up_late

    @property
    def label(self):
        return Status.LABELS[self.status]


def contact_state(
    *,
    kind: str,
    assigned_on: datetime.date,
    last_contacted: datetime.date | None,
    open_follow_up_due: datetime.date | None,
    cadence: Cadence,
    today: datetime.date,
) -> ContactState:
    """S4.4: a contact is due in every period from the one it was assigned in; missing a whole period
    makes it overdue until the next log."""
    months = cadence.months_for(kind)
    start, end = period_of(today, months)
    if last_contacted is not None and last_contacted >= start:
        status = Status.CONTACTED
    else:
        previous = shift_months(start, -months)
        missed = assigned_on < start and (last_contacted is None or last_contacted < previous)
        status = Status.OVERDUE if missed else Status.DUE
    late = open_follow_up_due is not None and open_follow_up_due < today
    return ContactState(status, months, start, end, last_contacted, late)


def _annotated(contacts: QuerySet[Contact], on: datetime.date | None = None) -> QuerySet[Contact]:
    """The last contact and the earliest open follow-up of each contact, as of ``on`` (default: now)."""
    logs = Q(logs__contacted_on__lte=on) if on else Q()
    open_follow_up = Q(logs__follow_up_closed_on__isnull=True)
    if on:
        open_follow_up = (open_follow_up | Q(logs__follow_up_closed_on__gt=on)) & logs
        contacts = contacts.filter(assigned_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    else:
        contacts = contacts.filter(ended_on__isnull=True)
    return contacts.annotate(
        last_contacted=Max("logs__contacted_on", filter=logs),
        open_follow_up_due=Min("logs__follow_up_due", filter=open_follow_up),
    )


def _today(tz_name: str, on: datetime.date | None, cache: dict) -> datetime.date:
    if on is not None:
        return on
    if tz_name not in cache:
        cache[tz_name] = timezone.localdate(timezone=zoneinfo.ZoneInfo(tz_name))
    return cache[tz_name]


def with_states(contacts: list[Contact], *, on: datetime.date | None = None) -> list[Contact]:
    """Each contact (annotated, its union selected) gets ``.state``. One query for the cadences."""
    if not contacts:
        return contacts
    cadences = _cadences(list({(c.union_id, c.union.parent_id) for c in contacts}))
    todays: dict = {}
    for contact in contacts:
        contact.state = contact_state(
            kind=contact.kind,
            assigned_on=contact.assigned_on,
            last_contacted=contact.last_contacted,
            open_follow_up_due=contact.open_follow_up_due,
            cadence=cadences[contact.union_id],
            today=_today(contact.union.time_zone, on, todays),
        )
    return contacts


def _by_state(contacts: list[Contact]) -> list[Contact]:
    return sorted(
        contacts,
        key=lambda c: (Status.ORDER[c.state.status], not c.state.follow_up_late, c.display_name, c.pk),
    )


# --- seats and readers ----------------------------------------------------------------------------------


def committee_seats(union_id: int, on: datetime.date | None = None) -> QuerySet[Seat]:
    """S4.4: the seats whose holders keep contacts: the three committees of the union."""
    return Seat.objects.in_force(on).filter(union_id=union_id, body__kind__in=COMMITTEES)


def committee_members(union: Union, on: datetime.date | None = None) -> QuerySet[User]:
    seated = committee_seats(union.pk, on).values("person_id")
    return User.objects.filter(pk__in=seated, is_active=True)


def is_committee_member(person_id: int, union_id: int, on: datetime.date | None = None) -> bool:
    return committee_seats(union_id, on).filter(person_id=person_id).exists()


def seat_holders(union: Union, on: datetime.date | None = None) -> QuerySet[User]:
    seated = Seat.objects.in_force(on).filter(union_id=union.pk).values("person_id")
    return User.objects.filter(pk__in=seated, is_active=True)


def _chair_seat(union_id, person_id):
    return Seat.objects.in_force().filter(
        union_id=union_id, person_id=person_id, role=Role.CHAIR, body__kind=BodyKind.UNION_COMMITTEE
    )


@dataclass(frozen=True)
class Reader:
    """What one user may read of one union's contacts (S4.4). Records of workers in difficulty: the
    member keeping the contact, the union committee's chair and the people the union names; other
    records: the union's officers too. The upper union and the officers see counts, never names."""

    user_id: int
    access: UnionAccess
    chair: bool = False
    named: bool = False

    @property
    def reads_difficulty(self) -> bool:
        return self.chair or self.named

    @property
    def manager(self) -> bool:
        return self.access.can_manage_seats

    def reads(self, contact: Contact) -> bool:
        if contact.member_id == self.user_id:
            return True
        if contact.is_difficulty:
            return self.reads_difficulty
        return self.access.is_officer or self.reads_difficulty

    @property
    def sees_names(self) -> bool:
        """The coverage page with the contacts named (who may read a record of each kind)."""
        return self.manager or self.reads_difficulty

    @property
    def sees_counts(self) -> bool:
        return self.sees_names or self.access.is_officer or self.access.supervised


def reader_of(user, union: Union, access: UnionAccess) -> Reader:
    """One query: whether the user chairs the union committee or is named to read difficulty records."""
    flags = (
        Union.objects.filter(pk=union.pk)
        .annotate(
            chair=Exists(_chair_seat(union.pk, user.pk)),
            named=Exists(DifficultyViewer.objects.filter(union_id=union.pk, person_id=user.pk)),
        )
        .values_list("chair", "named")
        .first()
    ) or (False, False)
    return Reader(user_id=user.pk, access=access, chair=flags[0], named=flags[1])


def is_chair(user, union: Union) -> bool:
    return _chair_seat(union.pk, user.pk).exists()


def difficulty_viewers(union: Union) -> QuerySet[DifficultyViewer]:
    return DifficultyViewer.objects.filter(union=union).select_related("person").order_by("id")


# --- a member's contacts, a union's contacts ------------------------------------------------------------


def _contacts() -> QuerySet[Contact]:
    return Contact.objects.select_related("union", "member", "contact_union")


def my_contacts(user, *, on: datetime.date | None = None) -> list[Contact]:
    """S4.4: the contacts a member keeps, in the unions where they still sit on one of the three
    committees, overdue first. Two queries."""
    seated = Seat.objects.in_force(on).filter(
        union_id=OuterRef("union_id"), person_id=user.pk, body__kind__in=COMMITTEES
    )
    contacts = _annotated(_contacts().filter(member=user), on).filter(Exists(seated))
    return _by_state(with_states(list(contacts), on=on))


def contact_with_state(pk: int) -> Contact | None:
    """One contact with its state; an ended contact comes without (it is due no more)."""
    contact = _annotated(_contacts().filter(pk=pk)).first()
    if contact is not None:
        return with_states([contact])[0]
    return _contacts().filter(pk=pk).first()


def logs_of(contact: Contact) -> QuerySet[ContactLog]:
    return contact.logs.select_related("follow_up_owner", "logged_by").order_by("-contacted_on", "-id")


@dataclass
class MemberCoverage:
    """One committee member's contacts on the union's page: those the viewer may read, by name; the
    others (records of workers in difficulty) as counts."""

    person: User
    roles: list[str] = field(default_factory=list)
    seated: bool = True
    contacts: list[Contact] = field(default_factory=list)
    total: int = 0
    contacted: int = 0
    overdue: int = 0
    hidden: int = 0
    hidden_contacted: int = 0
    hidden_overdue: int = 0

    @property
    def not_contacted(self) -> int:
        return self.total - self.contacted

    @property
    def waiting(self) -> list[Contact]:
        return [c for c in self.contacts if c.state.status != Status.CONTACTED]


def coverage_by_member(
    union: Union, reader: Reader, *, on: datetime.date | None = None
) -> list[MemberCoverage]:
    """S4.4, for the chair: every seated committee member (with or without contacts) and every member
    still keeping contacts, what they have not contacted this period. Three queries."""
    rows: dict[int, MemberCoverage] = {}
    for seat in (
        committee_seats(union.pk, on).select_related("person", "body").order_by("body_id", "role", "id")
    ):
        row = rows.setdefault(seat.person_id, MemberCoverage(person=seat.person))
        row.roles.append(f"{seat.body.get_kind_display()} · {seat.get_role_display()}")
    contacts = with_states(list(_annotated(_contacts().filter(union=union), on)), on=on)
    for contact in _by_state(contacts):
        row = rows.get(contact.member_id)
        if row is None:
            row = rows[contact.member_id] = MemberCoverage(person=contact.member, seated=False)
        done, late = contact.state.status == Status.CONTACTED, contact.state.overdue
        row.total, row.contacted, row.overdue = row.total + 1, row.contacted + done, row.overdue + late
        if reader.sees_names and reader.reads(contact):
            row.contacts.append(contact)
        else:
            row.hidden, row.hidden_contacted = row.hidden + 1, row.hidden_contacted + done
            row.hidden_overdue += late
    return sorted(rows.values(), key=lambda r: (not r.seated, -r.overdue, r.person.full_name, r.person.pk))


# --- many unions at once ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """S4.4 for the scorecard and oversight: the union's contacts due this period (every contact
    assigned), those contacted in it, those overdue (a period missed or a follow-up past due)."""

    union_id: int
    due: int = 0
    contacted: int = 0
    overdue: int = 0
    follow_ups_late: int = 0

    @property
    def not_contacted(self) -> int:
        return self.due - self.contacted


def coverage_counts(union_ids: Iterable[int], on: datetime.date | None = None) -> dict[int, Coverage]:
    """S4.4: the coverage of each union among ``union_ids``; counts only, no names (the upper union's
    view of records of workers in difficulty). Three queries, whatever the number of unions and
    contacts: the unions, the cadences, the contacts with their last log (one row per contact)."""
    unions = list(Union.objects.filter(pk__in=list(union_ids)).values_list("pk", "parent_id", "time_zone"))
    if not unions:
        return {}
    cadences = _cadences([(pk, parent) for pk, parent, _tz in unions])
    todays: dict = {}
    today_of = {pk: _today(tz, on, todays) for pk, _parent, tz in unions}
    counts = {pk: [0, 0, 0, 0] for pk in today_of}
    rows = _annotated(Contact.objects.filter(union_id__in=list(today_of)), on).values_list(
        "union_id", "kind", "assigned_on", "last_contacted", "open_follow_up_due"
    )
    for union_id, kind, assigned_on, last, open_due in rows:
        state = contact_state(
            kind=kind,
            assigned_on=assigned_on,
            last_contacted=last,
            open_follow_up_due=open_due,
            cadence=cadences[union_id],
            today=today_of[union_id],
        )
        tally = counts[union_id]
        tally[0] += 1
        tally[1] += state.status == Status.CONTACTED
        tally[2] += state.overdue
        tally[3] += state.follow_up_late
    return {pk: Coverage(pk, *tally) for pk, tally in counts.items()}


# --- the daily sweep ----------------------------------------------------------------------------------


def contacts_missed(today: datetime.date) -> list[Contact]:
    """S4.4: contacts whose member missed a whole period, kept by a member still on a committee. Those
    logged in the last 28 days cannot have (the previous period began at least a month ago)."""
    seated = Seat.objects.in_force(today).filter(
        union_id=OuterRef("union_id"), person_id=OuterRef("member_id"), body__kind__in=COMMITTEES
    )
    contacts = (
        _annotated(_contacts().filter(Exists(seated)))
        .filter(Q(last_contacted__isnull=True) | Q(last_contacted__lt=today - SHORTEST_MONTH))
        .filter(assigned_on__lt=today)
    )
    return [c for c in with_states(list(contacts), on=today) if c.state.status == Status.OVERDUE]


def follow_ups_late(today: datetime.date) -> QuerySet[ContactLog]:
    """Open follow-ups past their due date, of contacts still assigned."""
    return ContactLog.objects.filter(
        follow_up_closed_on__isnull=True, follow_up_due__lt=today, contact__ended_on__isnull=True
    ).select_related("contact", "contact__contact_union")


# --- S2.2: opinions from below for next year's plan -------------------------------------------------------


@dataclass(frozen=True)
class PlanOpinion:
    """An opinion raised in a contact and carried into the plan, with its source. A record of a worker
    in difficulty is cited by its kind, never by name (the plan's readers are not its readers)."""

    log_id: int
    raised: str
    contacted_on: datetime.date
    way: str
    source: str
    kind: str
    member: str


def opinions_for_plan(union: Union, year: int) -> list[PlanOpinion]:
    """S2.2: the opinions raised in the union's contacts in ``year - 1`` and carried into ``year``'s
    plan, oldest first. One query."""
    logs = (
        ContactLog.objects.filter(contact__union=union, for_plan=True, plan_year=year)
        .select_related("contact__contact_union", "contact__member")
        .order_by("contacted_on", "id")
    )
    found = []
    for log in logs:
        contact = log.contact
        source = "" if contact.is_difficulty else contact.display_name
        found.append(
            PlanOpinion(
                log_id=log.pk,
                raised=log.raised,
                contacted_on=log.contacted_on,
                way=str(log.get_way_display()),
                source=source,
                kind=str(contact.get_kind_display()),
                member=str(contact.member),
            )
        )
    return found
