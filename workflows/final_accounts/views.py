"""Final accounts pages (S3.5): a union's final accounts, start one (lines from the year's budget in
force), enter the actual amounts (form or .xlsx upload, template download), submit, withdraw, the
document page, and the fund audit committee's audit report.

Access: whoever may not see the union or the document gets 404 (core.http.refuse logs it); supervisors
above and participants read it; only the drafter edits and submits at the drafter's step; only the
audit committee's recorders attach the audit report while it audits (403 for others who may see it).
The committee's and the congress's decisions are recorded on the generic meeting / written-decision
pages; the congress decides the final accounts through the report on budget and final accounts.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess, union_access
from workflows import errors as spine_errors
from workflows.budget.actuals import ActualsImportError, actuals_template, budget_lines, parse_actuals
from workflows.budget.models import AccountKind, Budget, BudgetStatus
from workflows.document_pages import document_action, document_withdraw_action, trail_context
from workflows.expenditure.selectors import mark_against_ledger
from workflows.models import DocumentType
from workflows.reports.models import CongressReport, ReportBinding
from workflows.services.workitems import DocumentBusy
from workflows.trail import last_return

from .forms import ActualsUploadForm, AuditReportForm, FinalAccountsCreateForm, FinalAccountsEditForm
from .models import FinalAccounts, FinalAccountsStatus
from .selectors import final_accounts_for_union, final_accounts_visible_to, ledger_paid
from .services import (
    AUDIT_REPORT_NOTE,
    audit_report_attach,
    audit_report_may_attach,
    final_accounts_create,
    final_accounts_editable_by,
    final_accounts_rule_errors,
    final_accounts_save,
    final_accounts_submit,
    final_accounts_take_paid,
    final_accounts_withdraw,
    version_lines,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

VERB_LABELS = {
    "final_accounts_created": gettext_lazy("started the final accounts"),
    "actuals_saved": gettext_lazy("saved the actual amounts"),
    "audit_report_attached": gettext_lazy("attached the audit report"),
    "final_accounts_audited": gettext_lazy("audited: the closing balance is audited"),
}


def _viewed(request, pk: int) -> tuple[FinalAccounts, UnionAccess]:
    final_accounts = (
        FinalAccounts.objects.select_related("union", "current_version", "drafter", "process", "budget")
        .filter(pk=pk)
        .first()
    )
    if final_accounts is None:
        raise Http404
    access = union_access(user=request.user, union=final_accounts.union)
    visible = access.can_view_documents or final_accounts_visible_to(
        user=request.user, final_accounts=final_accounts
    )
    if not visible:
        refuse(request, union=final_accounts.union, reason="final accounts not visible")
    return final_accounts, access


def final_accounts_for_viewer(request, pk: int) -> FinalAccounts:
    return _viewed(request, pk)[0]


def _editable(request, final_accounts: FinalAccounts) -> None:
    if not final_accounts_editable_by(final_accounts=final_accounts, user=request.user):
        refuse(request, union=final_accounts.union, reason="not the drafter's step", status=403)


# --- list and start -------------------------------------------------------------------------------


@login_required
def final_accounts_list(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    documents = list(final_accounts_for_union(user=request.user, union=union))
    return render(
        request,
        "final_accounts/list.html",
        {"union": union, "access": access, "documents": documents},
    )


def _years_with_budget(union) -> list[int]:
    taken = set(
        FinalAccounts.objects.filter(union=union)
        .exclude(status=FinalAccountsStatus.WITHDRAWN)
        .values_list("year", flat=True)
    )
    years = Budget.objects.filter(union=union, status=BudgetStatus.IN_FORCE).values_list("year", flat=True)
    return sorted({y for y in years if y not in taken}, reverse=True)


@login_required
def final_accounts_new(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not draft", status=403)
    years = _years_with_budget(union)
    form = FinalAccountsCreateForm(request.POST or None, years=years)
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                final_accounts = final_accounts_create(
                    actor=request.user,
                    union=union,
                    year=form.cleaned_data["year"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            except PermissionDenied:
                refuse(request, union=union, reason="may not draft", status=403)
            else:
                messages.success(request, _("Final accounts started. Enter the actual amounts."))
                return redirect("final_accounts:edit", pk=final_accounts.pk)
        else:
            problems = [_("Please correct the errors below.")]
    return render(
        request,
        "final_accounts/new.html",
        {"union": union, "form": form, "years": years, "problems": problems},
        status=400 if problems else 200,
    )


# --- actual amounts -------------------------------------------------------------------------------


def _edit_form(final_accounts: FinalAccounts, data=None) -> FinalAccountsEditForm:
    version = final_accounts.current_version
    lines = version_lines(version)
    initial = {f"actual_{line.account_id}": f"{line.actual:.2f}" for line in lines if line.actual is not None}
    initial.update({"carryover": f"{version.carryover:.2f}", "note": version.note})
    # the form's lines are the budget lines of the year; the final accounts copied them at the start
    return FinalAccountsEditForm(data, lines=budget_lines(final_accounts.budget_version), initial=initial)


def _render_edit(request, final_accounts, form, upload_form, problems, status):
    return render(
        request,
        "final_accounts/edit.html",
        {
            "final_accounts": final_accounts,
            "union": final_accounts.union,
            "version": final_accounts.current_version,
            "form": form,
            "upload_form": upload_form,
            "problems": problems,
            "returned": last_return(document=final_accounts),
            "ledger_has_paid": bool(ledger_paid(final_accounts)),
        },
        status=status,
    )


@login_required
def final_accounts_edit(request, pk: int):
    """Enter the actual amounts per budget line, or upload the filled-in template; nothing is saved
    unless every figure is right, and what was typed stays on the page."""
    final_accounts = final_accounts_for_viewer(request, pk)
    _editable(request, final_accounts)
    if request.method != "POST":
        return _render_edit(request, final_accounts, _edit_form(final_accounts), ActualsUploadForm(), [], 200)
    if "upload" in request.POST:
        return _upload(request, final_accounts)
    form = _edit_form(final_accounts, request.POST)
    problems: list[str] = []
    status = 400
    if form.is_valid():
        try:
            final_accounts_save(
                actor=request.user,
                final_accounts=final_accounts,
                actuals=form.actuals(),
                carryover=form.cleaned_data["carryover"],
                note=form.cleaned_data["note"],
            )
            if "save_and_submit" in request.POST:
                final_accounts_submit(actor=request.user, final_accounts=final_accounts)
        except ValidationError as exc:
            problems = list(exc.messages)
        except DocumentBusy:
            problems, status = [str(spine_errors.LOCKED)], 409
        except PermissionDenied:
            refuse(request, union=final_accounts.union, reason="not editable", status=403)
        else:
            if "save_and_submit" in request.POST:
                messages.success(request, _("The final accounts were submitted to the fund audit committee."))
                return redirect("final_accounts:detail", pk=final_accounts.pk)
            messages.success(request, _("The actual amounts were saved."))
            return redirect("final_accounts:edit", pk=final_accounts.pk)
    else:
        problems = [_("Some figures need correcting; they are marked below. Nothing you typed was lost.")]
    final_accounts.refresh_from_db()
    return _render_edit(request, final_accounts, form, ActualsUploadForm(), problems, status)


def _upload(request, final_accounts: FinalAccounts):
    upload_form = ActualsUploadForm(request.POST, request.FILES)
    problems: list[str] = []
    status = 400
    if upload_form.is_valid():
        try:
            actuals = parse_actuals(upload_form.cleaned_data["file"], version=final_accounts.budget_version)
            final_accounts_save(
                actor=request.user, final_accounts=final_accounts, actuals=actuals, source="xlsx"
            )
        except ActualsImportError as exc:
            problems = [_("Nothing was imported. Correct the file and upload it again:"), *exc.errors]
        except ValidationError as exc:
            problems = list(exc.messages)
        except DocumentBusy:
            problems, status = [str(spine_errors.LOCKED)], 409
        except PermissionDenied:
            refuse(request, union=final_accounts.union, reason="not editable", status=403)
        else:
            messages.success(request, _("The actual amounts were imported from the file."))
            return redirect("final_accounts:edit", pk=final_accounts.pk)
    else:
        problems = [m for errs in upload_form.errors.values() for m in errs]
    return _render_edit(request, final_accounts, _edit_form(final_accounts), upload_form, problems, status)


@login_required
@require_POST
def final_accounts_take_paid_view(request, pk: int):
    """Fill the expenditure lines' actual amounts with what the expenditure ledger paid (issue 26)."""
    final_accounts = final_accounts_for_viewer(request, pk)
    _editable(request, final_accounts)
    try:
        final_accounts_take_paid(actor=request.user, final_accounts=final_accounts)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except DocumentBusy:
        messages.error(request, spine_errors.LOCKED)
    except PermissionDenied:
        refuse(request, union=final_accounts.union, reason="not editable", status=403)
    else:
        messages.success(request, _("The expenditure lines now show the amounts paid from the ledger."))
        return redirect("final_accounts:detail", pk=final_accounts.pk)
    return redirect("final_accounts:edit", pk=final_accounts.pk)


