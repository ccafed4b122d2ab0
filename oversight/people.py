"""The reassign page's people picker, for the search endpoint (core.views_people): the viewer must be
allowed to reassign the stuck task ``ref`` (the union's chair or a supervisor above, as the page
checks), and is offered the seat holders of its body. Found by core.people's autodiscovery."""

from __future__ import annotations

from core.http import refuse
from core.people import PeopleScope, register_scope
from oversight.services import may_reassign
from oversight.views.actions import _item_in_scope, reassign_scope


def reassign(request, ref: str) -> PeopleScope:
    if not ref.isdigit() or len(ref) > 18:
        refuse(request, union=None, reason="no such task")
    item, _scope = _item_in_scope(request, int(ref))
    if not may_reassign(user=request.user, union=item.union) or item.body_id is None:
        refuse(request, union=item.union, reason="reassign not allowed", status=403)
    return reassign_scope(item)


register_scope("reassign", reassign)
