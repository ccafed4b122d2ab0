"""Writing the members' register (S5.3 membership): joining, changes, leaving, and the transfers between
unions; each in one transaction with its event, then the union's member count derived again.

The right is ``can_manage_seats`` (the union committee's chair and the office staff), as for the roster:
the register says who belongs to the union, as the seats say who holds its posts. A transfer is asked
by the union the member leaves and decided by the one they join (that union's managers).

Refusals are ValidationErrors keyed by field, so a form shows each beside what was typed."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import BodyKind, Role, Seat, Union, UnionKind, User
from core.selectors import union_access
from core.services.events import event_record
from notifications.models import Notification
from notifications.services import notifications_create_once

from . import errors
from .models import Member, Transfer, TransferStatus
from .selectors import REGISTER_KINDS

EDITABLE = ("name", "member_number", "group", "joined_on", "phone", "email", "person")


def union_today(union: Union) -> datetime.date:
    return timezone.localdate(timezone=union.tz)


def keeps_register(union: Union) -> bool:
    """A grassroots or department organ union keeps a register and may receive a transfer; a union
    group is a part of its union, and the provincial organs union's members are in the unions below."""
    return union.kind in REGISTER_KINDS and union.is_active


def assert_manager(actor: User, union: Union, message=errors.NOT_MANAGER) -> None:
    if not union_access(user=actor, union=union).can_manage_seats:
        raise PermissionDenied(message)


# --- the derived member count -----------------------------------------------------------------------


def member_count_refresh(union_ids: Iterable[int | None]) -> int:
    """S5.3: each union's member count becomes the number of its active members in the register (a
    union group's: the active members in that group), and is marked as coming from the register.
    One UPDATE with a correlated count, whatever the number of unions; returns the unions updated."""
    ids = sorted({pk for pk in union_ids if pk is not None})
    if not ids:
        return 0
    active = Member.objects.filter(left_on__isnull=True).filter(
        Q(union_id=OuterRef("pk")) | Q(group_id=OuterRef("pk"))
    )
    # COUNT over the correlated rows, not an aggregate of the outer query (no GROUP BY)
    count = active.order_by().values(n=Func(F("pk"), function="COUNT", output_field=IntegerField()))
    return Union.objects.filter(pk__in=ids).update(
        member_count=Coalesce(Subquery(count, output_field=IntegerField()), 0),
        member_count_from_register=True,
    )


# --- one member ---------------------------------------------------------------------------------------


def _add(problems: dict[str, list], field: str, message, **params) -> None:
    problems.setdefault(field, []).append(ValidationError(message, params=params or None))


def _number_problem(member: Member, problems: dict[str, list]) -> None:
    clash = (
        Member.objects.filter(member_number=member.member_number, left_on__isnull=True)
        .exclude(pk=member.pk)
        .select_related("union")
        .first()
    )
    if clash is None:
        return
    if clash.union_id == member.union_id:
        _add(
            problems, "member_number", errors.NUMBER_IN_REGISTER, number=clash.member_number, name=clash.name
        )
    else:
        _add(
            problems,
            "member_number",
            errors.NUMBER_ELSEWHERE,
            number=clash.member_number,
            union=clash.union.name,
        )


