"""The home page: the workbench (工作台). Thin: each section comes from workbench.selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core.models import BodyKind
from core.selectors import seats_of_person
from oversight.selectors.scope import oversight_scope
from workbench import selectors
from workflows.forecast import documents_at_risk


@login_required
def home(request):
    user = request.user
    today = timezone.localdate()
    now = timezone.now()
    seats = list(seats_of_person(person=user, on=today))
    union_ids = sorted({seat.union_id for seat in seats})
    party_bodies = [s.body_id for s in seats if s.body and s.body.kind == BodyKind.PARTY_ORGANIZATION]
    scope = oversight_scope(user=user)
    context = {
        "seats": seats,
        "todos": selectors.my_todos(user=user),
        "in_progress": selectors.documents_in_progress(union_ids=union_ids) if union_ids else [],
        "deadlines": selectors.deadlines_ahead(union_ids=union_ids, today=today) if union_ids else [],
        "outcomes": selectors.recent_outcomes(union_ids=union_ids, now=now) if union_ids else [],
        "at_risk": documents_at_risk(union_ids=union_ids, today=today) if union_ids else [],
        "party": selectors.awaiting_party(body_ids=party_bodies) if party_bodies else None,
        "supervision": selectors.supervision(user=user, scope=scope, now=now)
        if any(u.supervised or u.supervisor_seat for u in scope.unions)
        else None,
        "today": today,
        "now": now,
        "seats_unions": len(union_ids),
    }
    return render(request, "workbench/home.html", context)
