"""The deadline risk tab: documents expected to miss their statutory deadline, with how the forecast
was made (``workflows.forecast``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone

from oversight.selectors.risk import RISK_ROWS, RiskFilters, documents_at_risk_in_scope
from oversight.views.common import render_page, scope_or_refuse, union_filter, warn_ignored


@login_required
def risk(request):
    scope = scope_or_refuse(request)
    bad: list[str] = []
    union_id, department_id = union_filter(request, scope, bad)
    warn_ignored(request, bad)
    filters = RiskFilters(union_id=union_id, department_id=department_id)
    forecasts = documents_at_risk_in_scope(scope=scope, filters=filters, today=timezone.localdate())
    return render_page(
        request,
        "oversight/risk.html",
        {
            "rows": forecasts[:RISK_ROWS],
            "total": len(forecasts),
            "filters": filters,
            "departments": scope.departments,
            "chosen_union": scope.union_named(union_id),
            "tab": "risk",
        },
    )
