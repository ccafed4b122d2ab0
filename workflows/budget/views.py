"""Budget pages: the union's budgets, create, edit lines, submit, withdraw, the document page, export."""

from __future__ import annotations

import datetime
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess, union_access
from core.services.events import event_record
from workflows import errors
from workflows.document_pages import document_withdraw_action, trail_context
from workflows.models import Attachment, DocumentType, WorkItem, WorkItemState
from workflows.recipients import opinion_recipient_choices
from workflows.services.workitems import DocumentBusy
from workflows.trail import last_return

from .diff import carryover_change, version_diff
from .forms import AttachmentForm, BudgetCreateForm, BudgetLinesForm, SubmitForm, lines_initial
from .models import AccountKind, Budget, BudgetStatus
from .selectors import budget_visible_to, budgets_for_union, postable_chart
from .services import (
    budget_create,
    budget_editable_by,
    budget_rule_errors,
    budget_save_lines,
    budget_submit,
    budget_withdraw,
)
from .xlsx import budget_to_xlsx, title_for


def _budget_viewed(request, pk: int) -> tuple[Budget, UnionAccess]:
    budget = (
        Budget.objects.select_related("union", "current_version", "drafter", "process").filter(pk=pk).first()
    )
    if budget is None:
        raise Http404
    access = union_access(user=request.user, union=budget.union)
    if not (access.can_view_documents or budget_visible_to(user=request.user, budget=budget)):
        refuse(request, union=budget.union, reason="budget not visible")
    return budget, access


def budget_for_viewer(request, pk: int) -> Budget:
    return _budget_viewed(request, pk)[0]


def _error_messages(exc: ValidationError) -> list[str]:
    return list(exc.messages)


