"""Year-end summary and work report pages (S2.3): the union's summaries and reports, start, edit and
submit a summary (reported in writing to the Party organisation) and a work report (before the
congress, then submitted upward), the correction after a return by the upper-level union, and the
upper-level union's received reports with acknowledge / return and the submission rate below it.

Access: whoever may not see the document (or union) gets 404 (core.http.refuse logs it); supervisors
above and participants read it; only the drafter edits and submits at the drafter's step, submits
upward and resubmits (403 for the others who may see it). Received reports open only for a
supervisor seated at that union (403 for others who may view the union).

The bodies' steps are recorded on the generic pages: the Party organisation's written acknowledgement
(workflows:written_decision) and the congress (workflows:meeting_new), which decides the work report
and the congress step of the plan it binds together.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.http import refuse, union_for_viewer
from core.models import Event, Union, UnionKind
from core.selectors import UnionAccess, union_access
from core.services.statutory import rules_for
from core.statutory import ObligationRule
from workflows import errors
from workflows.models import (
    Comment,
    CopyTo,
    DocumentType,
    MeetingItem,
    WorkItem,
    WorkItemState,
    WrittenDecision,
)
from workflows.plan.models import AnnualPlan
from workflows.services.drafting import DRAFTER_STEPS
from workflows.services.workitems import DocumentBusy, user_may_act
from workflows.views_actions import CommentForm, CopyToForm, comment_step_choices, who_acts_rows
from workflows.visibility import document_visible, documents_for_union

from .flows import FINANCE_REPORT_STEPS, REPORT_CHAIN, REPORT_STEPS, SUMMARY_CHAIN, SUMMARY_STEPS
from .forms import (
    ReportEditForm,
    ResubmitForm,
    SubmissionReturnForm,
    SummaryCreateForm,
    SummaryEditForm,
    WorkReportCreateForm,
    default_report_year,
)
from .models import (
    CongressReport,
    ReportKind,
    ReportStatus,
    Submission,
    SubmissionState,
    SummaryStatus,
    YearEndSummary,
)
from .services import (
    report_resubmit,
    report_submit_upward,
    submission_acknowledge,
    submission_return,
    summary_create,
    summary_prefill,
    summary_save,
    summary_submit,
    work_report_create,
    work_report_rule_errors,
    work_report_save,
    work_report_submit,
)

SUMMARY_SUBJECT = YearEndSummary._meta.label_lower  # "reports.yearendsummary"
REPORT_SUBJECT = CongressReport._meta.label_lower  # "reports.congressreport"
RECEIVED_PAGE_SIZE = 20
RATE_YEARS = 3  # the received page shows the submission rate of the most recent report years
MAX_ID = 2**63 - 1

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
# The obligation each report kind meets (S2.3 work report, S3.5 finance report).
KIND_OBLIGATION = {ReportKind.WORK_REPORT: "S2.3", ReportKind.FINANCE_REPORT: "S3.5"}


# --- access ---------------------------------------------------------------------------------------


def _visible(user, document, access: UnionAccess) -> bool:
    return access.can_view_documents or document_visible(
        user=user, union=document.union, process_id=document.process_id
    )


def summary_for_viewer(request, pk: int) -> tuple[YearEndSummary, UnionAccess]:
    summary = (
        YearEndSummary.objects.select_related("union", "current_version", "drafter", "process")
        .filter(pk=pk)
        .first()
    )
    if summary is None:
        raise Http404
    access = union_access(user=request.user, union=summary.union)
    if not _visible(request.user, summary, access):
        refuse(request, union=summary.union, reason="summary not visible")
    return summary, access


def report_for_viewer(request, pk: int) -> tuple[CongressReport, UnionAccess]:
    report = (
        CongressReport.objects.select_related("union", "current_version", "drafter", "process")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    access = union_access(user=request.user, union=report.union)
    if not _visible(request.user, report, access):
        refuse(request, union=report.union, reason="report not visible")
    return report, access


def _open_drafter_item(document) -> WorkItem | None:
    if not document.process_id:
        return None
    return (
        WorkItem.objects.filter(
            process_id=document.process_id, state=WorkItemState.OPEN, step__in=DRAFTER_STEPS
        )
        .order_by("-id")
        .first()
    )


def _editable(request, document) -> WorkItem:
    """The drafter's open item, or 403 (logged) for anyone else who may see the document."""
    item = _open_drafter_item(document)
    if item is None or item.assignee_id != request.user.pk:
        refuse(request, union=document.union, reason="not the drafter's step", status=403)
    return item


