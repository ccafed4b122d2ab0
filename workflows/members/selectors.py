"""Reading the members' register (S5.3 membership): a union's active members, counts for many unions
at once, the membership rate, the signed-in person's own membership, the register page's figures and
the open transfers."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from core.models import Union, UnionKind

from .models import Member, Transfer, TransferStatus

# the unions that keep a register (services.keeps_register)
REGISTER_KINDS = (UnionKind.GRASSROOTS, UnionKind.DEPARTMENT)


def active_members(union: Union) -> QuerySet[Member]:
    """The union's members today (those who left or moved away are kept, not listed), by number."""
    return (
        Member.objects.filter(union=union, left_on__isnull=True)
        .select_related("group")
        .order_by("member_number", "id")
    )


def active_count(union_ids: Iterable[int]) -> dict[int, int]:
    """{union id: active members} for each of ``union_ids`` (a union group: the active members in it);
    0 for a union without any. One query."""
    ids = list(union_ids)
    counts = dict.fromkeys(ids, 0)
    rows = (
        Member.objects.filter(left_on__isnull=True)
        .filter(Q(union_id__in=ids) | Q(group_id__in=ids))
        .values_list("union_id", "group_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for union_id, group_id, n in rows:
        for pk in (union_id, group_id):
            if pk in counts:
                counts[pk] += n
    return counts


def membership_rate(union: Union) -> float | None:
    """S5.3 (and the Model Workers' Home's "membership rate ≥ 90 %", S5.1): the union's member count
    over the organ's workers (``Union.worker_count``, as the union gives it), a fraction; None while
    the workers are not given. The count is the register's once it comes from it, else the typed one."""
    return union.member_count / union.worker_count if union.worker_count else None


def member_of(user) -> Member | None:
    """The signed-in person's active membership (the members' pages, S5.4), or None: a person has at
    most one (the services refuse a second)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Member.objects.filter(person_id=user.pk, left_on__isnull=True)
        .select_related("union", "group")
        .order_by("-joined_on", "-id")
        .first()
    )


def members_of_register(union: Union, *, q: str = "", left: bool = False) -> QuerySet[Member]:
    """The register page's list: the active members (or those who left), by name or number typed."""
    rows = Member.objects.filter(union=union, left_on__isnull=not left).select_related("group")
    q = q.strip()
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(member_number__icontains=q))
    order = ("-left_on", "member_number", "id") if left else ("member_number", "id")
    return rows.order_by(*order)


@dataclass(frozen=True)
class RegisterFigures:
    active: int
    in_groups: int
    joined_this_year: int
    left_this_year: int
    ever: int


def register_figures(union: Union, today: datetime.date) -> RegisterFigures:
    """The register page's counts. One query."""
    start = today.replace(month=1, day=1)
    active = Q(left_on__isnull=True)
    figures = Member.objects.filter(union=union).aggregate(
        active=Count("id", filter=active),
        in_groups=Count("id", filter=active & Q(group__isnull=False)),
        joined=Count("id", filter=Q(joined_on__gte=start)),
        left=Count("id", filter=Q(left_on__gte=start)),
        ever=Count("id"),
    )
    return RegisterFigures(
        active=figures["active"],
        in_groups=figures["in_groups"],
        joined_this_year=figures["joined"],
        left_this_year=figures["left"],
        ever=figures["ever"],
    )


def open_transfers(union: Union) -> tuple[list[Transfer], list[Transfer]]:
    """(incoming, outgoing): the transfers awaiting a decision that the union receives or sent. One
    query."""
    rows = (
        Transfer.objects.filter(status=TransferStatus.REQUESTED)
        .filter(Q(to_union=union) | Q(from_union=union))
        .select_related("member", "from_union", "to_union")
        .order_by("requested_on", "id")
    )
    incoming, outgoing = [], []
    for transfer in rows:
        (incoming if transfer.to_union_id == union.pk else outgoing).append(transfer)
    return incoming, outgoing


def receiving_unions(union: Union) -> QuerySet[Union]:
    """Where a member of ``union`` may be transferred: every other active grassroots or department
    organ union, by upper-level union and name (the transfer form's list)."""
    return (
        Union.objects.filter(is_active=True, kind__in=REGISTER_KINDS)
        .exclude(pk=union.pk)
        .select_related("parent")
        .order_by("parent__name", "parent_id", "kind", "name", "id")
    )


def groups_of(union: Union) -> QuerySet[Union]:
    """The union's active union groups (a member's group is one of them)."""
    return Union.objects.filter(parent=union, kind=UnionKind.GROUP, is_active=True).order_by("name", "id")


def transfer_with_unions(pk: int) -> Transfer | None:
    return (
        Transfer.objects.filter(pk=pk)
        .select_related(
            "member", "member__group", "from_union", "to_union", "new_member", "requested_by", "decided_by"
        )
        .first()
    )


def transfers_of_member(member: Member) -> list[Transfer]:
    return list(member.transfers.select_related("to_union").order_by("-requested_on", "-id"))
