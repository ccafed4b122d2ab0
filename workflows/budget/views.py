"""Budget pages: the union's budgets, create, edit lines, submit, withdraw, the document page, export."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.models import Event
from core.selectors import union_access
from workflows import errors
from workflows.models import (
    Attachment,
    Comment,
    CopyTo,
    DocumentType,
    MeetingItem,
    OpinionRequest,
    WorkItem,
    WorkItemState,
    WrittenDecision,
)
from workflows.services.workitems import DocumentBusy
from workflows.views_actions import CopyToForm, comment_form_for, may_copy, who_acts_rows

from .diff import carryover_change, version_diff
from .flows import CHAIN, STEPS
from .forms import AttachmentForm, BudgetCreateForm, BudgetLinesForm, SubmitForm
from .models import Account, AccountKind, Budget, BudgetStatus
from .selectors import budget_visible_to, budgets_for_union
from .services import (
    budget_create,
    budget_editable_by,
    budget_rule_errors,
    budget_save_lines,
    budget_submit,
    budget_withdraw,
)
from .xlsx import budget_to_xlsx, title_for


def budget_for_viewer(request, pk: int) -> Budget:
    budget = (
        Budget.objects.select_related("union", "current_version", "drafter", "process").filter(pk=pk).first()
    )
    if budget is None:
        raise Http404
    if not budget_visible_to(user=request.user, budget=budget):
        refuse(request, union=budget.union, reason="budget not visible")
    return budget


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
    form = BudgetCreateForm(request.POST or None)
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


def _chart() -> list[Account]:
    return list(
        Account.objects.filter(
            postable=True, kind__in=[AccountKind.INCOME, AccountKind.EXPENDITURE]
        ).order_by("code")
    )


@login_required
def budget_edit(request, pk: int):
    budget = budget_for_viewer(request, pk)
    if not budget_editable_by(budget=budget, user=request.user):
        refuse(request, union=budget.union, reason="not editable", status=403)
    version = budget.current_version
    accounts = _chart()
    if request.method == "POST":
        form = BudgetLinesForm(request.POST, accounts=accounts)
    else:
        initial = {
            "carryover": f"{version.carryover:.2f}",
            "carryover_is_estimate": version.carryover_is_estimate,
            "note": version.note,
        }
        for line in version.lines.all():
            initial[f"amount_{line.account_id}"] = f"{line.amount:.2f}"
            initial[f"remark_{line.account_id}"] = line.remark
        form = BudgetLinesForm(initial=initial, accounts=accounts)
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
        {"budget": budget, "version": version, "form": form, "problems": problems},
        status=status,
    )


def _recipient_choices(budget: Budget):
    from workflows.recipients import opinion_recipient_choices

    return opinion_recipient_choices(budget.union)


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
    choices, options = _recipient_choices(budget) if needs_recipients else ([], {})
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
    try:
        budget_withdraw(actor=request.user, budget=budget, reason=request.POST.get("reason", "")[:500])
    except PermissionDenied:
        refuse(request, union=budget.union, reason="may not withdraw", status=403)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except DocumentBusy:
        messages.error(request, errors.LOCKED)
    else:
        messages.success(request, _("The budget was withdrawn."))
    return redirect("budget:detail", pk=budget.pk)


def _chain_states(budget: Budget, done_steps: set[str], open_steps: set[str]) -> list[dict]:
    rows = []
    for step in CHAIN:
        if step in open_steps:
            state = "current"
        elif step in done_steps or budget.status == BudgetStatus.IN_FORCE:
            state = "done"
        else:
            state = "pending"
        rows.append({"step": step, "title": STEPS[step].title, "state": state})
    rows.append(
        {
            "step": "in_force",
            "title": BudgetStatus.IN_FORCE.label,
            "state": "done" if budget.status == BudgetStatus.IN_FORCE else "pending",
        }
    )
    return rows


@login_required
def budget_detail(request, pk: int):
    budget = budget_for_viewer(request, pk)
    versions = list(budget.versions.order_by("number"))
    shown = budget.current_version
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = next((v for v in versions if v.number == int(wanted)), shown)
    previous = next((v for v in versions if v.number == shown.number - 1), None)
    lines = list(shown.lines.select_related("account").order_by("account_id"))
    income = sum((ln.amount for ln in lines if ln.account.kind == AccountKind.INCOME), 0)
    expenditure = sum((ln.amount for ln in lines if ln.account.kind == AccountKind.EXPENDITURE), 0)
    items = list(
        WorkItem.objects.filter(process=budget.process)
        .select_related("assignee", "body", "finished_by")
        .order_by("id")
    )
    open_items = [i for i in items if i.state == WorkItemState.OPEN]
    done_steps = {i.step for i in items if i.state == WorkItemState.DONE}
    opinions = list(
        OpinionRequest.objects.filter(process=budget.process)
        .select_related("recipient", "on_behalf_of")
        .order_by("round", "id")
    )
    meeting_items = list(
        MeetingItem.objects.filter(work_item__process=budget.process)
        .select_related("meeting__body", "work_item")
        .prefetch_related("meeting__attachments")
        .order_by("meeting__held_on", "id")
    )
    written = list(
        WrittenDecision.objects.filter(work_item__process=budget.process)
        .select_related("body", "work_item")
        .prefetch_related("attachments")
    )
    history = list(
        Event.objects.filter(subject_type="budget.budget", subject_id=str(budget.pk))
        .select_related("actor")
        .order_by("created_at", "id")
    )
    attachments = list(
        Attachment.objects.filter(document_type=DocumentType.BUDGET, document_id=budget.pk).order_by(
            "uploaded_at"
        )
    )
    access = union_access(user=request.user, union=budget.union)
    context = {
        "budget": budget,
        "union": budget.union,
        "version": shown,
        "versions": versions,
        "lines": lines,
        "income_lines": [ln for ln in lines if ln.account.kind == AccountKind.INCOME],
        "expenditure_lines": [ln for ln in lines if ln.account.kind == AccountKind.EXPENDITURE],
        "income": income,
        "expenditure": expenditure,
        "balance": income + shown.carryover - expenditure,
        "diff": version_diff(previous, shown) if previous else None,
        "carryover_diff": carryover_change(previous, shown) if previous else None,
        "previous": previous,
        "chain": _chain_states(budget, done_steps, {i.step for i in open_items}),
        "open_items": open_items,
        "opinions": opinions,
        "meeting_items": meeting_items,
        "written": written,
        "history": history,
        "attachments": attachments,
        "can_edit": budget_editable_by(budget=budget, user=request.user),
        "can_withdraw": request.user.pk == budget.drafter_id
        and not budget.decided
        and budget.status not in (BudgetStatus.IN_FORCE, BudgetStatus.WITHDRAWN),
        "can_attach": access.is_officer,
        # S3.4: a budget in force is adjusted from its own page (the window is checked on start).
        "can_adjust": budget.status == BudgetStatus.IN_FORCE and access.can_draft,
        "attachment_form": AttachmentForm(),
        "read_only_participant": not access.can_view_documents,
    }
    context.update(_task_actions_context(request, budget, open_items))
    return render(request, "workflows/budget/detail.html", context)


def _task_actions_context(request, budget: Budget, open_items: list[WorkItem]) -> dict:
    """Issue 5 on the document page: who-acts rows with their actions, comments, copy to (抄送)."""
    user = request.user
    rows = who_acts_rows(user=user, document=budget, open_items=open_items)
    comments = list(
        Comment.objects.filter(document_type=DocumentType.BUDGET, document_id=budget.pk)
        .select_related("author", "work_item")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    can_copy = may_copy(user=user, document=budget)
    copies = (
        list(
            CopyTo.objects.filter(process_id=budget.process_id)
            .select_related("person")
            .order_by("created_at")
        )
        if budget.process_id
        else []
    )
    return {
        "who_acts": rows,
        "document_type": DocumentType.BUDGET.value,
        "comments": comments,
        "comment_form": comment_form_for(budget),
        "copies": copies,
        "can_copy": can_copy,
        "copy_form": CopyToForm() if can_copy else None,
    }


@login_required
@require_POST
def budget_attach(request, pk: int):
    budget = budget_for_viewer(request, pk)
    if not union_access(user=request.user, union=budget.union).is_officer:
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
        from core.services.events import event_record

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
    from urllib.parse import quote

    filename = quote(f"{title_for(version)}.xlsx")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
