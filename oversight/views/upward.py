"""Upward summaries (issue 33): for a department or provincial union, its subordinate unions' budgets and
final accounts in force summed by account in the ACFTU layout, the unions that have not submitted, and
the workbook (下载汇总表). Open to the supervisors of that union (a provincial supervisor may also choose
a department below); a union outside the viewer's supervision is refused (403, logged)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.http import refuse
from core.models import Union, UnionKind
from oversight.selectors.scope import OversightScope
from oversight.selectors.upward import BALANCE, CARRYOVER, EXPENDITURE_TOTAL, INCOME_TOTAL, upward_summary
from oversight.views.common import int_or_none, render_page, scope_or_refuse, warn_ignored, xlsx_response
from oversight.xlsx_upward import upward_to_xlsx

HEADINGS = {
    INCOME_TOTAL: gettext_lazy("I. Total income"),
    EXPENDITURE_TOTAL: gettext_lazy("II. Total expenditure"),
    CARRYOVER: gettext_lazy("III. Funds rolled over from the previous year"),
    BALANCE: gettext_lazy("IV. Balance (I + III − II)"),
}
FINAL_HEADINGS = {**HEADINGS, BALANCE: gettext_lazy("IV. Funds rolled over at period end (I + III − II)")}
YEARS_BACK = 5


def summarisable(scope: OversightScope) -> list[Union]:
    """The unions whose subordinates the viewer may sum: their supervisor seats' unions (department or
    provincial) and the departments below a provincial seat."""
    kinds = (UnionKind.PROVINCIAL, UnionKind.DEPARTMENT)
    roots = [u for u in scope.supervisor_roots if u.kind in kinds]
    return roots + [d for d in scope.departments if d.pk not in {r.pk for r in roots}]


def _chosen(request, scope: OversightScope) -> tuple[Union | None, int, list[Union]]:
    """(union, year, the unions to choose from); a union asked for outside them is refused."""
    choices = summarisable(scope)
    bad: list[str] = []
    asked = request.GET.get("union", "")
    union = choices[0] if choices else None
    if asked != "":
        union = next((u for u in choices if u.pk == int_or_none(asked)), None)
        if union is None:
            refuse(request, union=None, reason="upward summary of a union not supervised", status=403)
    this_year = timezone.localdate().year
    year = int_or_none(request.GET.get("year"))
    if request.GET.get("year", "") != "" and (year is None or not 2000 <= year <= 2100):
        bad.append(_("year"))
    if year is None or not 2000 <= year <= 2100:
        year = this_year
    warn_ignored(request, bad)
    return union, year, choices


@login_required
def upward(request):
    scope = scope_or_refuse(request)
    union, year, choices = _chosen(request, scope)
    this_year = timezone.localdate().year
    context = {
        "tab": "upward",
        "choices": choices,
        "chosen": union,
        "year": year,
        "years": sorted({*range(this_year + 1, this_year - YEARS_BACK, -1), year}, reverse=True),
    }
    if union is not None:
        summary = upward_summary(union=union, year=year)
        context.update(
            summary=summary,
            budget_rows=[(row, HEADINGS.get(row.heading, row.label)) for row in summary.budget_rows],
            final_rows=[(row, FINAL_HEADINGS.get(row.heading, row.label)) for row in summary.final_rows],
            missing=summary.not_submitted,
            counts={
                "unions": len(summary.unions),
                "budget": len(summary.budget_submitted),
                "final": len(summary.final_submitted),
            },
        )
    return render_page(request, "oversight/upward.html", context)


@login_required
def upward_export(request):
    scope = scope_or_refuse(request)
    union, year, _choices = _chosen(request, scope)
    if union is None:
        refuse(request, union=None, reason="upward summary without a supervisor seat", status=403)
    summary = upward_summary(union=union, year=year, by_union=True)
    return xlsx_response(upward_to_xlsx(summary), f"{union.name}{year}年度预算决算汇总表")