def _validate(member: Member, today: datetime.date) -> None:
    """S5.3: a member's own rules, each named beside its field."""
    problems: dict[str, list] = {}
    member.name = (member.name or "").strip()
    member.member_number = (member.member_number or "").strip()
    member.phone = (member.phone or "").strip()
    member.email = (member.email or "").strip()
    if not member.name:
        _add(problems, "name", errors.NAME_MISSING)
    if not member.member_number:
        _add(problems, "member_number", errors.NUMBER_MISSING)
    else:
        _number_problem(member, problems)
    if member.joined_on is None:
        _add(problems, "joined_on", errors.JOINED_MISSING)
    elif member.joined_on > today:
        _add(problems, "joined_on", errors.JOINED_IN_FUTURE)
    group = member.group if member.group_id else None
    if group is not None and not (
        group.kind == UnionKind.GROUP and group.parent_id == member.union_id and group.is_active
    ):
        _add(problems, "group", errors.GROUP_NOT_OURS, group=group.name)
    if member.person_id is not None:
        other = (
            Member.objects.filter(person_id=member.person_id, left_on__isnull=True)
            .exclude(pk=member.pk)
            .select_related("union")
            .first()
        )
        if other is not None:
            _add(
                problems,
                "person",
                errors.PERSON_MEMBER_ELSEWHERE,
                person=str(member.person),
                union=other.union.name,
            )
    if problems:
        raise ValidationError(problems)
    member.full_clean(validate_constraints=False)  # the constraints were checked above, in words


@transaction.atomic
def member_join(
    *,
    actor: User,
    union: Union,
    name: str,
    member_number: str,
    joined_on: datetime.date | None,
    group: Union | None = None,
    phone: str = "",
    email: str = "",
    person: User | None = None,
    today: datetime.date | None = None,
) -> Member:
    """S5.3: a person joins the union (入会) on ``joined_on`` with their member number."""
    if not keeps_register(union):
        raise ValidationError(errors.NO_REGISTER)
    assert_manager(actor, union)
    member = Member(
        union=union,
        name=name,
        member_number=member_number,
        joined_on=joined_on,
        group=group,
        phone=phone,
        email=email,
        person=person,
    )
    _validate(member, today or union_today(union))
    member.save()
    event_record(
        verb="member_joined",
        actor=actor,
        subject=member,
        union=union,
        detail={"member_number": member.member_number, "joined_on": member.joined_on.isoformat()},
    )
    member_count_refresh([union.pk, member.group_id])
    return member


def _locked(member: Member) -> Member:
    return Member.objects.select_for_update(of=("self",)).select_related("union", "group").get(pk=member.pk)


@transaction.atomic
def member_update(*, actor: User, member: Member, today: datetime.date | None = None, **fields) -> Member:
    """S5.3: change an active member's details or union group (``EDITABLE`` fields)."""
    assert_manager(actor, member.union)
    member = _locked(member)
    if member.left_on is not None:
        raise ValidationError(errors.ALREADY_LEFT)
    groups_before = member.group_id
    changed = []
    for name, value in fields.items():
        if name in EDITABLE and getattr(member, name) != value:
            setattr(member, name, value)
            changed.append(name)
    _validate(member, today or union_today(member.union))
    member.save()
    event_record(
        verb="member_changed", actor=actor, subject=member, union=member.union, detail={"fields": changed}
    )
    member_count_refresh([member.union_id, groups_before, member.group_id])
    return member


def _open_transfer(member: Member) -> Transfer | None:
    return Transfer.objects.filter(member=member, status=TransferStatus.REQUESTED).first()


@transaction.atomic
def member_leave(
    *, actor: User, member: Member, left_on: datetime.date, today: datetime.date | None = None
) -> Member:
    """S5.3: the member leaves the union (退会) on ``left_on``, today or a day already past; the row
    stays, so the register of a past day is still known."""
    assert_manager(actor, member.union)
    member = _locked(member)
    if member.left_on is not None:
        raise ValidationError(errors.ALREADY_LEFT)
    if _open_transfer(member) is not None:
        raise ValidationError(errors.TRANSFER_OPEN)
    if left_on > (today or union_today(member.union)):
        raise ValidationError({"left_on": errors.LEFT_IN_FUTURE})
    if left_on < member.joined_on:
        raise ValidationError({"left_on": errors.LEFT_BEFORE_JOINING})
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    event_record(
        verb="member_left",
        actor=actor,
        subject=member,
        union=member.union,
        detail={"member_number": member.member_number, "left_on": left_on.isoformat()},
    )
    member_count_refresh([member.union_id, member.group_id])
    return member


