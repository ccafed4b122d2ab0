"""Who may open the members' register's pages (S5.3 membership): the union's chair and office staff
manage it (union_access(...).can_manage_seats, as the roster); the supervisors above — and a supervisor
seated in the union itself — read it. Anyone who may not see the union gets 404; those who see it but
not its register (its other officers, its representatives) or may not change it get 403 (core.http.refuse
logs both). A union that keeps no register (a union group, the provincial organs union) has no page."""

from __future__ import annotations

from django.http import Http404

from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess, union_access

from .models import Member, Transfer
from .selectors import REGISTER_KINDS, transfer_with_unions

NOT_VISIBLE = "the members' register is for its managers and the supervisors above"
NOT_MANAGER = "only the union's chair and office staff change the members' register"


def may_read(access: UnionAccess) -> bool:
    return access.can_manage_seats or access.supervised or access.is_supervisor_here


def register_union(request, union_pk: int, *, manage: bool = False):
    """(union, access) for a register page of the union; refuses as the module says."""
    union, access = union_for_viewer(request, union_pk)
    if not may_read(access):
        refuse(request, union=union, reason=NOT_VISIBLE, status=403)
    if manage and not access.can_manage_seats:
        refuse(request, union=union, reason=NOT_MANAGER, status=403)
    if union.kind not in REGISTER_KINDS:
        raise Http404
    return union, access


def managed_member(request, pk: int) -> Member:
    """A member of a union whose register the user manages (``member.union`` is the union read)."""
    member = Member.objects.filter(pk=pk).select_related("group").first()
    if member is None:
        raise Http404
    member.union, _access = register_union(request, member.union_id, manage=True)
    return member


def viewed_transfer(request, pk: int) -> tuple[Transfer, UnionAccess, UnionAccess]:
    """A transfer either of whose unions' registers the user may read, with the user's access to the
    sending and the receiving union."""
    transfer = transfer_with_unions(pk)
    if transfer is None:
        raise Http404
    sending = union_access(user=request.user, union=transfer.from_union)
    receiving = union_access(user=request.user, union=transfer.to_union)
    if not (may_read(sending) or may_read(receiving)):
        seen = sending.can_view or receiving.can_view
        refuse(request, union=transfer.from_union, reason=NOT_VISIBLE, status=403 if seen else 404)
    return transfer, sending, receiving
