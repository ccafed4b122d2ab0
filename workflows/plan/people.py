"""The annual plan's people picker (task owners), for the search endpoint (core.views_people): only the
drafter at the drafting step, as on the edit page, is offered the people of the plan's union. Found
by core.people's autodiscovery."""

from __future__ import annotations

from core.http import refuse
from core.people import PeopleScope, register_scope

from .selectors import plan_owner_scope
from .views import _editable, plan_for_viewer


def plan_owner(request, ref: str) -> PeopleScope:
    if not ref.isdigit() or len(ref) > 18:
        refuse(request, union=None, reason="no such plan")
    plan, _access = plan_for_viewer(request, int(ref))
    _editable(request, plan)
    return plan_owner_scope(plan=plan)


register_scope("plan_owner", plan_owner)