# --- transfers between unions -------------------------------------------------------------------------


def managers_of(union_ids: Iterable[int]) -> dict[int, list[int]]:
    """The people who manage each union's register today: its union committee's chair and its office
    staff (the seats that grant manage_union_seats)."""
    found: dict[int, list[int]] = {}
    rows = (
        Seat.objects.in_force()
        .filter(union_id__in=list(union_ids))
        .filter(
            Q(role=Role.OFFICE_STAFF, body__isnull=True)
            | Q(role=Role.CHAIR, body__kind=BodyKind.UNION_COMMITTEE)
        )
        .values_list("union_id", "person_id")
        .distinct()
    )
    for union_id, person_id in rows:
        found.setdefault(union_id, []).append(person_id)
    return found


def _tell(transfer: Transfer, *, people: Iterable[int], union: Union, title: str, occasion: str) -> None:
    """One notice per person and occasion (a retried request creates none twice)."""
    url = reverse("members:transfer", args=[transfer.pk])
    notifications_create_once(
        [
            Notification(
                recipient_id=person_id,
                union=union,
                title=title[:200],
                url=url,
                dedupe_key=f"member-transfer:{transfer.pk}:{occasion}",
            )
            for person_id in set(people)
        ]
    )


@transaction.atomic
def transfer_request(
    *,
    actor: User,
    member: Member,
    to_union: Union | None,
    note: str = "",
    today: datetime.date | None = None,
) -> Transfer:
    """S5.3: the member's union asks ``to_union`` to take the member (转会). Both unions see the
    transfer while it is open; it completes when the receiving union accepts."""
    assert_manager(actor, member.union)
    member = _locked(member)
    if member.left_on is not None:
        raise ValidationError(errors.ALREADY_LEFT)
    if _open_transfer(member) is not None:
        raise ValidationError(errors.TRANSFER_OPEN)
    if to_union is None or not keeps_register(to_union):
        raise ValidationError({"to_union": errors.TRANSFER_UNKNOWN_UNION})
    if to_union.pk == member.union_id:
        raise ValidationError({"to_union": errors.TRANSFER_SAME_UNION})
    transfer = Transfer(
        member=member,
        from_union=member.union,
        to_union=to_union,
        requested_on=today or union_today(member.union),
        requested_by=actor,
        note=(note or "").strip(),
    )
    transfer.full_clean(validate_constraints=False)
    transfer.save()
    event_record(
        verb="member_transfer_requested",
        actor=actor,
        subject=transfer,
        union=member.union,
        to_state=TransferStatus.REQUESTED,
        detail={"member_number": member.member_number, "to_union": to_union.pk},
    )
    title = _("%(union)s asks you to take %(name)s as a member by transfer") % {
        "union": member.union.name,
        "name": member.name,
    }
    _tell(
        transfer,
        people=managers_of([to_union.pk]).get(to_union.pk, []),
        union=to_union,
        title=title,
        occasion="requested",
    )
    member_count_refresh([member.union_id])
    return transfer


def _locked_open(transfer: Transfer, actor: User, *, receiving: bool) -> Transfer:
    """The transfer, locked, if ``actor`` manages the side that acts and it is still open."""
    transfer = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("member", "from_union", "to_union")
        .get(pk=transfer.pk)
    )
    if receiving:
        assert_manager(actor, transfer.to_union, errors.NOT_RECEIVING_MANAGER)
    else:
        assert_manager(actor, transfer.from_union)
    if transfer.status != TransferStatus.REQUESTED:
        raise ValidationError(errors.TRANSFER_NOT_OPEN)
    return transfer


def _decided(transfer: Transfer, actor: User, status: str, day: datetime.date) -> None:
    transfer.status = status
    transfer.decided_on = day
    transfer.decided_by = actor


