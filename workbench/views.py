"""The home page: the workbench (工作台). Thin: each section comes from workbench.selectors."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.models import COMMITTEE_KINDS, BodyKind
from core.selectors import seats_of_person
from core.services.calendar import calendar_missing_year
from oversight.selectors.scope import oversight_scope
from workbench import selectors
from workflows.forecast import documents_at_risk
from workflows.memberpages.selectors import active_membership


def _calendar_missing(user, today):
    """Next year's working-day calendar is missing after 1 November: told to whoever imports it, the
    site's administrators (staff with the calendar's permissions in the admin). Nobody else pays a
    query for it."""
    if not user.is_staff or not user.has_perm("core.add_calendarday"):
        return None
    year = calendar_missing_year(today=today)
    return {"year": year, "url": reverse("admin:core_calendaryear_import")} if year else None


@login_required
def home(request):
    user = request.user
    today = timezone.localdate()
    now = timezone.now()
    seats = list(seats_of_person(person=user, on=today))
    if not seats and active_membership(user=user) is not None:
        return redirect("memberpages:home")  # S5.4: a member without a seat has only the members' pages
    union_ids = sorted({seat.union_id for seat in seats})
    # a seat on a Party organisation (its own union's, or a leading one, S1.1) opens the Party section;
    # nobody else pays a query for it
    party_seat = any(s.body and s.body.kind == BodyKind.PARTY_ORGANIZATION for s in seats)
    # S4.4: a member of one of the three committees keeps contacts with the grassroots
    committee_seat = any(s.body and s.body.kind in COMMITTEE_KINDS for s in seats)
    scope = oversight_scope(user=user)
    context = {
        "seats": seats,
        "todos": selectors.my_todos(user=user),
        "in_progress": selectors.documents_in_progress(union_ids=union_ids) if union_ids else [],
        "deadlines": selectors.deadlines_ahead(union_ids=union_ids, today=today) if union_ids else [],
        "outcomes": selectors.recent_outcomes(union_ids=union_ids, now=now) if union_ids else [],
        "at_risk": documents_at_risk(union_ids=union_ids, today=today) if union_ids else [],
        "party": selectors.party_desk(user=user, today=today, now=now) if party_seat else None,
        "supervision": selectors.supervision(user=user, scope=scope, now=now)
        if any(u.supervised or u.supervisor_seat for u in scope.unions)
        else None,
        "today": today,
        "now": now,
        "seats_unions": len(union_ids),
        "committee_seat": committee_seat,
        "may_oversee": not scope.is_empty,  # the menu's answer from the scope read above
        "calendar_missing": _calendar_missing(user, today),
    }
    return render(request, "workbench/home.html", context)
