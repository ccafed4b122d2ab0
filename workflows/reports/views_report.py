"""The work report's (S2.3) and the report on budget and final accounts' (S3.5) pages: start either
from the documents it binds, edit it, put it before the congress, submit it upward, correct and
resubmit it after a return, and its page. Access as described in views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.confirm import confirmation_page, confirmed
from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess
from workflows import errors
from workflows.models import DocumentType, WorkItem, WorkItemState
from workflows.services.workitems import DocumentBusy, user_may_act

from .finance_report import finance_report_create
from .forms import (
    FinanceReportCreateForm,
    ReportEditForm,
    ResubmitForm,
    WorkReportCreateForm,
    default_report_year,
)
from .models import CongressReport, ReportKind, ReportStatus, SubmissionState
from .selectors import KIND_OBLIGATION, bound_documents
from .services import (
    report_receivers,
    report_resubmit,
    report_submit_upward,
    work_report_create,
    work_report_rule_errors,
    work_report_save,
    work_report_submit,
)
from .views import TextEdit, document_context, editable, prefill_year, report_for_viewer, text_edit_page


def _start(request, union_pk: int, *, form_class, create, started: str, initial: dict, template: str):
    """A page that starts a report from the documents it binds (create raises ValidationError)."""
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not draft", status=403)
    problems: list[str] = []
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            text = form.cleaned_data["text"]
            try:
                report = create(
                    actor=request.user,
                    union=union,
                    year=form.cleaned_data["year"],
                    text=text.strip() and text,
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            except PermissionDenied:
                refuse(request, union=union, reason="may not draft", status=403)
            else:
                messages.success(request, started)
                return redirect("reports:report_detail", pk=report.pk)
        else:
            problems = [_("Please correct the errors below.")]
    else:
        form = form_class(initial=initial)
    return render(
        request,
        template,
        {"union": union, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


@login_required
def report_new(request, union_pk: int):
    """Merge the year's acknowledged summary and next year's plan into the work report (S2.3)."""
    return _start(
        request,
        union_pk,
        form_class=WorkReportCreateForm,
        create=work_report_create,
        started=_(
            "Work report started from the summary and next year's plan. "
            "Check it, then submit it to the congress."
        ),
        initial={"year": default_report_year()},
        template="workflows/reports/report_new.html",
    )


@login_required
def finance_report_new(request, union_pk: int):
    """Merge the year's audited final accounts and next year's budget into the report on budget and
    final accounts (S3.5)."""
    return _start(
        request,
        union_pk,
        form_class=FinanceReportCreateForm,
        create=finance_report_create,
        started=_(
            "Report started from the audited final accounts and next year's budget. "
            "Check it, then submit it to the congress."
        ),
        initial={"year": prefill_year(request.GET.get("year"))},
        template="workflows/reports/finance_report_new.html",
    )


def _report_context(request, report: CongressReport, access: UnionAccess) -> dict:
    user = request.user
    finance = report.kind == ReportKind.FINANCE_REPORT
    document_type = DocumentType.FINANCE_REPORT if finance else DocumentType.WORK_REPORT
    context = document_context(request, report, document_type, access)
    upward_item = next((i for i in context["open_items"] if i.step == "submit_upward"), None)
    submissions = list(
        report.submissions.select_related("to_union", "version", "submitted_by", "acted_by").order_by(
            "-submitted_at", "-id"
        )
    )
    correction = report.status == ReportStatus.CORRECTION
    context.update(
        report=report,
        bound=bound_documents(version=context["version"]),
        submissions=submissions,
        submit_problems=work_report_rule_errors(report) if context["can_edit"] else [],
        # the clause the report's rules stand on, for the 依据 tooltip beside them
        rule_code=KIND_OBLIGATION[report.kind],
        can_submit_upward=upward_item is not None and user_may_act(user=user, work_item=upward_item),
        can_resubmit=correction and user.pk == report.drafter_id,
        returned=next((s for s in submissions if s.state == SubmissionState.RETURNED), None)
        if correction
        else None,
    )
    return context


@login_required
def report_detail(request, pk: int):
    report, access = report_for_viewer(request, pk)
    return render(request, "workflows/reports/report_detail.html", _report_context(request, report, access))


REPORT_EDIT = TextEdit(
    form=ReportEditForm,
    save=lambda actor, report, text: work_report_save(actor=actor, report=report, text=text),
    submit=lambda actor, report: work_report_submit(actor=actor, report=report),
    saved=gettext_lazy("The report was saved."),
    submitted=gettext_lazy("The work report was put before the congress."),
    detail_url="reports:report_detail",
    edit_url="reports:report_edit",
    template="workflows/reports/report_edit.html",
    name="report",
)


@login_required
def report_edit(request, pk: int):
    report, _access = report_for_viewer(request, pk)
    editable(request, report)
    return text_edit_page(request, report, REPORT_EDIT)


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
    editable(request, report)
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
    if not confirmed(request):
        return _submit_upward_question(request, report)
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


def _submit_upward_question(request, report: CongressReport):
    """报送 asks first: once submitted, the version sent cannot be changed unless it is returned."""
    names = "、".join(union.name for union in report_receivers(report))
    return confirmation_page(
        request,
        question=_("Submit “%(title)s” to %(unions)s?") % {"title": report.title, "unions": names},
        details=[
            _(
                "Version %(number)s is sent. It cannot be changed afterwards unless the upper-level "
                "union returns it for correction."
            )
            % {"number": report.current_version.number}
        ],
        answer=_("Submit to the upper-level union"),
        cancel_url=reverse("reports:report_detail", args=[report.pk]),
    )


@login_required
def report_resubmit_view(request, pk: int):
    """After a return by the upper-level union: the corrected text, a new version, submitted again."""
    report, _access = report_for_viewer(request, pk)
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