@transaction.atomic
def transfer_accept(
    *, actor: User, transfer: Transfer, group: Union | None = None, today: datetime.date | None = None
) -> Transfer:
    """S5.3: the receiving union takes the member: the old row ends on the day of acceptance and a new
    row of the receiving union starts that day (same member number, in ``group`` if given)."""
    transfer = _locked_open(transfer, actor, receiving=True)
    day = today or union_today(transfer.to_union)
    old = _locked(transfer.member)
    if day < old.joined_on:
        raise ValidationError(errors.LEFT_BEFORE_JOINING)
    # the old row ends first: a member number is active in one union at a time
    old.left_on = day
    old.save(update_fields=["left_on"])
    new = Member(
        union=transfer.to_union,
        group=group,
        person=old.person,
        name=old.name,
        member_number=old.member_number,
        joined_on=day,
        phone=old.phone,
        email=old.email,
    )
    _validate(new, day)
    new.save()
    _decided(transfer, actor, TransferStatus.ACCEPTED, day)
    transfer.new_member = new
    transfer.save()
    detail = {"member_number": new.member_number, "on": day.isoformat()}
    event_record(
        verb="member_transfer_accepted",
        actor=actor,
        subject=transfer,
        union=transfer.to_union,
        from_state=TransferStatus.REQUESTED,
        to_state=TransferStatus.ACCEPTED,
        detail={**detail, "from_union": transfer.from_union_id},
    )
    event_record(
        verb="member_transferred_out",
        actor=actor,
        subject=old,
        union=transfer.from_union,
        detail={**detail, "to_union": transfer.to_union_id},
    )
    title = _("%(union)s accepted the transfer of %(name)s") % {
        "union": transfer.to_union.name,
        "name": old.name,
    }
    _tell(
        transfer,
        people=[transfer.requested_by_id],
        union=transfer.from_union,
        title=title,
        occasion="decided",
    )
    member_count_refresh([transfer.from_union_id, transfer.to_union_id, old.group_id, new.group_id])
    return transfer


@transaction.atomic
def transfer_refuse(
    *, actor: User, transfer: Transfer, reason: str, today: datetime.date | None = None
) -> Transfer:
    """S5.3: the receiving union refuses, saying why; the member stays where they are."""
    transfer = _locked_open(transfer, actor, receiving=True)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": errors.REFUSAL_REASON})
    _decided(transfer, actor, TransferStatus.REFUSED, today or union_today(transfer.to_union))
    transfer.decision_note = reason
    transfer.full_clean(validate_constraints=False)
    transfer.save()
    event_record(
        verb="member_transfer_refused",
        actor=actor,
        subject=transfer,
        union=transfer.to_union,
        from_state=TransferStatus.REQUESTED,
        to_state=TransferStatus.REFUSED,
        detail={"member_number": transfer.member.member_number, "from_union": transfer.from_union_id},
    )
    title = _("%(union)s refused the transfer of %(name)s") % {
        "union": transfer.to_union.name,
        "name": transfer.member.name,
    }
    _tell(
        transfer,
        people=[transfer.requested_by_id],
        union=transfer.from_union,
        title=title,
        occasion="decided",
    )
    member_count_refresh([transfer.from_union_id])
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: User, transfer: Transfer, today: datetime.date | None = None) -> Transfer:
    """S5.3: the sending union withdraws its request before the receiving union decides."""
    transfer = _locked_open(transfer, actor, receiving=False)
    _decided(transfer, actor, TransferStatus.CANCELLED, today or union_today(transfer.from_union))
    transfer.save()
    event_record(
        verb="member_transfer_cancelled",
        actor=actor,
        subject=transfer,
        union=transfer.from_union,
        from_state=TransferStatus.REQUESTED,
        to_state=TransferStatus.CANCELLED,
        detail={"member_number": transfer.member.member_number, "to_union": transfer.to_union_id},
    )
    member_count_refresh([transfer.from_union_id])
    return transfer
