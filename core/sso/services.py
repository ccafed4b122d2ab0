"""The people sync from the organ's HR/OA export (issue 31; the format: core.sso.export_format).

``people_sync`` checks every row first and changes nothing while any row has a problem (all or nothing,
as workflows.members.imports): each problem comes back with its row. Then, per row:

* a person new to Wuyi is created with no seat and no right, and no password (they sign in through the
  organ's provider); the username is derived from the employee number and never shown;
* a person already in Wuyi — found by employee number, or else, for people who have none yet, by e-mail
  or phone — gets the file's name, phone, e-mail, home union and platform ids where they differ (an
  empty cell keeps what Wuyi holds);
* a person who left (status ``left``) has each seat in force ended through core.services.seats.seat_end
  as at the end of a term — the last day yesterday, so the body is seen empty today and the person's
  claimed tasks go back to the body's queue (workflows' handover on core's permissions_revoked) — and is
  deactivated, which takes every right away at once.

People missing from the file are left alone (local accounts, members of the members' pages). A person
active in the file but disabled in Wuyi is only listed: re-enabling is the administrator's decision.
A dry run finds the same and writes nothing but its SyncRun; an applied run writes an event per person
and one for the run (``people_synced``).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from core.models import Seat, Union, User
from core.services.events import event_record, events_collected
from core.services.seats import seat_end

from . import errors
from .export_format import SyncRow
from .fields import email_ok, normalize_phone, phone_ok
from .models import SyncRun

LIMITS = {
    "employee_number": 40,
    "full_name": 100,
    "phone": 30,
    "email": 254,
    "wecom_userid": 64,
    "dingtalk_userid": 64,
}
# the person's fields the file sets (department_code sets home_union)
SYNCED = ("full_name", "phone", "email", "wecom_userid", "dingtalk_userid")


@dataclass
class PersonChange:
    row: int
    employee_number: str
    name: str
    person_id: int | None = None
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field, before, after)
    seats: int = 0


@dataclass
class SyncReport:
    rows: int = 0
    dry_run: bool = True
    created: list[PersonChange] = field(default_factory=list)
    updated: list[PersonChange] = field(default_factory=list)
    deactivated: list[PersonChange] = field(default_factory=list)
    disabled_in_wuyi: list[PersonChange] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    run: SyncRun | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def applied(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def seats_ended(self) -> int:
        return sum(p.seats for p in self.deactivated)


@dataclass
class _Plan:
    """What the rows mean against Wuyi's people: the person of each row (None: new), and the unions."""

    people: dict[int, User]
    unions: dict[str, Union]
    seats: dict[int, list[Seat]]


# --- checking ------------------------------------------------------------------------------------------


def _check_row(r: SyncRow, first_row: dict[str, int]) -> None:
    r.problems = []
    if not r.employee_number:
        r.problem(errors.NUMBER_MISSING)
    elif r.employee_number in first_row:
        r.problem(errors.NUMBER_TWICE, number=r.employee_number, first=first_row[r.employee_number])
    else:
        first_row[r.employee_number] = r.row
    if r.phone:
        r.phone = normalize_phone(r.phone)
        if not phone_ok(r.phone):
            r.problem(errors.BAD_PHONE, value=r.phone)
    if r.email and not email_ok(r.email):
        r.problem(errors.BAD_EMAIL, value=r.email)
    if r.status not in ("", "active", "left"):
        r.problem(errors.BAD_STATUS, value=r.status)
    for column, limit in LIMITS.items():
        if len(getattr(r, column)) > limit:
            r.problem(errors.TOO_LONG, column=column, limit=limit)


def _by_number(rows: list[SyncRow], lock: bool) -> dict[str, User]:
    people = User.objects.filter(
        employee_number__in=[r.employee_number for r in rows if r.employee_number]
    ).select_related("home_union")
    if lock:
        people = people.select_for_update(of=("self",))
    found: dict[str, User] = {}
    for person in people.order_by("pk"):
        found.setdefault(person.employee_number, person)
    return found


