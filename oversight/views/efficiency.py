"""The efficiency page and its export: time per step over the last 12 months, by step and by union,
and the open and overdue counts at each month end."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _

from oversight import rollups, svg, xlsx
from oversight.models import RollupPage
from oversight.selectors.efficiency import (
    EfficiencyFilters,
    efficiency_by_step,
    efficiency_by_union,
    overdue_trend,
)
from oversight.selectors.scope import OversightScope
from oversight.svg import line_chart
from oversight.views.common import (
    STEP,
    render_page,
    scope_or_refuse,
    union_filter,
    warn_ignored,
    xlsx_response,
)


def _parse_efficiency(request, scope: OversightScope) -> EfficiencyFilters:
    bad: list[str] = []
    union_id, department_id = union_filter(request, scope, bad)
    step = request.GET.get("step", "")
    if step and not STEP.match(step):
        bad.append(_("step"))
        step = ""
    warn_ignored(request, bad)
    return EfficiencyFilters(union_id=union_id, department_id=department_id, step=step)


def _efficiency_data(scope: OversightScope, filters: EfficiencyFilters):
    """(by step, by union, trend) and the moment they were taken: from the rollup for the whole
    province (any step filter), else live (None)."""
    now = timezone.now()
    cached = rollups.figures(
        page=RollupPage.EFFICIENCY, scope=scope, variant=rollups.efficiency_variant(filters), now=now
    )
    if cached:
        return cached
    figures = (
        efficiency_by_step(scope=scope, filters=filters, now=now),
        efficiency_by_union(scope=scope, filters=filters, now=now),
        overdue_trend(scope=scope, filters=filters, now=now),
    )
    return figures, None


@login_required
def efficiency(request):
    """Mean and median time per step over the last 12 months, by step and by union; overdue rate
    per union; open and overdue counts per month."""
    scope = scope_or_refuse(request)
    filters = _parse_efficiency(request, scope)
    (by_step, by_union, trend), as_of = _efficiency_data(scope, filters)
    kept = {
        k: v
        for k, v in {
            "union": filters.union_id or "",
            "department": filters.department_id or "",
            "step": filters.step,
        }.items()
        if v
    }
    chosen = scope.union_named(filters.union_id)
    return render_page(
        request,
        "oversight/efficiency.html",
        {
            "by_step": by_step,
            "by_union": by_union,
            "trend": trend,
            "trend_chart": line_chart(
                [f"{p.month:%Y-%m}" for p in trend],
                [
                    (_("open"), [p.open for p in trend], svg.OPEN),
                    (_("overdue"), [p.overdue for p in trend], svg.OVERDUE),
                ],
                title=_("Open and overdue at each month end"),
            ),
            "filters": filters,
            "departments": scope.departments,
            "chosen_union": chosen,
            "figures_as_of": as_of,
            "query": urlencode(kept),
            "tab": "efficiency",
        },
    )


@login_required
def efficiency_export(request):
    scope = scope_or_refuse(request)
    filters = _parse_efficiency(request, scope)
    (by_step, by_union, trend), _as_of = _efficiency_data(scope, filters)
    return xlsx_response(xlsx.efficiency_to_xlsx(by_step=by_step, by_union=by_union, trend=trend), "审批效率")
