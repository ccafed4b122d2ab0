"""The team tab (S4.1, S4.2, S4.4): the unions below whose committees lack their rules, whose
staffing falls short, whose contacts are overdue or whose committees' re-election is due."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone

from oversight.selectors.team import TEAM_ROWS, scope_unions, team_of
from oversight.views.common import render_page, scope_or_refuse, union_filter, warn_ignored


@login_required
def team(request):
    scope = scope_or_refuse(request)
    bad: list[str] = []
    _union_id, department_id = union_filter(request, scope, bad)
    warn_ignored(request, bad)
    unions = scope_unions(scope, department_id=department_id)
    statuses = team_of(unions, on=timezone.localdate())
    flagged = [status for status in statuses.values() if status.needs_attention]
    return render_page(
        request,
        "oversight/team.html",
        {
            "rows": flagged[:TEAM_ROWS],
            "flagged": len(flagged),
            "counts": {
                "unions": len(unions),
                "rules": sum(1 for s in statuses.values() if s.rules_missing),
                "staffing": sum(1 for s in statuses.values() if s.gap),
                "contacts": sum(1 for s in statuses.values() if s.contacts_overdue),
                "reelections": sum(len(s.reelections) for s in statuses.values()),
            },
            "department_id": department_id,
            "departments": scope.departments,
            "tab": "team",
        },
    )
