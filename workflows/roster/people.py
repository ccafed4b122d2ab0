"""The roster's people picker, for the search endpoint (core.views_people): only those who may change
the roster are offered the people of the union. Found by core.people's autodiscovery."""

from __future__ import annotations

from core.http import refuse, union_for_viewer
from core.people import PeopleScope, register_scope

from .forms import PICKER, roster_person_scope


def roster_person(request, ref: str) -> PeopleScope:
    if not ref.isdigit() or len(ref) > 18:
        refuse(request, union=None, reason="no such union")
    union, access = union_for_viewer(request, int(ref))
    if not access.can_manage_seats:
        refuse(request, union=union, reason="may not change the roster", status=403)
    return roster_person_scope(union=union)


register_scope(PICKER, roster_person)