@login_required
def budget_list(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    budgets = budgets_for_union(user=request.user, union=union)
    return render(
        request,
        "workflows/budget/list.html",
        {"union": union, "access": access, "budgets": budgets},
    )


@login_required
def budget_new(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not draft", status=403)
    form = BudgetCreateForm(request.POST or None, union=union)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            budget = budget_create(
                actor=request.user,
                union=union,
                year=data["year"],
                carryover=data["carryover"],
                carryover_is_estimate=data["carryover_is_estimate"],
                note=data["note"],
            )
        except ValidationError as exc:
            problems = _error_messages(exc)
        else:
            messages.success(request, _("Budget started. Enter its lines."))
            return redirect("budget:edit", pk=budget.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workflows/budget/new.html",
        {"union": union, "form": form, "problems": problems},
        status=status,
    )


@login_required
def budget_edit(request, pk: int):
    budget = budget_for_viewer(request, pk)
    if not budget_editable_by(budget=budget, user=request.user):
        refuse(request, union=budget.union, reason="not editable", status=403)
    version = budget.current_version
    accounts = postable_chart()
    if request.method == "POST":
        form = BudgetLinesForm(request.POST, accounts=accounts)
    else:
        form = BudgetLinesForm(initial=lines_initial(version, note=version.note), accounts=accounts)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            budget_save_lines(
                actor=request.user,
                budget=budget,
                lines=form.lines(),
                carryover=form.cleaned_data["carryover"],
                carryover_is_estimate=form.cleaned_data["carryover_is_estimate"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            problems = _error_messages(exc)
        except DocumentBusy:
            problems = [str(errors.LOCKED)]
        else:
            messages.success(request, _("Budget lines saved."))
            if "save_and_submit" in request.POST:
                return redirect("budget:submit", pk=budget.pk)
            return redirect("budget:edit", pk=budget.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workflows/budget/edit.html",
        {
            "budget": budget,
            "version": version,
            "form": form,
            "problems": problems,
            "returned": last_return(document=budget),
        },
        status=status,
    )


@login_required
def budget_submit_view(request, pk: int):
    budget = budget_for_viewer(request, pk)
    if not budget_editable_by(budget=budget, user=request.user):
        refuse(request, union=budget.union, reason="not the drafter's step", status=403)
    item = (
        WorkItem.objects.filter(process=budget.process, state=WorkItemState.OPEN, assignee=request.user)
        .order_by("-id")
        .first()
    )
    needs_recipients = item is not None and item.step == "draft"
    choices, options = opinion_recipient_choices(budget.union) if needs_recipients else ([], {})
    form = SubmitForm(request.POST or None, choices=choices, needs_recipients=needs_recipients)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        recipients = [options[key] for key in form.cleaned_data.get("recipients") or []]
        due = form.cleaned_data.get("due_date")
        due_at = (
            timezone.make_aware(datetime.datetime.combine(due, datetime.time(23, 59, 59)), budget.union.tz)
            if due
            else None
        )
        try:
            budget_submit(actor=request.user, budget=budget, recipients=recipients, due_at=due_at)
        except ValidationError as exc:
            problems = _error_messages(exc)
        except DocumentBusy:
            problems = [str(errors.LOCKED)]
        else:
            messages.success(request, _("Submitted."))
            return redirect("budget:detail", pk=budget.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workflows/budget/submit.html",
        {
            "budget": budget,
            "item": item,
            "form": form,
            "needs_recipients": needs_recipients,
            # the checks the page shows (a submit checks them again under the lock)
            "rule_problems": budget_rule_errors(version=budget.current_version, budget=budget),
            "problems": problems,
        },
        status=status,
    )


@login_required
@require_POST
def budget_withdraw_view(request, pk: int):
    budget = budget_for_viewer(request, pk)
    reason = request.POST.get("reason", "")[:500]
    return document_withdraw_action(
        request,
        document=budget,
        call=lambda: budget_withdraw(actor=request.user, budget=budget, reason=reason),
        done=_("The budget was withdrawn."),
        detail_url="budget:detail",
        question=_("Withdraw this budget?"),
    )


def _versions_shown(request, budget: Budget) -> dict:
    """The version asked for (the current one by default), the one before it, and its lines."""
    current = budget.current_version
    # versions are numbered from 1 and the current one is the newest: a first version is the only one
    versions = list(budget.versions.order_by("number")) if current.number > 1 else [current]
    shown = current
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = next((v for v in versions if v.number == int(wanted)), shown)
    previous = next((v for v in versions if v.number == shown.number - 1), None)
    lines = list(shown.lines.select_related("account").order_by("account_id"))
    income_lines = [ln for ln in lines if ln.account.kind == AccountKind.INCOME]
    expenditure_lines = [ln for ln in lines if ln.account.kind == AccountKind.EXPENDITURE]
    income = sum((ln.amount for ln in income_lines), 0)
    expenditure = sum((ln.amount for ln in expenditure_lines), 0)
    return {
        "version": shown,
        "versions": versions,
        "previous": previous,
        "income_lines": income_lines,
        "expenditure_lines": expenditure_lines,
        "income": income,
        "expenditure": expenditure,
        "balance": income + shown.carryover - expenditure,
        "diff": version_diff(previous, shown) if previous else None,
        "carryover_diff": carryover_change(previous, shown) if previous else None,
    }


@login_required
def budget_detail(request, pk: int):
    budget, access = _budget_viewed(request, pk)
    context = trail_context(request, document=budget, document_type=DocumentType.BUDGET, access=access)
    trail = context["trail"]
    in_force = budget.status == BudgetStatus.IN_FORCE
    context.update(_versions_shown(request, budget))
    context.update(
        budget=budget,
        can_edit=trail.editable_by(request.user),
        can_withdraw=request.user.pk == budget.drafter_id
        and not budget.decided
        and budget.status not in (BudgetStatus.IN_FORCE, BudgetStatus.WITHDRAWN),
        attach_url=reverse("budget:attach", args=[budget.pk]),
        can_attach=access.is_officer,
        # S3.4: a budget in force is adjusted from its own page (the window is checked on start).
        can_adjust=in_force and access.can_draft,
        read_only_participant=not access.can_view_documents,
    )
    return render(request, "workflows/budget/detail.html", context)


@login_required
@require_POST
def budget_attach(request, pk: int):
    budget, access = _budget_viewed(request, pk)
    if not access.is_officer:
        refuse(request, union=budget.union, reason="may not attach", status=403)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        Attachment.objects.create(
            union=budget.union,
            document_type=DocumentType.BUDGET,
            document_id=budget.pk,
            file=upload,
            name=upload.name[:200],
            size=upload.size,
            uploaded_by=request.user,
            note=form.cleaned_data["note"],
        )
        event_record(
            verb="attachment_added",
            actor=request.user,
            subject=budget,
            union=budget.union,
            detail={"name": upload.name[:200], "size": upload.size},
        )
        messages.success(request, _("Attachment added."))
    else:
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
    return redirect("budget:detail", pk=budget.pk)


@login_required
def budget_export(request, pk: int):
    budget = budget_for_viewer(request, pk)
    version = budget.current_version
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        version = budget.versions.filter(number=int(wanted)).first() or version
    content = budget_to_xlsx(version)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = quote(f"{title_for(version)}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
