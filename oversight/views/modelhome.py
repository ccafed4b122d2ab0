"""The Model Workers' Home tab (S5.2): the titles of the unions below, the re-examinations due and the
applications awaiting the viewer's unions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone

from oversight.selectors.modelhome import HOME_ROWS, model_home_of
from oversight.views.common import render_page, scope_or_refuse, union_filter, warn_ignored


@login_required
def model_home(request):
    scope = scope_or_refuse(request)
    bad: list[str] = []
    _union_id, department_id = union_filter(request, scope, bad)
    warn_ignored(request, bad)
    below = scope.below((department_id,)) + [department_id] if department_id else None
    year = timezone.localdate().year
    view = model_home_of(scope, year=year, department_ids=below)
    return render_page(
        request,
        "oversight/modelhome.html",
        {
            "titles": view.titles[:HOME_ROWS],
            "title_count": len(view.titles),
            "due": view.due,
            "awaiting": view.awaiting,
            "year": year,
            "department_id": department_id,
            "departments": scope.departments,
            "tab": "modelhome",
        },
    )