@login_required
def final_accounts_template(request, pk: int):
    """The .xlsx to fill in: every line of the year's budget with its budgeted amount."""
    final_accounts = final_accounts_for_viewer(request, pk)
    title = f"{final_accounts.union.name}{final_accounts.year}年度经费收支决算（实际数）"
    response = HttpResponse(
        actuals_template(version=final_accounts.budget_version, title=title), content_type=XLSX
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title + '.xlsx')}"
    return response


@login_required
@require_POST
def final_accounts_submit_view(request, pk: int):
    final_accounts = final_accounts_for_viewer(request, pk)
    _editable(request, final_accounts)
    return document_action(
        request,
        document=final_accounts,
        call=lambda: final_accounts_submit(actor=request.user, final_accounts=final_accounts),
        done=_("Submitted."),
        detail_url="final_accounts:detail",
        refusal="not the drafter's step",
    )


@login_required
@require_POST
def final_accounts_withdraw_view(request, pk: int):
    final_accounts = final_accounts_for_viewer(request, pk)
    reason = request.POST.get("reason", "")[:500]
    return document_withdraw_action(
        request,
        document=final_accounts,
        call=lambda: final_accounts_withdraw(
            actor=request.user, final_accounts=final_accounts, reason=reason
        ),
        done=_("The final accounts were withdrawn."),
        detail_url="final_accounts:detail",
        question=_("Withdraw these final accounts?"),
    )


