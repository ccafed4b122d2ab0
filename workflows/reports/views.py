"""Year-end summary and report pages (S2.3, S3.5): what their pages share (who may see a summary or a
report, the drafter's step, the version shown, the route), and the union's list. The pages are in
views_summary.py (the year-end summary), views_report.py (the work report and the report on budget and
final accounts) and views_received.py (the upper-level union's received reports).

Access: whoever may not see the document (or union) gets 404 (core.http.refuse logs it); supervisors
above and participants read it; only the drafter edits and submits at the drafter's step, submits
upward and resubmits (403 for the others who may see it). Received reports open only for a
supervisor seated at that union (403 for others who may view the union).

The bodies' steps are recorded on the generic pages: the Party organisation's written acknowledgement
(workflows:written_decision) and the congress (workflows:meeting_new), which decides the work report
and the congress step of the plan it binds together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess, union_access
from workflows import errors
from workflows.document_pages import trail_context
from workflows.models import WorkItem
from workflows.services.drafting import drafter_item
from workflows.services.workitems import DocumentBusy
from workflows.trail import last_return
from workflows.visibility import document_visible, documents_for_union

from .forms import default_report_year
from .models import CongressReport, YearEndSummary

# History verbs of these documents (core/templatetags/wuyi.py names the shared ones).
VERB_LABELS = {
    "summary_created": gettext_lazy("started the summary"),
    "summary_saved": gettext_lazy("saved the summary"),
    "report_created": gettext_lazy("started the work report"),
    "report_saved": gettext_lazy("saved the report"),
    "submitted_upward": gettext_lazy("submitted it to the upper-level union"),
    "report_acknowledged": gettext_lazy("acknowledged it for the upper-level union"),
    "report_returned_upward": gettext_lazy("returned it for correction for the upper-level union"),
    "resubmitted_upward": gettext_lazy("corrected it and submitted it again"),
}


def _viewed(request, model, pk: int, reason: str):
    document = (
        model.objects.select_related("union", "current_version", "drafter", "process").filter(pk=pk).first()
    )
    if document is None:
        raise Http404
    access = union_access(user=request.user, union=document.union)
    visible = access.can_view_documents or document_visible(
        user=request.user, union=document.union, process_id=document.process_id
    )
    if not visible:
        refuse(request, union=document.union, reason=reason)
    return document, access


def summary_for_viewer(request, pk: int) -> tuple[YearEndSummary, UnionAccess]:
    return _viewed(request, YearEndSummary, pk, "summary not visible")


def report_for_viewer(request, pk: int) -> tuple[CongressReport, UnionAccess]:
    return _viewed(request, CongressReport, pk, "report not visible")


def editable(request, document) -> WorkItem:
    """The drafter's open item, or 403 (logged) for anyone else who may see the document."""
    item = drafter_item(document) if document.process_id else None
    if item is None or item.assignee_id != request.user.pk:
        refuse(request, union=document.union, reason="not the drafter's step", status=403)
    return item


def prefill_year(raw: str | None) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return default_report_year()
    return year if 2000 <= year <= 2100 else default_report_year()


def document_context(request, document, document_type: str, access: UnionAccess) -> dict:
    """The route, who acts, comments and copies, and the version shown (?version=N, else the current)."""
    context = trail_context(
        request, document=document, document_type=document_type, access=access, verb_labels=VERB_LABELS
    )
    versions = list(document.versions.select_related("created_by").order_by("number"))
    current = next((v for v in versions if v.pk == document.current_version_id), versions[-1])
    shown = current
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = next((v for v in versions if v.number == int(wanted)), current)
    context.update(
        versions=versions,
        current=current,
        version=shown,
        can_edit=context["trail"].editable_by(request.user),
        read_only=not access.is_officer,
    )
    return context


@login_required
def report_list(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    summaries = documents_for_union(
        user=request.user,
        union=union,
        queryset=YearEndSummary.objects.filter(union=union)
        .select_related("current_version")
        .order_by("-year", "-id"),
    )
    reports = documents_for_union(
        user=request.user,
        union=union,
        queryset=CongressReport.objects.filter(union=union)
        .select_related("current_version")
        .order_by("-year", "kind", "-id"),
    )
    return render(
        request,
        "workflows/reports/list.html",
        {"union": union, "access": access, "summaries": list(summaries), "reports": list(reports)},
    )


@dataclass(frozen=True)
class TextEdit:
    """How a text document (a summary, a report) is edited: its form, save and submit services, the
    messages after each and the pages it goes to."""

    form: type
    save: Callable[..., object]  # (actor, document, text)
    submit: Callable[..., object]  # (actor, document)
    saved: str
    submitted: str
    detail_url: str
    edit_url: str
    template: str
    name: str  # the document's name in the template's context


def text_edit_page(request, document, edit: TextEdit):
    """The drafter edits the text; "save and submit" sends it on. What was typed stays on a refusal."""
    version = document.current_version
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = edit.form(request.POST)
        if form.is_valid():
            try:
                edit.save(request.user, document, form.cleaned_data["text"])
                if "save_and_submit" in request.POST:
                    edit.submit(request.user, document)
            except ValidationError as exc:
                problems = list(exc.messages)
            except DocumentBusy:
                problems, status = [str(errors.LOCKED)], 409
            except PermissionDenied:
                refuse(request, union=document.union, reason="not editable", status=403)
            else:
                submitted = "save_and_submit" in request.POST
                messages.success(request, edit.submitted if submitted else edit.saved)
                return redirect(edit.detail_url if submitted else edit.edit_url, pk=document.pk)
        else:
            problems = [_("Please correct the errors below.")]
        status = status if status != 200 else 400
    else:
        form = edit.form(initial={"text": version.text})
    context = {
        edit.name: document,
        "union": document.union,
        "version": version,
        "form": form,
        "problems": problems,
        "returned": last_return(document=document),
    }
    return render(request, edit.template, context, status=status)