def _without_number(rows: list[SyncRow], lock: bool) -> tuple[dict[str, list[User]], dict[str, list[User]]]:
    """People with no employee number yet, by lower-cased e-mail and by phone, among the rows' values."""
    emails = {r.email.lower() for r in rows if r.email}
    phones = {r.phone for r in rows if r.phone}
    if not emails and not phones:
        return {}, {}
    people = (
        User.objects.filter(employee_number="")
        .annotate(email_lower=Lower("email"))
        .filter(Q(email_lower__in=emails) | Q(phone__in=phones))
        .select_related("home_union")
    )
    if lock:
        people = people.select_for_update(of=("self",))
    by_email: dict[str, list[User]] = {}
    by_phone: dict[str, list[User]] = {}
    for person in people.order_by("pk"):
        if person.email_lower in emails:
            by_email.setdefault(person.email_lower, []).append(person)
        if person.phone in phones:
            by_phone.setdefault(person.phone, []).append(person)
    return by_email, by_phone


def _match(r: SyncRow, numbered: dict[str, User], by_email, by_phone) -> User | None:
    if r.employee_number in numbered:
        return numbered[r.employee_number]
    for name, key, index in (("email", r.email.lower(), by_email), ("phone", r.phone, by_phone)):
        candidates = index.get(key, []) if key else []
        if len(candidates) > 1:
            r.problem(errors.SEVERAL_WITHOUT_NUMBER, field=_label(name), value=key)
            return None
        if candidates:
            return candidates[0]
    return None


def _plan(rows: list[SyncRow], *, lock: bool) -> _Plan:
    """Check every row (filling its problems) and find its person, union and seats. Four queries."""
    first_row: dict[str, int] = {}
    for r in rows:
        _check_row(r, first_row)
    numbered = _by_number(rows, lock)
    by_email, by_phone = _without_number(rows, lock)
    codes = {r.department_code for r in rows if r.department_code}
    unions = {u.code: u for u in Union.objects.filter(code__in=codes)} if codes else {}
    people: dict[int, User] = {}
    for r in rows:
        if r.department_code and r.department_code not in unions:
            r.problem(errors.UNKNOWN_DEPARTMENT, value=r.department_code)
        person = _match(r, numbered, by_email, by_phone) if r.employee_number else None
        if person is not None:
            people[r.row] = person
        elif r.status != "left" and not r.full_name:
            r.problem(errors.NAME_MISSING)
    leaving = [p.pk for r in rows if r.status == "left" and (p := people.get(r.row)) and p.is_active]
    seats: dict[int, list[Seat]] = {}
    for seat in (
        Seat.objects.in_force().filter(person_id__in=leaving).select_related("union", "body", "person")
    ):
        seats.setdefault(seat.person_id, []).append(seat)
    return _Plan(people=people, unions=unions, seats=seats)


# --- what changes --------------------------------------------------------------------------------------


def _wanted(r: SyncRow, plan: _Plan) -> dict[str, object]:
    """The person's fields as the row sets them (empty cells set nothing)."""
    values: dict[str, object] = {name: getattr(r, name) for name in SYNCED if getattr(r, name)}
    values["employee_number"] = r.employee_number
    if r.department_code:
        values["home_union"] = plan.unions[r.department_code]
    return values


def _differences(person: User, values: dict[str, object]) -> list[tuple[str, str, str]]:
    changes = []
    for name, value in values.items():
        before = getattr(person, name)
        if before != value:
            changes.append((name, "" if before is None else str(before), str(value)))
    return changes


def _label(name: str) -> str:
    return str(User._meta.get_field(name).verbose_name)


def _report(rows: list[SyncRow], plan: _Plan, report: SyncReport) -> None:
    for r in rows:
        person = plan.people.get(r.row)
        line = PersonChange(row=r.row, employee_number=r.employee_number, name=r.full_name)
        if person is None:
            if r.status == "left":
                report.unchanged += 1  # left, and never in Wuyi: nothing to do
            else:
                report.created.append(line)
            continue
        line.person_id, line.name = person.pk, person.full_name or r.full_name
        if r.status == "left":
            if person.is_active:
                line.seats = len(plan.seats.get(person.pk, []))
                report.deactivated.append(line)
            else:
                report.unchanged += 1
            continue
        line.changes = [(_label(n), b, a) for n, b, a in _differences(person, _wanted(r, plan))]
        if not person.is_active:
            report.disabled_in_wuyi.append(line)
        if line.changes:
            report.updated.append(line)
        elif person.is_active:
            report.unchanged += 1


# --- writing -------------------------------------------------------------------------------------------

_USERNAME_SAFE = re.compile(r"^[A-Za-z0-9.@+_-]+$")


