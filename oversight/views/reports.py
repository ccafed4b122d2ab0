"""The received-reports page: the submission rate of each report the unions below owe to my union,
the unions that have not submitted, and the action to urge them (acknowledging and returning a
report stay on the received-reports page of workflows.reports)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse
from core.models import Union
from oversight import xlsx
from oversight.selectors.scope import OversightScope
from oversight.services import report_urge_missing
from oversight.views.common import int_or_none, render_page, scope_or_refuse, xlsx_response
from workflows.reports.selectors import submission_rates


def _rates(scope: OversightScope):
    return [(root, submission_rates(root)) for root in scope.supervisor_roots]


@login_required
def reports(request):
    """The reports submitted to my union: submission rate per report and year, the non-submitters,
    and the action to urge them."""
    scope = scope_or_refuse(request)
    return render_page(request, "oversight/reports.html", {"rates": _rates(scope), "tab": "reports"})


@login_required
def reports_export(request):
    scope = scope_or_refuse(request)
    return xlsx_response(xlsx.reports_to_xlsx(_rates(scope)), "报告报送情况")


@login_required
@require_POST
def urge_report(request):
    scope = scope_or_refuse(request)
    receiver_id = int_or_none(request.POST.get("receiver"))
    receiver = next((r for r in scope.supervisor_roots if r.pk == receiver_id), None)
    if receiver is None:
        refuse(request, union=None, reason="urge for a union not supervised", status=403)
    year = int_or_none(request.POST.get("year"))
    kind = request.POST.get("kind", "")
    try:
        result = report_urge_missing(
            receiver=Union.objects.get(pk=receiver.pk), user=request.user, kind=kind, year=year or 0
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        refuse(request, union=receiver, reason="urge report not allowed", status=403)
    else:
        messages.success(
            request,
            _(
                "%(urged)s open steps urged, %(notified)s people told to start, "
                "%(skipped)s skipped (urged less than 24 hours ago)."
            )
            % {"urged": result.urged, "notified": result.notified, "skipped": result.too_soon},
        )
    return redirect("oversight:reports")