# --- the list -------------------------------------------------------------------------------------


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


# --- the year-end summary -------------------------------------------------------------------------


def _prefill_year(raw: str | None) -> int:
    try:
        year = int(raw or "")
    except ValueError:
        return default_report_year()
    return year if 2000 <= year <= 2100 else default_report_year()


@login_required
def summary_new(request, union_pk: int):
    """Start the year's summary; the text comes pre-filled from the year's plan and its progress."""
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not draft", status=403)
    problems: list[str] = []
    if request.method == "POST":
        form = SummaryCreateForm(request.POST)
        if form.is_valid():
            try:
                summary = summary_create(
                    actor=request.user,
                    union=union,
                    year=form.cleaned_data["year"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            except PermissionDenied:
                refuse(request, union=union, reason="may not draft", status=403)
            else:
                messages.success(
                    request, _("Summary started. Check the text, then report it to the Party organisation.")
                )
                return redirect("reports:summary_detail", pk=summary.pk)
        else:
            problems = [_("Please correct the errors below.")]
    else:
        year = _prefill_year(request.GET.get("year"))
        form = SummaryCreateForm(initial={"year": year, "text": summary_prefill(union=union, year=year)})
    return render(
        request,
        "workflows/reports/summary_new.html",
        {"union": union, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


def _summary_chain(summary: YearEndSummary, done_steps: set[str], open_steps: set[str]) -> list[dict]:
    return _chain(
        SUMMARY_CHAIN,
        SUMMARY_STEPS,
        done_steps,
        open_steps,
        in_force=summary.status == SummaryStatus.IN_FORCE,
        final_title=SummaryStatus.IN_FORCE.label,
    )


def _chain(chain, steps, done_steps, open_steps, *, in_force: bool, final_title) -> list[dict]:
    rows = []
    for step in chain:
        # a returned document is revised at the drafter's step
        current = step in open_steps or (step == "draft" and "revise" in open_steps)
        if current:
            state = "current"
        elif step in done_steps or in_force:
            state = "done"
        else:
            state = "pending"
        rows.append({"step": step, "title": steps[step].title, "state": state})
    rows.append({"step": "in_force", "title": final_title, "state": "done" if in_force else "pending"})
    return rows


def _history(subject_type: str, document, statuses) -> list[Event]:
    events = list(
        Event.objects.filter(subject_type=subject_type, subject_id=str(document.pk))
        .select_related("actor")
        .order_by("created_at", "id")
    )
    states = dict(statuses.choices)
    for event in events:
        if event.verb in VERB_LABELS:
            event.label = VERB_LABELS[event.verb]
        event.state_label = states.get(event.to_state, event.to_state)
    return events


def _shown_version(request, versions: list, current_id: int | None):
    current = next((v for v in versions if v.pk == current_id), versions[-1])
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        return current, next((v for v in versions if v.number == int(wanted)), current)
    return current, current


def _common_context(request, document, document_type: str, access: UnionAccess) -> dict:
    """Who acts, decisions, comments and copies: the parts every document page shares."""
    user = request.user
    process = document.process_id
    items = (
        list(
            WorkItem.objects.filter(process_id=process)
            .select_related("assignee", "body", "finished_by")
            .order_by("id")
        )
        if process
        else []
    )
    open_items = [i for i in items if i.state == WorkItemState.OPEN]
    drafter_items = [i for i in open_items if i.step in DRAFTER_STEPS]
    drafter_item = max(drafter_items, key=lambda i: i.pk) if drafter_items else None
    comment_steps = {i.pk: i for i in items if i.parent_id is None}
    current_step = next(
        (i.pk for i in reversed(items) if i.state == WorkItemState.OPEN and i.parent_id is None), None
    )
    can_copy = user.pk == document.drafter_id or access.is_officer
    return {
        "union": document.union,
        "items": items,
        "open_items": open_items,
        "done_steps": {i.step for i in items if i.state == WorkItemState.DONE},
        "who_acts": who_acts_rows(user=user, document=document, open_items=open_items),
        "drafter_item": drafter_item,
        "can_edit": drafter_item is not None and drafter_item.assignee_id == user.pk,
        "meeting_items": list(
            MeetingItem.objects.filter(work_item__process_id=process)
            .select_related("meeting__body", "work_item")
            .prefetch_related("meeting__attachments")
            .order_by("meeting__held_on", "id")
        )
        if process
        else [],
        "written": list(
            WrittenDecision.objects.filter(work_item__process_id=process)
            .select_related("body", "work_item")
            .prefetch_related("attachments")
            .order_by("decided_on", "id")
        )
        if process
        else [],
        "read_only": not access.is_officer,
        "document": document,
        "document_type": document_type,
        "comments": list(
            Comment.objects.filter(document_type=document_type, document_id=document.pk)
            .select_related("author", "work_item")
            .prefetch_related("attachments")
            .order_by("created_at", "id")
        ),
        "comment_form": CommentForm(
            steps=comment_step_choices(comment_steps), initial={"step": current_step}
        ),
        "copies": list(
            CopyTo.objects.filter(process_id=process).select_related("person").order_by("created_at")
        )
        if process
        else [],
        "can_copy": can_copy,
        "copy_form": CopyToForm() if can_copy else None,
    }


def _summary_context(request, summary: YearEndSummary, access: UnionAccess) -> dict:
    versions = list(summary.versions.order_by("number"))
    current, shown = _shown_version(request, versions, summary.current_version_id)
    context = _common_context(request, summary, DocumentType.YEAR_END_SUMMARY.value, access)
    open_steps = {i.step for i in context["open_items"]}
    context.update(
        summary=summary,
        version=shown,
        current=current,
        versions=versions,
        chain=_summary_chain(summary, context["done_steps"], open_steps),
        history=_history(SUMMARY_SUBJECT, summary, SummaryStatus),
        submit_problems=(
            [str(errors.SUMMARY_EMPTY)] if context["can_edit"] and not current.text.strip() else []
        ),
    )
    return context


@login_required
def summary_detail(request, pk: int):
    summary, access = summary_for_viewer(request, pk)
    return render(
        request, "workflows/reports/summary_detail.html", _summary_context(request, summary, access)
    )


@login_required
def summary_edit(request, pk: int):
    summary, _access = summary_for_viewer(request, pk)
    _editable(request, summary)
    version = summary.current_version
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = SummaryEditForm(request.POST)
        if form.is_valid():
            try:
                summary_save(actor=request.user, summary=summary, text=form.cleaned_data["text"])
                if "save_and_submit" in request.POST:
                    summary_submit(actor=request.user, summary=summary)
            except ValidationError as exc:
                problems = list(exc.messages)
            except DocumentBusy:
                problems = [str(errors.LOCKED)]
                status = 409
            except PermissionDenied:
                refuse(request, union=summary.union, reason="not editable", status=403)
            else:
                if "save_and_submit" in request.POST:
                    messages.success(request, _("The summary was reported to the Party organisation."))
                    return redirect("reports:summary_detail", pk=summary.pk)
                messages.success(request, _("The summary was saved."))
                return redirect("reports:summary_edit", pk=summary.pk)
        else:
            problems = [_("Please correct the errors below.")]
        status = status if status != 200 else 400
    else:
        form = SummaryEditForm(initial={"text": version.text})
    return render(
        request,
        "workflows/reports/summary_edit.html",
        {"summary": summary, "union": summary.union, "version": version, "form": form, "problems": problems},
        status=status,
    )


@login_required
def summary_submit_view(request, pk: int):
    """POST: report the summary in writing to the Party organisation (S2.3)."""
    summary, access = summary_for_viewer(request, pk)
    if request.method != "POST":
        return redirect("reports:summary_detail", pk=summary.pk)
    _editable(request, summary)
    problems: list[str] = []
    status = 400
    try:
        summary_submit(actor=request.user, summary=summary)
    except ValidationError as exc:
        problems = list(exc.messages)
    except DocumentBusy:
        problems = [str(errors.LOCKED)]
        status = 409
    except PermissionDenied:
        refuse(request, union=summary.union, reason="not the drafter's step", status=403)
    else:
        messages.success(request, _("The summary was reported to the Party organisation."))
        return redirect("reports:summary_detail", pk=summary.pk)
    summary.refresh_from_db()
    context = _summary_context(request, summary, access)
    context["problems"] = problems
    return render(request, "workflows/reports/summary_detail.html", context, status=status)


# --- the work report ------------------------------------------------------------------------------


@login_required
def report_new(request, union_pk: int):
    """Merge the year's acknowledged summary and next year's plan into the work report (S2.3)."""
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not draft", status=403)
    problems: list[str] = []
    if request.method == "POST":
        form = WorkReportCreateForm(request.POST)
        if form.is_valid():
            try:
                report = work_report_create(
                    actor=request.user,
                    union=union,
                    year=form.cleaned_data["year"],
                    text=form.cleaned_data["text"].strip() and form.cleaned_data["text"],
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            except PermissionDenied:
                refuse(request, union=union, reason="may not draft", status=403)
            else:
                messages.success(
                    request,
                    _(
                        "Work report started from the summary and next year's plan. "
                        "Check it, then submit it to the congress."
                    ),
                )
                return redirect("reports:report_detail", pk=report.pk)
        else:
            problems = [_("Please correct the errors below.")]
    else:
        form = WorkReportCreateForm(initial={"year": default_report_year()})
    return render(
        request,
        "workflows/reports/report_new.html",
        {"union": union, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


@login_required
def finance_report_new(request, union_pk: int):
    """Merge the year's audited final accounts and next year's budget into the report on budget and
    final accounts (S3.5)."""
    from workflows.final_accounts.finance_report import finance_report_create
    from workflows.final_accounts.forms import FinanceReportCreateForm

    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not draft", status=403)
    problems: list[str] = []
    if request.method == "POST":
        form = FinanceReportCreateForm(request.POST)
        if form.is_valid():
            try:
                report = finance_report_create(
                    actor=request.user,
                    union=union,
                    year=form.cleaned_data["year"],
                    text=form.cleaned_data["text"].strip() and form.cleaned_data["text"],
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            except PermissionDenied:
                refuse(request, union=union, reason="may not draft", status=403)
            else:
                messages.success(
                    request,
                    _(
                        "Report started from the audited final accounts and next year's budget. "
                        "Check it, then submit it to the congress."
                    ),
                )
                return redirect("reports:report_detail", pk=report.pk)
        else:
            problems = [_("Please correct the errors below.")]
    else:
        form = FinanceReportCreateForm(initial={"year": _prefill_year(request.GET.get("year"))})
    return render(
        request,
        "final_accounts/finance_report_new.html",
        {"union": union, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


@dataclass
class BoundDocument:
    document_type: str
    label: str
    version: int
    document: object | None
    url: str | None
    current_number: int | None

    @property
    def newer(self) -> bool:
        return self.current_number is not None and self.current_number != self.version


def _bound_documents(version) -> list[BoundDocument]:
    """The exact versions of the documents this report version binds, with links to them."""
    bindings = list(version.bindings.order_by("document_type", "id"))
    ids = {
        t: [b.document_id for b in bindings if b.document_type == t]
        for t in {b.document_type for b in bindings}
    }
    found = {}
    if ids.get(DocumentType.YEAR_END_SUMMARY):
        summaries = YearEndSummary.objects.filter(pk__in=ids[DocumentType.YEAR_END_SUMMARY])
        found.update(
            {
                (DocumentType.YEAR_END_SUMMARY.value, s.pk): s
                for s in summaries.select_related("current_version")
            }
        )
    if ids.get(DocumentType.ANNUAL_PLAN):
        plans = AnnualPlan.objects.filter(pk__in=ids[DocumentType.ANNUAL_PLAN])
        found.update(
            {(DocumentType.ANNUAL_PLAN.value, p.pk): p for p in plans.select_related("current_version")}
        )
    # the finance report (S3.5) binds the final accounts and next year's budget
    for document_type in (DocumentType.FINAL_ACCOUNTS, DocumentType.BUDGET):
        if ids.get(document_type):
            from workflows.documents import document_model

            model = document_model(document_type)
            found.update(
                {
                    (document_type.value, d.pk): d
                    for d in model.objects.filter(pk__in=ids[document_type]).select_related("current_version")
                }
            )
    url_names = {
        DocumentType.YEAR_END_SUMMARY.value: "reports:summary_detail",
        DocumentType.ANNUAL_PLAN.value: "plan:detail",
        DocumentType.FINAL_ACCOUNTS.value: "final_accounts:detail",
        DocumentType.BUDGET.value: "budget:detail",
    }
    labels = dict(DocumentType.choices)
    rows = []
    first = (DocumentType.YEAR_END_SUMMARY, DocumentType.FINAL_ACCOUNTS)
    for b in sorted(bindings, key=lambda b: (b.document_type not in first, b.pk)):
        document = found.get((b.document_type, b.document_id))
        name = url_names.get(b.document_type)
        url = (
            reverse(name, args=[b.document_id]) + "?" + urlencode({"version": b.document_version})
            if name and document is not None
            else None
        )
        rows.append(
            BoundDocument(
                document_type=b.document_type,
                label=labels.get(b.document_type, b.document_type),
                version=b.document_version,
                document=document,
                url=url,
                current_number=document.current_version.number
                if document is not None and document.current_version_id
                else None,
            )
        )
    return rows


def _report_context(request, report: CongressReport, access: UnionAccess) -> dict:
    user = request.user
    versions = list(report.versions.order_by("number"))
    current, shown = _shown_version(request, versions, report.current_version_id)
    document_type = (
        DocumentType.FINANCE_REPORT if report.kind == ReportKind.FINANCE_REPORT else DocumentType.WORK_REPORT
    )
    context = _common_context(request, report, document_type.value, access)
    open_items = context["open_items"]
    open_steps = {i.step for i in open_items}
    upward_item = next((i for i in open_items if i.step == "submit_upward"), None)
    submissions = list(
        report.submissions.select_related("to_union", "version", "submitted_by", "acted_by").order_by(
            "-submitted_at", "-id"
        )
    )
    returned = next((s for s in submissions if s.state == SubmissionState.RETURNED), None)
    context.update(
        report=report,
        version=shown,
        current=current,
        versions=versions,
        bound=_bound_documents(shown),
        chain=_chain(
            REPORT_CHAIN,
            FINANCE_REPORT_STEPS if report.kind == ReportKind.FINANCE_REPORT else REPORT_STEPS,
            context["done_steps"],
            open_steps,
            in_force=report.status == ReportStatus.IN_FORCE,
            final_title=ReportStatus.IN_FORCE.label,
        ),
        history=_history(REPORT_SUBJECT, report, ReportStatus),
        submissions=submissions,
        submit_problems=work_report_rule_errors(report) if context["can_edit"] else [],
        can_submit_upward=upward_item is not None and user_may_act(user=user, work_item=upward_item),
        can_resubmit=report.status == ReportStatus.CORRECTION and user.pk == report.drafter_id,
        returned=returned if report.status == ReportStatus.CORRECTION else None,
    )
    return context


@login_required
def report_detail(request, pk: int):
    report, access = report_for_viewer(request, pk)
    return render(request, "workflows/reports/report_detail.html", _report_context(request, report, access))


@login_required
def report_edit(request, pk: int):
    report, _access = report_for_viewer(request, pk)
    _editable(request, report)
    version = report.current_version
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = ReportEditForm(request.POST)
        if form.is_valid():
            try:
                work_report_save(actor=request.user, report=report, text=form.cleaned_data["text"])
                if "save_and_submit" in request.POST:
                    work_report_submit(actor=request.user, report=report)
            except ValidationError as exc:
                problems = list(exc.messages)
            except DocumentBusy:
                problems = [str(errors.LOCKED)]
                status = 409
            except PermissionDenied:
                refuse(request, union=report.union, reason="not editable", status=403)
            else:
                if "save_and_submit" in request.POST:
                    messages.success(request, _("The work report was put before the congress."))
                    return redirect("reports:report_detail", pk=report.pk)
                messages.success(request, _("The report was saved."))
                return redirect("reports:report_edit", pk=report.pk)
        else:
            problems = [_("Please correct the errors below.")]
        status = status if status != 200 else 400
    else:
        form = ReportEditForm(initial={"text": version.text})
    return render(
        request,
        "workflows/reports/report_edit.html",
        {"report": report, "union": report.union, "version": version, "form": form, "problems": problems},
        status=status,
    )


def _report_action_failed(request, report: CongressReport, access: UnionAccess, problems, status: int):
    report.refresh_from_db()
    context = _report_context(request, report, access)
    context["problems"] = problems
    return render(request, "workflows/reports/report_detail.html", context, status=status)


@login_required
def report_submit_view(request, pk: int):
    """POST: put the work report before the congress (from the draft, or after the congress returned it)."""
    report, access = report_for_viewer(request, pk)
    if request.method != "POST":
        return redirect("reports:report_detail", pk=report.pk)
    _editable(request, report)
    try:
        work_report_submit(actor=request.user, report=report)
    except ValidationError as exc:
        return _report_action_failed(request, report, access, list(exc.messages), 400)
    except DocumentBusy:
        return _report_action_failed(request, report, access, [str(errors.LOCKED)], 409)
    except PermissionDenied:
        refuse(request, union=report.union, reason="not the drafter's step", status=403)
    messages.success(request, _("The work report was put before the congress."))
    return redirect("reports:report_detail", pk=report.pk)


@login_required
def report_submit_upward_view(request, pk: int):
    """POST: 报送上一级工会, by the drafter at the submit_upward step."""
    report, access = report_for_viewer(request, pk)
    if request.method != "POST":
        return redirect("reports:report_detail", pk=report.pk)
    item = (
        WorkItem.objects.filter(
            process_id=report.process_id, step="submit_upward", state=WorkItemState.OPEN
        ).first()
        if report.process_id
        else None
    )
    if item is None:
        if request.user.pk != report.drafter_id:
            refuse(request, union=report.union, reason="not the drafter's step", status=403)
        return _report_action_failed(request, report, access, [str(errors.TASK_CLOSED)], 409)
    if not user_may_act(user=request.user, work_item=item):
        refuse(request, union=report.union, reason="not the drafter's step", status=403)
    try:
        submissions = report_submit_upward(actor=request.user, report=report)
    except ValidationError as exc:
        return _report_action_failed(request, report, access, list(exc.messages), 409)
    except DocumentBusy:
        return _report_action_failed(request, report, access, [str(errors.LOCKED)], 409)
    except PermissionDenied:
        refuse(request, union=report.union, reason="not the drafter's step", status=403)
    names = "、".join(s.to_union.name for s in submissions)
    if report.kind == ReportKind.FINANCE_REPORT:
        messages.success(request, _("The report was submitted to %(unions)s.") % {"unions": names})
    else:
        messages.success(request, _("The work report was submitted to %(unions)s.") % {"unions": names})
    return redirect("reports:report_detail", pk=report.pk)


@login_required
def report_resubmit_view(request, pk: int):
    """After a return by the upper-level union: the corrected text, a new version, submitted again."""
    report, access = report_for_viewer(request, pk)
    if request.user.pk != report.drafter_id:
        refuse(request, union=report.union, reason="not the drafter", status=403)
    returned = (
        report.submissions.filter(state=SubmissionState.RETURNED)
        .select_related("to_union", "acted_by")
        .order_by("-acted_at", "-id")
        .first()
    )
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        form = ResubmitForm(request.POST)
        if form.is_valid():
            try:
                submissions = report_resubmit(
                    actor=request.user, report=report, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                problems = list(exc.messages)
                status = 409
            except PermissionDenied:
                refuse(request, union=report.union, reason="not the drafter", status=403)
            else:
                names = "、".join(s.to_union.name for s in submissions)
                messages.success(
                    request, _("The corrected report was submitted again to %(unions)s.") % {"unions": names}
                )
                return redirect("reports:report_detail", pk=report.pk)
        else:
            problems = [_("Please correct the errors below.")]
            status = 400
    else:
        form = ResubmitForm(initial={"text": report.current_version.text})
        if report.status != ReportStatus.CORRECTION:
            problems = [str(errors.REPORT_NOT_RETURNED)]
    return render(
        request,
        "workflows/reports/resubmit.html",
        {
            "report": report,
            "union": report.union,
            "form": form,
            "returned": returned,
            "can_resubmit": report.status == ReportStatus.CORRECTION,
            "problems": problems,
        },
        status=status,
    )


# --- received reports (the upper-level union) -----------------------------------------------------


def _supervised_union(request, union_pk: int) -> tuple[Union, UnionAccess]:
    union, access = union_for_viewer(request, union_pk)
    if not access.is_supervisor_here:
        refuse(request, union=union, reason="not a supervisor of this union", status=403)
    return union, access


def _cursor(raw: str | None) -> tuple[datetime.datetime, int] | None:
    """ "<ISO time>_<id>" of the last row shown; garbage means the first page, never a 500."""
    head, _sep, tail = (raw or "").rpartition("_")
    try:
        pk = int(tail)
        at = parse_datetime(head)
    except ValueError:
        return None
    if at is None or timezone.is_naive(at) or not 0 < pk <= MAX_ID:
        return None
    return at, pk


def _cursor_value(submission: Submission) -> str:
    return f"{submission.submitted_at.astimezone(datetime.UTC):%Y-%m-%dT%H:%M:%S.%fZ}_{submission.pk}"


@dataclass
class RateRow:
    kind: str
    kind_label: str
    year: int
    owing: list[Union]
    submitted: set[int] = field(default_factory=set)
    returned: set[int] = field(default_factory=set)

    @property
    def total(self) -> int:
        return len(self.owing)

    @property
    def count(self) -> int:
        return sum(1 for u in self.owing if u.pk in self.submitted)

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0

    @property
    def missing(self) -> list[dict]:
        return [
            {"union": u, "returned": u.pk in self.returned} for u in self.owing if u.pk not in self.submitted
        ]


def _owing_unions(union: Union, kind: str, candidates: list[Union], rules_by_scope: dict) -> list[Union]:
    """The unions below that owe this report to this union (as obligations_generate decides: the
    nearest rule, active, for their kind and size)."""
    code = KIND_OBLIGATION.get(kind)
    owing = []
    for child in candidates:
        if kind == ReportKind.WORK_REPORT and child.parent_id != union.pk:
            continue
        rule = rules_for(union=child, rules_by_scope=rules_by_scope).get(code)
        if rule is None or not (rule.active and rule.generated) or child.kind not in rule.kinds.split(","):
            continue
        if rule.min_members and child.member_count < rule.min_members:
            continue
        owing.append(child)
    return owing


def submission_rates(union: Union) -> list[RateRow]:
    """Per report kind and year: how many of the unions below that owe it have submitted (S2.3, S3.5);
    a report returned for correction and not yet resubmitted does not count."""
    since = default_report_year() - RATE_YEARS + 1
    states = list(
        Submission.objects.filter(to_union=union, report__year__gte=since)
        .values_list("report__kind", "report__year", "report__union_id", "state")
        .distinct()
    )
    wanted = {(kind, year) for kind, year, _u, _s in states} | {
        (ReportKind.WORK_REPORT.value, default_report_year())
    }
    kinds = {kind for kind, _year in wanted}
    # the finance report also reaches the provincial organs union from every union (S3.5)
    everyone = union.kind == UnionKind.PROVINCIAL and ReportKind.FINANCE_REPORT in kinds
    base = Union.objects.filter(is_active=True, kind__in=[UnionKind.DEPARTMENT, UnionKind.GRASSROOTS])
    candidates = list((base if everyone else base.filter(parent=union)).order_by("name", "id"))
    rules_by_scope = {(r.union_id, r.code): r for r in ObligationRule.objects.all()}
    labels = dict(ReportKind.choices)
    rows = []
    for kind, year in sorted(wanted, key=lambda w: (-w[1], w[0])):
        row = RateRow(
            kind, labels.get(kind, kind), year, _owing_unions(union, kind, candidates, rules_by_scope)
        )
        for k, y, union_id, state in states:
            if (k, y) != (kind, year):
                continue
            if state == SubmissionState.RETURNED:
                row.returned.add(union_id)
            else:
                row.submitted.add(union_id)
        rows.append(row)
    return rows


def _received_context(
    request, union: Union, *, bound: tuple[int, SubmissionReturnForm] | None = None
) -> dict:
    qs = (
        Submission.objects.filter(to_union=union)
        .select_related("report__union", "version", "submitted_by", "acted_by")
        .order_by("-submitted_at", "-id")
    )
    cursor = _cursor(request.GET.get("before"))
    if cursor is not None:
        at, pk = cursor
        qs = qs.filter(Q(submitted_at__lt=at) | Q(submitted_at=at, id__lt=pk))
    rows = list(qs[: RECEIVED_PAGE_SIZE + 1])
    more = len(rows) > RECEIVED_PAGE_SIZE
    rows = rows[:RECEIVED_PAGE_SIZE]
    for submission in rows:
        if bound is not None and bound[0] == submission.pk:
            submission.return_form = bound[1]
        elif submission.state == SubmissionState.SUBMITTED:
            submission.return_form = SubmissionReturnForm(auto_id=f"id_s{submission.pk}_%s")
        else:
            submission.return_form = None
    return {
        "union": union,
        "submissions": rows,
        "rates": submission_rates(union),
        "next_url": f"{request.path}?{urlencode({'before': _cursor_value(rows[-1])})}" if more else None,
        "first_url": request.path if cursor is not None else None,
    }


@login_required
def received(request, union_pk: int):
    union, _access = _supervised_union(request, union_pk)
    return render(request, "workflows/reports/received.html", _received_context(request, union))


def _submission_for_supervisor(request, pk: int) -> Submission:
    submission = Submission.objects.select_related("to_union", "report__union").filter(pk=pk).first()
    if submission is None:
        raise Http404
    _supervised_union(request, submission.to_union_id)
    return submission


def _back_to_received(request, submission: Submission):
    return redirect(
        reverse("reports:received", args=[submission.to_union_id]) + f"#submission-{submission.pk}"
    )


@login_required
def submission_acknowledge_view(request, pk: int):
    submission = _submission_for_supervisor(request, pk)
    if request.method != "POST":
        return _back_to_received(request, submission)
    try:
        submission_acknowledge(user=request.user, submission=submission)
    except ValidationError as exc:
        context = _received_context(request, submission.to_union)
        context["problems"] = list(exc.messages)
        return render(request, "workflows/reports/received.html", context, status=409)
    except PermissionDenied:
        refuse(request, union=submission.to_union, reason="not a supervisor of this union", status=403)
    messages.success(request, _("“%(report)s” was acknowledged.") % {"report": submission.report.title})
    return _back_to_received(request, submission)


@login_required
def submission_return_view(request, pk: int):
    submission = _submission_for_supervisor(request, pk)
    if request.method != "POST":
        return _back_to_received(request, submission)
    form = SubmissionReturnForm(request.POST, auto_id=f"id_s{submission.pk}_%s")
    problems: list[str] = []
    status = 400
    if form.is_valid():
        try:
            submission_return(
                user=request.user, submission=submission, opinions=form.cleaned_data["opinions"]
            )
        except ValidationError as exc:
            problems = list(exc.messages)
            status = 409 if submission.state != SubmissionState.SUBMITTED else 400
        except PermissionDenied:
            refuse(request, union=submission.to_union, reason="not a supervisor of this union", status=403)
        else:
            messages.success(
                request,
                _("“%(report)s” was returned to %(union)s for correction.")
                % {"report": submission.report.title, "union": submission.report.union.name},
            )
            return _back_to_received(request, submission)
    else:
        problems = [
            _("“%(report)s”: %(problem)s") % {"report": submission.report.title, "problem": m}
            for errs in form.errors.values()
            for m in errs
        ]
    context = _received_context(request, submission.to_union, bound=(submission.pk, form))
    context["problems"] = problems
    return render(request, "workflows/reports/received.html", context, status=status)
