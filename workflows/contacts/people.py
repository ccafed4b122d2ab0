"""The contact pages' people pickers, for the search endpoint (core.views_people), each asked about a
union: its committee members for those who assign contacts, its people for the chair naming readers of
the records of workers in difficulty and for an officer naming a follow-up's owner. Found by
core.people's autodiscovery."""

from __future__ import annotations

from core.http import refuse, union_for_viewer
from core.people import PeopleScope, register_scope

from . import selectors
from .forms import MEMBER_PICKER, OWNER_PICKER, VIEWER_PICKER, member_scope, union_people_scope


def _union(request, ref: str):
    if not ref.isdigit() or len(ref) > 18:
        refuse(request, union=None, reason="no such union")
    return union_for_viewer(request, int(ref))


def contacts_member(request, ref: str) -> PeopleScope:
    union, access = _union(request, ref)
    if not access.can_manage_seats:
        refuse(request, union=union, reason="may not assign contacts", status=403)
    return member_scope(union=union)


def contacts_viewer(request, ref: str) -> PeopleScope:
    union, _access = _union(request, ref)
    if not selectors.is_chair(request.user, union):
        refuse(request, union=union, reason="only the chair names readers", status=403)
    return union_people_scope(union=union)


def contacts_owner(request, ref: str) -> PeopleScope:
    union, access = _union(request, ref)
    if not access.is_officer:
        refuse(request, union=union, reason="may not log contacts", status=403)
    return union_people_scope(union=union)


register_scope(MEMBER_PICKER, contacts_member)
register_scope(VIEWER_PICKER, contacts_viewer)
register_scope(OWNER_PICKER, contacts_owner)