def _username(number: str, taken: set[str]) -> str:
    base = (
        f"emp-{number.lower()}"
        if _USERNAME_SAFE.match(number)
        else ("emp-" + hashlib.sha256(number.encode()).hexdigest()[:16])
    )
    candidate, n = base[:140], 1
    while candidate in taken or User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base[:140]}-{n}"
    taken.add(candidate)
    return candidate


def _create(r: SyncRow, plan: _Plan, actor, taken: set[str]) -> User:
    person = User(username=_username(r.employee_number, taken), **_wanted(r, plan))
    person.set_unusable_password()
    person.full_clean()
    person.save()
    event_record(verb="person_synced", actor=actor, subject=person, to_state="created", detail={"row": r.row})
    return person


def _update(person: User, r: SyncRow, plan: _Plan, actor) -> None:
    values = _wanted(r, plan)
    changed = [name for name, _before, _after in _differences(person, values)]
    for name in changed:
        setattr(person, name, values[name])
    # only what the file changes is checked: a legacy value elsewhere on the person is not the file's
    person.full_clean(
        exclude=[f.name for f in User._meta.fields if f.name not in changed], validate_unique=False
    )
    person.save(update_fields=changed)
    event_record(
        verb="person_synced", actor=actor, subject=person, to_state="updated", detail={"fields": changed}
    )


def _leave(person: User, seats: list[Seat], actor, today: datetime.date) -> list[str]:
    """End the person's seats in force as at a term's end, then deactivate them. Problems, if any."""
    problems = []
    for seat in seats:
        seat.person = person  # the locked row, still active while its seats end
        try:
            seat_end(
                actor=actor, seat=seat, end_date=max(seat.start_date, today - datetime.timedelta(days=1))
            )
        except ValidationError as exc:
            problems.append(
                str(
                    errors.SEAT_CANNOT_END
                    % {"person": person, "seat": seat, "problem": " ".join(exc.messages)}
                )
            )
    person.is_active = False
    person.save(update_fields=["is_active"])
    event_record(
        verb="person_synced",
        actor=actor,
        subject=person,
        from_state="active",
        to_state="left",
        detail={"seats_ended": len(seats)},
    )
    return problems


def _apply(rows: list[SyncRow], plan: _Plan, actor, report: SyncReport) -> None:
    today = timezone.localdate()
    taken: set[str] = set()
    for r in rows:
        person = plan.people.get(r.row)
        if person is None:
            if r.status != "left":
                _create(r, plan, actor, taken)
        elif r.status == "left":
            if person.is_active:
                report.problems += _leave(person, plan.seats.get(person.pk, []), actor, today)
        elif _differences(person, _wanted(r, plan)):
            _update(person, r, plan, actor)


class _RolledBack(Exception):
    pass


def people_sync(rows: list[SyncRow], *, dry_run: bool, actor: User | None, file_name: str = "") -> SyncReport:
    """The rows against Wuyi's people, all or nothing (see the module's docstring)."""
    report = SyncReport(rows=len(rows), dry_run=dry_run)
    try:
        with transaction.atomic(), events_collected():
            plan = _plan(rows, lock=not dry_run)
            report.problems = [
                str(errors.ROW_PROBLEM % {"row": r.row, "problem": p}) for r in rows for p in r.problems
            ]
            _report(rows, plan, report)
            if report.ok and not dry_run:
                _apply(rows, plan, actor, report)
                if not report.ok:
                    raise _RolledBack
                report.run = _record(report, actor, file_name)
                event_record(
                    verb="people_synced", actor=actor, subject=report.run, detail=_counts(report, file_name)
                )
    except _RolledBack:
        pass
    if report.run is None:
        report.run = _record(report, actor, file_name)
    return report


def _counts(report: SyncReport, file_name: str) -> dict:
    return {
        "file": file_name,
        "rows": report.rows,
        "created": len(report.created),
        "updated": len(report.updated),
        "deactivated": len(report.deactivated),
        "seats_ended": report.seats_ended,
        "unchanged": report.unchanged,
    }


def _record(report: SyncReport, actor, file_name: str) -> SyncRun:
    counts = _counts(report, file_name)
    counts.pop("file")
    return SyncRun.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        file_name=file_name[:255],
        dry_run=report.dry_run,
        refused=not report.ok,
        problems=len(report.problems),
        **counts,
    )
