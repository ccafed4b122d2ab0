"""Annual plan pages (S2.1–S2.2): the union's plans, start, edit the seven duty areas, submit,
withdraw. The document page, the owners' progress and the reviews are in views_detail.py.

Access: whoever may not see the plan gets 404 (core.http.refuse logs it); supervisors above and
participants read it; only the drafter edits and submits at the drafter's step (403 for the others
who may see it).
"""

from __future__ import annotations

import datetime
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess, union_access
from workflows import errors
from workflows.contacts.selectors import opinions_for_plan
from workflows.document_pages import document_withdraw_action
from workflows.models import WorkItem
from workflows.recipients import opinion_recipient_choices
from workflows.services.drafting import drafter_item
from workflows.services.workitems import DocumentBusy
from workflows.trail import last_return

from .forms import MAX_ROWS, PlanCreateForm, PlanEditForm, PlanSubmitForm, initial_from_version
from .models import AnnualPlan, DutyArea, PlanItem, PlanSection, PlanVersion
from .selectors import plan_owner_scope, plan_visible_to, plans_for_union
from .services import plan_create, plan_rule_errors, plan_save, plan_submit, plan_withdraw

# --- access ---------------------------------------------------------------------------------------


def plan_for_viewer(request, pk: int) -> tuple[AnnualPlan, UnionAccess]:
    plan = (
        AnnualPlan.objects.select_related("union", "current_version", "drafter", "process")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404
    access = union_access(user=request.user, union=plan.union)
    if not plan_visible_to(user=request.user, plan=plan, access=access):
        refuse(request, union=plan.union, reason="plan not visible")
    return plan, access


def _editable(request, plan: AnnualPlan) -> WorkItem:
    """The drafter's open item, or 403 (logged) for anyone else who may see the plan."""
    item = drafter_item(plan) if plan.process_id else None
    if item is None or item.assignee_id != request.user.pk:
        refuse(request, union=plan.union, reason="not the drafter's step", status=403)
    return item


# --- list and create ------------------------------------------------------------------------------


@login_required
def plan_list(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    plans = plans_for_union(user=request.user, union=union, access=access)
    return render(request, "workflows/plan/list.html", {"union": union, "access": access, "plans": plans})


@login_required
def plan_new(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not draft", status=403)
    form = PlanCreateForm(request.POST if request.method == "POST" else None)
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = plan_create(
                    actor=request.user,
                    union=union,
                    year=form.cleaned_data["year"],
                    foreword=form.cleaned_data["foreword"].strip(),
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            except PermissionDenied:
                refuse(request, union=union, reason="may not draft", status=403)
            else:
                messages.success(request, _("Plan started. Enter the tasks of each duty area."))
                return redirect("plan:edit", pk=plan.pk)
        else:
            problems = [_("Please correct the errors below.")]
    return render(
        request,
        "workflows/plan/new.html",
        {"union": union, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


# --- edit -----------------------------------------------------------------------------------------

_ROW_FIELD = re.compile(r"^[a-z]+-(\d+)-[a-z_]+$")


def _rows_wanted(request, sections: list[PlanSection]) -> int:
    """Rows per area: enough for the saved items plus one blank row, at least 2; more with ?rows=N;
    never fewer than a posted form had (so nothing typed is dropped)."""
    rows = max([2, *[len(s.items.all()) + 1 for s in sections]])
    wanted = request.GET.get("rows", "")
    if wanted.isdigit():
        rows = max(rows, int(wanted))
    if request.method == "POST":
        for name in request.POST:
            match = _ROW_FIELD.match(name)
            if match:
                rows = max(rows, int(match.group(1)) + 1)
    return min(rows, MAX_ROWS)


@login_required
def plan_edit(request, pk: int):
    plan, _access = plan_for_viewer(request, pk)
    _editable(request, plan)
    version = plan.current_version
    sections = list(
        version.sections.prefetch_related(
            Prefetch("items", queryset=PlanItem.objects.select_related("owner").order_by("starts_on", "id"))
        )
    )
    rows = _rows_wanted(request, sections)
    known_keys = set(PlanItem.objects.filter(section__version__plan=plan).values_list("key", flat=True))
    owners = {"scope": plan_owner_scope(plan=plan), "ref": str(plan.pk)}  # the owners' people picker
    problems: list[str] = []
    status = 200
    if request.method == "POST" and "add_row" in request.POST:
        # "Add a row": the same page with one more row in every area and everything typed kept.
        rows = min(rows + 1, MAX_ROWS)
        form = PlanEditForm(initial=request.POST.dict(), rows=rows, known_keys=known_keys, **owners)
    elif request.method == "POST":
        form = PlanEditForm(request.POST, rows=rows, known_keys=known_keys, **owners)
        if form.is_valid():
            try:
                plan_save(
                    actor=request.user,
                    plan=plan,
                    sections=form.sections(),
                    foreword=form.cleaned_data["foreword"].strip(),
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            except DocumentBusy:
                problems = [str(errors.LOCKED)]
                status = 409
            except PermissionDenied:
                refuse(request, union=plan.union, reason="not editable", status=403)
            else:
                messages.success(request, _("The plan was saved."))
                if "save_and_submit" in request.POST:
                    return redirect("plan:submit", pk=plan.pk)
                return redirect("plan:edit", pk=plan.pk)
        else:
            problems = form.problems()
        status = status if status != 200 else 400
    else:
        initial = initial_from_version(version, sections, rows)
        form = PlanEditForm(initial=initial, rows=rows, known_keys=known_keys, **owners)
    return render(
        request, "workflows/plan/edit.html", _edit_context(plan, form, rows, problems), status=status
    )


def _edit_context(plan, form, rows: int, problems: list[str]) -> dict:
    return {
        "plan": plan,
        "version": plan.current_version,
        "form": form,
        "rows": rows,
        "more_rows": min(rows + 1, MAX_ROWS),
        "can_add_rows": rows < MAX_ROWS,
        "problems": problems,
        "returned": last_return(document=plan),
        # S2.2: opinions from below raised in the committees' contacts (S4.4), with their source
        "contact_opinions": opinions_for_plan(plan.union, plan.year),
    }


# --- submit and withdraw --------------------------------------------------------------------------


def _area_checks(version: PlanVersion) -> list[dict]:
    """S2.1 per duty area: how many tasks, or whether the empty area has its reason."""
    sections = {s.area: s for s in version.sections.prefetch_related("items")}
    rows = []
    for area in DutyArea:
        section = sections.get(area.value)
        count = len(section.items.all()) if section else 0
        reason = section.empty_reason if section else ""
        rows.append(
            {
                "label": area.label,
                "count": count,
                "reason": reason,
                "ok": count > 0 or bool(reason.strip()),
            }
        )
    return rows


@login_required
def plan_submit_view(request, pk: int):
    plan, _access = plan_for_viewer(request, pk)
    item = _editable(request, plan)
    # From the draft step, and when a return restarts the chain at the opinions, the drafter
    # chooses whom to ask (S2.2).
    needs_recipients = item.step == "draft" or (item.step == "revise" and plan.restart_step == "give_opinion")
    choices, options = opinion_recipient_choices(plan.union) if needs_recipients else ([], {})
    form = PlanSubmitForm(
        request.POST if request.method == "POST" else None, choices=choices, needs_recipients=needs_recipients
    )
    rule_problems = plan_rule_errors(version=plan.current_version)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            recipients = [options[key] for key in form.cleaned_data.get("recipients") or []]
            due = form.cleaned_data.get("due_date")
            due_at = (
                timezone.make_aware(datetime.datetime.combine(due, datetime.time(23, 59, 59)), plan.union.tz)
                if due
                else None
            )
            try:
                plan_submit(actor=request.user, plan=plan, recipients=recipients, due_at=due_at)
            except ValidationError as exc:
                problems = list(exc.messages)
            except DocumentBusy:
                problems = [str(errors.LOCKED)]
                status = 409
            except PermissionDenied:
                refuse(request, union=plan.union, reason="not the drafter's step", status=403)
            else:
                messages.success(request, _("Submitted."))
                return redirect("plan:detail", pk=plan.pk)
        else:
            problems = list(form.non_field_errors()) or [_("Please correct the errors below.")]
        status = status if status != 200 else 400
    return render(
        request,
        "workflows/plan/submit.html",
        {
            "plan": plan,
            "item": item,
            "form": form,
            "needs_recipients": needs_recipients,
            "rule_problems": rule_problems,
            "area_checks": _area_checks(plan.current_version),
            "problems": problems,
        },
        status=status,
    )


@login_required
@require_POST
def plan_withdraw_view(request, pk: int):
    plan, _access = plan_for_viewer(request, pk)
    reason = request.POST.get("reason", "")[:500]
    return document_withdraw_action(
        request,
        document=plan,
        call=lambda: plan_withdraw(actor=request.user, plan=plan, reason=reason),
        done=_("The plan was withdrawn."),
        detail_url="plan:detail",
        question=_("Withdraw this plan?"),
    )
