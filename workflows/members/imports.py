"""Importing the members' register from rows read out of a workbook (S5.3 membership): all or nothing.

``members_import`` checks every row first — a name and a member number, a member number once in the
file and not active in another union (the message names that union), a union group of this union, a
date of joining that is a date and not in the future, an e-mail address that is one — and writes
nothing while any row has a problem: the rows come back with their problems (``MembersImportError``).

A member number already active in this union updates that member (name, group, date of joining, phone,
e-mail): an exported register, corrected and uploaded again, changes what was changed. Members missing
from the file are left as they are: leaving is a decision of its own (``member_leave``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from core.models import Union, UnionKind, User
from core.services.events import event_record

from . import errors
from .models import Member
from .services import assert_manager, keeps_register, member_count_refresh, union_today

# The sheet's columns in its own words (Chinese whatever the reader's language: the file goes to the
# union's files); the export writes them, the import finds its columns by them.
COLUMN_HEADERS = {
    "member_number": "会员编号",
    "name": "姓名",
    "group_name": "工会小组",
    "joined_on": "入会日期",
    "phone": "联系电话",
    "email": "电子邮箱",
}
# what a row may hold, as the model's columns allow
LIMITS = {"name": 100, "member_number": 30, "phone": 30, "email": 254}
UPDATED = ("name", "group_id", "joined_on", "phone", "email")


@dataclass
class ImportRow:
    """One row of the file as read: the values, the date as typed (``joined_on`` stays None when it is
    no date), and the row's problems once checked."""

    row: int
    member_number: str = ""
    name: str = ""
    group_name: str = ""
    joined_on: datetime.date | None = None
    joined_text: str = ""
    phone: str = ""
    email: str = ""
    problems: list[str] = field(default_factory=list)

    def problem(self, message, **params) -> None:
        text = str(message % params) if params else str(message)
        self.problems.append(text)


class MembersImportError(ValidationError):
    """A file that cannot be imported: its own problems (``errors``, e.g. not a workbook) or the rows
    read with their problems (``rows``: every row, so the page can show the file's data beside them)."""

    def __init__(self, errors_: list[str] | None = None, *, rows: list[ImportRow] | None = None):
        self.errors = [str(e) for e in errors_ or []]
        self.rows = rows or []
        lines = self.errors + [
            str(errors.ROW_PROBLEM % {"row": r.row, "problem": p}) for r in self.rows for p in r.problems
        ]
        super().__init__(lines)

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.problems]


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


def _check_rows(union: Union, rows: list[ImportRow], today: datetime.date) -> dict[str, Union]:
    """Fill each row's problems (afresh); return the union's groups by name. Two queries."""
    groups = {
        g.name.strip(): g
        for g in Union.objects.filter(parent=union, kind=UnionKind.GROUP, is_active=True).order_by("id")
    }
    numbers = {r.member_number for r in rows if r.member_number}
    elsewhere = dict(
        Member.objects.filter(member_number__in=numbers, left_on__isnull=True)
        .exclude(union=union)
        .values_list("member_number", "union__name")
    )
    first_row: dict[str, int] = {}
    for r in rows:
        r.problems = []
        _check_one(r, groups=groups, elsewhere=elsewhere, first_row=first_row, today=today)
    return groups


def _check_one(r: ImportRow, *, groups, elsewhere, first_row, today) -> None:
    for column, label in (
        ("name", errors.IMPORT_NAME_MISSING),
        ("member_number", errors.IMPORT_NUMBER_MISSING),
    ):
        if not getattr(r, column):
            r.problem(label)
    for column, limit in LIMITS.items():
        if len(getattr(r, column)) > limit:
            r.problem(errors.IMPORT_TOO_LONG, column=COLUMN_HEADERS[column], limit=limit)
    if r.member_number:
        if r.member_number in first_row:
            r.problem(errors.IMPORT_NUMBER_TWICE, number=r.member_number, first=first_row[r.member_number])
        else:
            first_row[r.member_number] = r.row
        if r.member_number in elsewhere:
            r.problem(
                errors.IMPORT_NUMBER_ELSEWHERE, number=r.member_number, union=elsewhere[r.member_number]
            )
    if r.group_name and r.group_name not in groups:
        r.problem(errors.IMPORT_GROUP_NOT_OURS, group=r.group_name)
    if r.joined_on is None and not r.joined_text:
        r.problem(errors.IMPORT_JOINED_MISSING)
    elif r.joined_on is None:
        r.problem(errors.IMPORT_JOINED_BAD, value=r.joined_text)
    elif r.joined_on > today:
        r.problem(errors.IMPORT_JOINED_IN_FUTURE, date=r.joined_on.isoformat())
    if r.email:
        try:
            validate_email(r.email)
        except ValidationError:
            r.problem(errors.IMPORT_EMAIL_BAD, value=r.email)


def _write(union: Union, rows: list[ImportRow], groups: dict[str, Union]) -> tuple[ImportResult, set]:
    existing = {
        m.member_number: m
        for m in Member.objects.select_for_update().filter(
            union=union, left_on__isnull=True, member_number__in=[r.member_number for r in rows]
        )
    }
    touched_groups: set[int | None] = set()
    new, changed = [], []
    for r in rows:
        group = groups.get(r.group_name) if r.group_name else None
        values = {
            "name": r.name,
            "group_id": group.pk if group else None,
            "joined_on": r.joined_on,
            "phone": r.phone,
            "email": r.email,
        }
        member = existing.get(r.member_number)
        if member is None:
            new.append(Member(union=union, member_number=r.member_number, **values))
            touched_groups.add(values["group_id"])
        elif any(getattr(member, k) != v for k, v in values.items()):
            touched_groups.update({member.group_id, values["group_id"]})
            for k, v in values.items():
                setattr(member, k, v)
            changed.append(member)
    Member.objects.bulk_create(new)
    Member.objects.bulk_update(changed, UPDATED)
    return ImportResult(len(new), len(changed), len(rows) - len(new) - len(changed)), touched_groups


def members_import(
    *, actor: User, union: Union, rows: list[ImportRow], today: datetime.date | None = None
) -> ImportResult:
    """S5.3: the rows into the union's register, all or none (see the module's docstring). Refused
    with MembersImportError carrying every row and its problems; the count is derived afterwards."""
    if not keeps_register(union):
        raise ValidationError(errors.NO_REGISTER)
    assert_manager(actor, union)
    if not rows:
        raise MembersImportError([str(errors.NO_ROWS)])
    try:
        with transaction.atomic():
            groups = _check_rows(union, rows, today or union_today(union))
            if any(r.problems for r in rows):
                raise MembersImportError(rows=rows)
            result, touched = _write(union, rows, groups)
            event_record(
                verb="members_imported",
                actor=actor,
                union=union,
                detail={"added": result.added, "updated": result.updated, "rows": len(rows)},
            )
            member_count_refresh([union.pk, *touched])
    except IntegrityError:
        # another union took one of the numbers since the check: nothing was written; check again
        raise _recheck(union, rows, today) from None
    return result


def _recheck(union: Union, rows: list[ImportRow], today: datetime.date | None) -> MembersImportError:
    _check_rows(union, rows, today or union_today(union))
    if any(r.problems for r in rows):
        return MembersImportError(rows=rows)
    return MembersImportError([str(errors.CHANGED_MEANWHILE)], rows=rows)
