"""Budget adjustment pages (S3.4): the union's adjustments, start, edit the adjusted lines, submit,
withdraw, the document page with the diff by account code. Thin: parse input, call one service.

Access: officers of the union and supervisors above see every adjustment; participants (a body's
members, people copied) see what was put before them; everyone else gets 404.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess, union_access
from workflows import errors as spine_errors
from workflows.budget.diff import carryover_change, version_diff
from workflows.budget.forms import lines_initial
from workflows.budget.models import AccountKind, Budget, BudgetStatus
from workflows.budget.selectors import budget_visible_to, postable_chart
from workflows.document_pages import document_withdraw_action, trail_context
from workflows.models import DocumentType
from workflows.services.workitems import DocumentBusy
from workflows.trail import last_return
from workflows.visibility import document_visible, documents_for_union

from .forms import AdjustmentCreateForm, AdjustmentLinesForm
from .models import BudgetAdjustment
from .selectors import adjustment_rule_for, window_closes_at, window_last_day, window_open
from .services import (
    adjustment_create,
    adjustment_editable_by,
    adjustment_rule_errors,
    adjustment_save_lines,
    adjustment_submit,
    adjustment_withdraw,
)

VERB_LABELS = {
    "adjustment_created": gettext_lazy("started the adjustment"),
    "lapsed": gettext_lazy("lapsed: not approved by the end of the window"),
    "decision_refused": gettext_lazy("decision refused: the window had closed"),
    "submit_refused": gettext_lazy("submission refused: the window had closed"),
}


def _viewed(request, pk: int) -> tuple[BudgetAdjustment, UnionAccess]:
    adjustment = (
        BudgetAdjustment.objects.select_related(
            "union", "budget", "base_version", "current_version", "drafter", "process", "result_version"
        )
        .filter(pk=pk)
        .first()
    )
    if adjustment is None:
        raise Http404
    access = union_access(user=request.user, union=adjustment.union)
    visible = access.can_view_documents or document_visible(
        user=request.user, union=adjustment.union, process_id=adjustment.process_id
    )
    if not visible:
        refuse(request, union=adjustment.union, reason="adjustment not visible")
    return adjustment, access


def adjustment_for_viewer(request, pk: int) -> BudgetAdjustment:
    return _viewed(request, pk)[0]


@login_required
def adjustment_list(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    adjustments = documents_for_union(
        user=request.user,
        union=union,
        queryset=BudgetAdjustment.objects.filter(union=union).select_related("current_version"),
    ).order_by("-year", "-sequence", "-id")
    budgets = []
    if access.can_draft:
        for budget in Budget.objects.filter(union=union, status=BudgetStatus.IN_FORCE).order_by("-year"):
            budgets.append(
                {
                    "budget": budget,
                    "open": window_open(union=union, year=budget.year),
                    "last_day": window_last_day(union=union, year=budget.year),
                }
            )
    rule = adjustment_rule_for(union=union)
    return render(
        request,
        "budget_adjustment/list.html",
        {"union": union, "access": access, "adjustments": adjustments, "budgets": budgets, "rule": rule},
    )


@login_required
def adjustment_new(request, budget_pk: int):
    budget = Budget.objects.select_related("union", "current_version").filter(pk=budget_pk).first()
    if budget is None:
        raise Http404
    if not budget_visible_to(user=request.user, budget=budget):
        refuse(request, union=budget.union, reason="budget not visible")
    if not union_access(user=request.user, union=budget.union).can_draft:
        refuse(request, union=budget.union, reason="may not draft", status=403)
    form = AdjustmentCreateForm(request.POST or None)
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                adjustment = adjustment_create(
                    actor=request.user, budget=budget, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            except PermissionDenied:
                refuse(request, union=budget.union, reason="may not draft", status=403)
            else:
                messages.success(request, _("Adjustment started. Change the lines that need adjusting."))
                return redirect("budget_adjustment:edit", pk=adjustment.pk)
        else:
            problems = [_("Please correct the errors below.")]
    return render(
        request,
        "budget_adjustment/new.html",
        {
            "budget": budget,
            "union": budget.union,
            "form": form,
            "problems": problems,
            "last_day": window_last_day(union=budget.union, year=budget.year),
            "open": window_open(union=budget.union, year=budget.year),
        },
        status=400 if problems else 200,
    )


@login_required
def adjustment_edit(request, pk: int):
    adjustment = adjustment_for_viewer(request, pk)
    if not adjustment_editable_by(adjustment=adjustment, user=request.user):
        refuse(request, union=adjustment.union, reason="not editable", status=403)
    version = adjustment.current_version
    accounts = postable_chart()
    if request.method == "POST":
        form = AdjustmentLinesForm(request.POST, accounts=accounts)
    else:
        form = AdjustmentLinesForm(initial=lines_initial(version, reason=version.reason), accounts=accounts)
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                adjustment_save_lines(
                    actor=request.user,
                    adjustment=adjustment,
                    lines=form.lines(),
                    carryover=form.cleaned_data["carryover"],
                    carryover_is_estimate=form.cleaned_data["carryover_is_estimate"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            except DocumentBusy:
                problems = [str(spine_errors.LOCKED)]
            else:
                messages.success(request, _("Adjusted lines saved."))
                if "save_and_submit" in request.POST:
                    return redirect("budget_adjustment:submit", pk=adjustment.pk)
                return redirect("budget_adjustment:edit", pk=adjustment.pk)
        else:
            problems = [_("Please correct the errors below.")]
    base_amounts = {line.account_id: line.amount for line in adjustment.base_version.lines.all()}
    return render(
        request,
        "budget_adjustment/edit.html",
        {
            "adjustment": adjustment,
            "version": version,
            "form": form,
            "problems": problems,
            "base_amounts": base_amounts,
            "returned": last_return(document=adjustment),
        },
        status=400 if problems else 200,
    )


@login_required
def adjustment_submit_view(request, pk: int):
    adjustment = adjustment_for_viewer(request, pk)
    if not adjustment_editable_by(adjustment=adjustment, user=request.user):
        refuse(request, union=adjustment.union, reason="not the drafter's step", status=403)
    problems: list[str] = []
    if request.method == "POST":
        try:
            adjustment_submit(actor=request.user, adjustment=adjustment)
        except ValidationError as exc:
            problems = list(exc.messages)
        except DocumentBusy:
            problems = [str(spine_errors.LOCKED)]
        except PermissionDenied:
            refuse(request, union=adjustment.union, reason="not the drafter's step", status=403)
        else:
            messages.success(request, _("Submitted."))
            return redirect("budget_adjustment:detail", pk=adjustment.pk)
    adjustment.refresh_from_db()
    return render(
        request,
        "budget_adjustment/submit.html",
        {
            "adjustment": adjustment,
            "rule_problems": adjustment_rule_errors(adjustment=adjustment),
            "problems": problems,
            "diff": [
                c
                for c in version_diff(adjustment.base_version, adjustment.current_version)
                if c.change != "same"
            ],
            "base": adjustment.base_version,
            "version": adjustment.current_version,
        },
        status=400 if problems else 200,
    )


@login_required
@require_POST
def adjustment_withdraw_view(request, pk: int):
    adjustment = adjustment_for_viewer(request, pk)
    reason = request.POST.get("reason", "")[:500]
    return document_withdraw_action(
        request,
        document=adjustment,
        call=lambda: adjustment_withdraw(actor=request.user, adjustment=adjustment, reason=reason),
        done=_("The adjustment was withdrawn."),
        detail_url="budget_adjustment:detail",
        question=_("Withdraw this adjustment?"),
    )


def _totals(diff, kind_of: str, carryover) -> dict:
    """Income, expenditure and balance of one side of the diff ("old": the budget version in force,
    "new": the adjusted one)."""
    income = sum((getattr(c, kind_of) or 0 for c in diff if c.kind == AccountKind.INCOME), 0)
    expenditure = sum((getattr(c, kind_of) or 0 for c in diff if c.kind == AccountKind.EXPENDITURE), 0)
    return {
        "income": income,
        "expenditure": expenditure,
        "carryover": carryover,
        "balance": income + carryover - expenditure,
    }


def _changes(request, adjustment: BudgetAdjustment) -> dict:
    """The version asked for (the current one by default) against the budget version it adjusts."""
    versions = list(adjustment.versions.order_by("number"))
    shown = adjustment.current_version
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = next((v for v in versions if v.number == int(wanted)), shown)
    base = adjustment.base_version
    diff = version_diff(base, shown)
    return {
        "base": base,
        "version": shown,
        "versions": versions,
        "diff": diff,
        "changes": [c for c in diff if c.change != "same"],
        "carryover_diff": carryover_change(base, shown),
        "base_totals": _totals(diff, "old", base.carryover),
        "totals": _totals(diff, "new", shown.carryover),
    }


@login_required
def adjustment_detail(request, pk: int):
    adjustment, access = _viewed(request, pk)
    user = request.user
    context = trail_context(
        request,
        document=adjustment,
        document_type=DocumentType.BUDGET_ADJUSTMENT,
        access=access,
        verb_labels=VERB_LABELS,
    )
    # one read of the window's rule: it closes at 00:00 after its last day, in the union's time zone
    closes_at = window_closes_at(union=adjustment.union, year=adjustment.year)
    budget_visible = access.can_view_documents or budget_visible_to(user=user, budget=adjustment.budget)
    context.update(_changes(request, adjustment))
    context.update(
        adjustment=adjustment,
        budget=adjustment.budget,
        rule_problems=adjustment_rule_errors(adjustment=adjustment) if adjustment.is_open else [],
        last_day=timezone.localtime(closes_at, adjustment.union.tz).date() - datetime.timedelta(days=1),
        window_open=timezone.now() < closes_at,
        can_edit=context["trail"].editable_by(user),
        can_withdraw=user.pk == adjustment.drafter_id and not adjustment.decided and adjustment.is_open,
        read_only_participant=not access.can_view_documents,
        not_visible_budget=not budget_visible,
    )
    return render(request, "budget_adjustment/detail.html", context)