@login_required
@require_POST
def audit_report_upload(request, pk: int):
    """The fund audit committee attaches its audit report while it audits (S3.5)."""
    final_accounts = final_accounts_for_viewer(request, pk)
    if not audit_report_may_attach(user=request.user, final_accounts=final_accounts):
        refuse(request, union=final_accounts.union, reason="not the audit committee's recorder", status=403)
    form = AuditReportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            audit_report_attach(
                actor=request.user,
                final_accounts=final_accounts,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            refuse(
                request, union=final_accounts.union, reason="not the audit committee's recorder", status=403
            )
        else:
            messages.success(request, _("The audit report was attached."))
    else:
        for errs in form.errors.values():
            for message in errs:
                messages.error(request, message)
    return redirect("final_accounts:detail", pk=final_accounts.pk)


# --- the document page ----------------------------------------------------------------------------


def _finance_reports(final_accounts: FinalAccounts) -> list[CongressReport]:
    report_ids = ReportBinding.objects.filter(
        document_type=DocumentType.FINAL_ACCOUNTS, document_id=final_accounts.pk
    ).values_list("version__report_id", flat=True)
    return list(CongressReport.objects.filter(pk__in=report_ids).order_by("-id"))


def _amounts(request, final_accounts: FinalAccounts) -> dict:
    """The version asked for (the current one by default) with its budgeted and actual amounts."""
    versions = list(final_accounts.versions.order_by("number"))
    shown = final_accounts.current_version
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = next((v for v in versions if v.number == int(wanted)), shown)
    lines = version_lines(shown)
    paid = ledger_paid(final_accounts)
    # where the union pays through Wuyi, typed or imported actuals are shown beside the ledger (issue 26)
    differing = mark_against_ledger(lines, paid) if paid else 0
    income_lines = [ln for ln in lines if ln.account.kind == AccountKind.INCOME]
    expenditure_lines = [ln for ln in lines if ln.account.kind == AccountKind.EXPENDITURE]
    income = sum((ln.actual or 0 for ln in income_lines), 0)
    expenditure = sum((ln.actual or 0 for ln in expenditure_lines), 0)
    return {
        "version": shown,
        "versions": versions,
        "income_lines": income_lines,
        "expenditure_lines": expenditure_lines,
        "budgeted_income": sum((ln.budgeted for ln in income_lines), 0),
        "budgeted_expenditure": sum((ln.budgeted for ln in expenditure_lines), 0),
        "income": income,
        "expenditure": expenditure,
        "closing": shown.carryover + income - expenditure,
        "ledger_in_use": bool(paid),
        "ledger_differing": differing,
        "ledger_paid_total": sum((ln.ledger_paid for ln in expenditure_lines), 0) if paid else None,
    }


@login_required
def final_accounts_detail(request, pk: int):
    final_accounts, access = _viewed(request, pk)
    user = request.user
    context = trail_context(
        request,
        document=final_accounts,
        document_type=DocumentType.FINAL_ACCOUNTS,
        access=access,
        verb_labels=VERB_LABELS,
    )
    trail = context["trail"]
    at_audit = "audit_review" in trail.open_steps
    can_edit = trail.editable_by(user)
    context.update(_amounts(request, final_accounts))
    context.update(
        final_accounts=final_accounts,
        audit_reports=[a for a in trail.attachments if a.note == AUDIT_REPORT_NOTE],
        # as audit_report_may_attach decides: a recorder of the fund audit committee while it audits
        can_attach_audit_report=any(
            row["records"] for row in context["who_acts"] if row["item"].step == "audit_review"
        ),
        at_audit=at_audit,
        can_edit=can_edit,
        submit_problems=final_accounts_rule_errors(final_accounts=final_accounts) if can_edit else [],
        can_withdraw=user.pk == final_accounts.drafter_id
        and not final_accounts.decided
        and final_accounts.status not in (FinalAccountsStatus.IN_FORCE, FinalAccountsStatus.WITHDRAWN),
        finance_reports=_finance_reports(final_accounts),
        read_only_participant=not access.can_view_documents,
    )
    return render(request, "final_accounts/detail.html", context)
