"""Annual plan pages (S2.1–S2.3): the union's plans, start, edit the seven duty areas, submit, withdraw,
the document page with the execution view, and the owners' progress.

Access: whoever may not see the plan gets 404 (core.http.refuse logs it); supervisors above and
participants read it; only the drafter edits and submits at the drafter's step (403 for the others
who may see it); progress is recorded by the item's owner or an officer of the union (403 otherwise).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.models import Event
from core.selectors import UnionAccess, union_access
from workflows import errors
from workflows.models import (
    Comment,
    CopyTo,
    DocumentType,
    MeetingItem,
    OpinionRequest,
    WorkItem,
    WorkItemState,
    WrittenDecision,
)
from workflows.recipients import opinion_recipient_choices
from workflows.services.drafting import DRAFTER_STEPS
from workflows.services.workitems import DocumentBusy
from workflows.views_actions import CommentForm, CopyToForm, comment_step_choices, who_acts_rows
from workflows.visibility import document_visible, participant_filter

from .flows import CHAIN, STEPS
from .forms import MAX_ROWS, PlanCreateForm, PlanEditForm, PlanSubmitForm, ProgressForm, initial_from_version
from .models import AnnualPlan, DutyArea, PlanItem, PlanProgress, PlanSection, PlanStatus, PlanVersion
from .services import (
    item_indicator,
    plan_create,
    plan_progress_record,
    plan_review_record,
    plan_rule_errors,
    plan_save,
    plan_submit,
    plan_withdraw,
    reviews_due,
)

SUBJECT_TYPE = AnnualPlan._meta.label_lower  # "plan.annualplan"

# --- access ---------------------------------------------------------------------------------------


def plan_visible_to(*, user, plan: AnnualPlan, access: UnionAccess | None = None) -> bool:
    """Officers and supervisors; participants (document_visible); owners of a task of the plan in force."""
    access = access or union_access(user=user, union=plan.union)
    if access.can_view_documents:
        return True
    if document_visible(user=user, union=plan.union, process_id=plan.process_id):
        return True
    return (
        plan.status == PlanStatus.IN_FORCE
        and PlanItem.objects.filter(section__version_id=plan.current_version_id, owner=user).exists()
    )


def plans_for_union(*, user, union, access: UnionAccess):
    qs = AnnualPlan.objects.filter(union=union).select_related("current_version").order_by("-year", "-id")
    if access.can_view_documents:
        return qs
    owner_of = Q(status=PlanStatus.IN_FORCE, current_version__sections__items__owner=user)
    return qs.filter(participant_filter(user=user) | owner_of).distinct()


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


def _drafter_item(items: list[WorkItem]) -> WorkItem | None:
    """The drafter's open step among the plan's work items (as services.drafting.drafter_item)."""
    mine = [i for i in items if i.state == WorkItemState.OPEN and i.step in DRAFTER_STEPS]
    return max(mine, key=lambda i: i.pk) if mine else None


def _open_drafter_item(plan: AnnualPlan) -> WorkItem | None:
    return (
        WorkItem.objects.filter(process=plan.process, state=WorkItemState.OPEN, step__in=DRAFTER_STEPS)
        .order_by("-id")
        .first()
    )


def _editable(request, plan: AnnualPlan) -> WorkItem:
    """The drafter's open item, or 403 (logged) for anyone else who may see the plan."""
    item = _open_drafter_item(plan) if plan.process_id else None
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
    problems: list[str] = []
    status = 200
    if request.method == "POST" and "add_row" in request.POST:
        # "Add a row": the same page with one more row in every area and everything typed kept.
        rows = min(rows + 1, MAX_ROWS)
        form = PlanEditForm(initial=request.POST.dict(), rows=rows, known_keys=known_keys)
    elif request.method == "POST":
        form = PlanEditForm(request.POST, rows=rows, known_keys=known_keys)
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
        form = PlanEditForm(initial=initial, rows=rows, known_keys=known_keys)
    return render(
        request,
        "workflows/plan/edit.html",
        {
            "plan": plan,
            "version": version,
            "form": form,
            "rows": rows,
            "more_rows": min(rows + 1, MAX_ROWS),
            "can_add_rows": rows < MAX_ROWS,
            "problems": problems,
        },
        status=status,
    )


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
    try:
        plan_withdraw(actor=request.user, plan=plan, reason=request.POST.get("reason", "")[:500])
    except PermissionDenied:
        refuse(request, union=plan.union, reason="may not withdraw", status=403)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except DocumentBusy:
        messages.error(request, errors.LOCKED)
    else:
        messages.success(request, _("The plan was withdrawn."))
    return redirect("plan:detail", pk=plan.pk)


# --- the document page ----------------------------------------------------------------------------


def _chain_states(plan: AnnualPlan, done_steps: set[str], open_steps: set[str]) -> list[dict]:
    in_force = plan.status == PlanStatus.IN_FORCE
    rows = []
    for step in CHAIN:
        if step in open_steps:
            state = "current"
        elif step in done_steps or in_force:
            state = "done"
        else:
            state = "pending"
        rows.append({"step": step, "title": STEPS[step].title, "state": state})
    rows.append(
        {"step": "in_force", "title": PlanStatus.IN_FORCE.label, "state": "done" if in_force else "pending"}
    )
    return rows


def _areas(sections: list[PlanSection]) -> list[dict]:
    by_area = {s.area: s for s in sections}
    rows = []
    for area in DutyArea:
        section = by_area.get(area.value)
        rows.append(
            {
                "value": area.value,
                "label": area.label,
                "items": list(section.items.all()) if section else [],
                "empty_reason": section.empty_reason if section else "",
            }
        )
    return rows


def _owner_label(item: PlanItem) -> str:
    parts = [str(item.owner)] if item.owner_id else []
    if item.owner_text:
        parts.append(item.owner_text)
    return " · ".join(parts)


def plan_diff(old: list[PlanSection], new: list[PlanSection]) -> list[dict]:
    """Item by item (the key follows an item across versions): added, removed, or what changed in
    its title, owner, dates or duty area. Unchanged items are left out."""
    labels = dict(DutyArea.choices)

    def index(sections):
        return {item.key: (s.area, item) for s in sections for item in s.items.all()}

    before, after = index(old), index(new)
    changes = []
    for key, (area, item) in after.items():
        if key not in before:
            changes.append({"change": "added", "area": labels[area], "old": None, "new": item, "fields": []})
            continue
        old_area, was = before[key]
        fields = []
        if was.title != item.title:
            fields.append(_("title"))
        if (was.starts_on, was.ends_on) != (item.starts_on, item.ends_on):
            fields.append(_("timetable"))
        if (was.owner_id, was.owner_text) != (item.owner_id, item.owner_text):
            fields.append(_("owner"))
        if old_area != area:
            fields.append(_("duty area"))
        if fields:
            changes.append(
                {"change": "changed", "area": labels[area], "old": was, "new": item, "fields": fields}
            )
    for key, (area, was) in before.items():
        if key not in after:
            changes.append({"change": "removed", "area": labels[area], "old": was, "new": None, "fields": []})
    order = {a: i for i, a in enumerate(labels.values())}
    changes.sort(key=lambda c: order.get(c["area"], 99))
    return changes


@dataclass
class ExecutionRow:
    item: PlanItem
    area: str
    latest: PlanProgress | None
    indicator: str  # "done", "slipping" or "on_time"
    form: ProgressForm | None


def _execution(
    plan: AnnualPlan,
    sections: list[PlanSection],
    user,
    access: UnionAccess,
    bound: tuple[int, ProgressForm] | None,
) -> list[ExecutionRow]:
    latest: dict[str, PlanProgress] = {}
    for progress in PlanProgress.objects.filter(plan=plan).select_related("recorded_by"):
        latest.setdefault(progress.item_key, progress)  # newest first (Meta.ordering)
    today = timezone.localdate()
    labels = dict(DutyArea.choices)
    order = {a: i for i, a in enumerate(DutyArea.values)}
    rows = []
    for section in sorted(sections, key=lambda s: order.get(s.area, 99)):
        for item in section.items.all():
            last = latest.get(item.key)
            form = None
            if item.owner_id == user.pk or access.is_officer:
                if bound is not None and bound[0] == item.pk:
                    form = bound[1]
                else:
                    initial = {"state": last.state, "percent": last.percent} if last else {}
                    form = ProgressForm(initial=initial, auto_id=f"id_p{item.pk}_%s")
            rows.append(
                ExecutionRow(item, labels[section.area], last, item_indicator(item, last, today), form)
            )
    return rows


def _history(plan: AnnualPlan) -> list[Event]:
    events = list(
        Event.objects.filter(subject_type=SUBJECT_TYPE, subject_id=str(plan.pk))
        .select_related("actor")
        .order_by("created_at", "id")
    )
    states = dict(PlanStatus.choices)
    for event in events:
        event.state_label = states.get(event.to_state, event.to_state)
    return events


def _detail_context(request, plan: AnnualPlan, access: UnionAccess, bound=None) -> dict:
    user = request.user
    versions = list(plan.versions.order_by("number"))
    current = next((v for v in versions if v.pk == plan.current_version_id), versions[-1])
    shown = current
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = next((v for v in versions if v.number == int(wanted)), shown)
    previous = next((v for v in versions if v.number == shown.number - 1), None)
    wanted_ids = {shown.pk, current.pk} | ({previous.pk} if previous else set())
    all_sections = list(
        PlanSection.objects.filter(version_id__in=wanted_ids).prefetch_related(
            Prefetch("items", queryset=PlanItem.objects.select_related("owner").order_by("starts_on", "id"))
        )
    )
    sections_of = {pk: [s for s in all_sections if s.version_id == pk] for pk in wanted_ids}

    items = (
        list(
            WorkItem.objects.filter(process_id=plan.process_id)
            .select_related("assignee", "body", "finished_by")
            .order_by("id")
        )
        if plan.process_id
        else []
    )
    open_items = [i for i in items if i.state == WorkItemState.OPEN]
    done_steps = {i.step for i in items if i.state == WorkItemState.DONE}
    drafter_item = _drafter_item(items)
    can_edit = drafter_item is not None and drafter_item.assignee_id == user.pk
    process = plan.process_id
    opinions = list(
        OpinionRequest.objects.filter(process_id=process)
        .select_related("recipient", "on_behalf_of")
        .order_by("round", "id")
    )
    meeting_items = list(
        MeetingItem.objects.filter(work_item__process_id=process)
        .select_related("meeting__body", "work_item")
        .prefetch_related("meeting__attachments")
        .order_by("meeting__held_on", "id")
    )
    written = list(
        WrittenDecision.objects.filter(work_item__process_id=process)
        .select_related("body", "work_item")
        .prefetch_related("attachments")
        .order_by("decided_on", "id")
    )
    in_force = plan.status == PlanStatus.IN_FORCE
    comment_steps = {i.pk: i for i in items if i.parent_id is None}
    current_step = next(
        (i.pk for i in reversed(items) if i.state == WorkItemState.OPEN and i.parent_id is None), None
    )
    can_copy = user.pk == plan.drafter_id or access.is_officer
    comments = list(
        Comment.objects.filter(document_type=DocumentType.ANNUAL_PLAN, document_id=plan.pk)
        .select_related("author", "work_item")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    copies = (
        list(CopyTo.objects.filter(process_id=process).select_related("person").order_by("created_at"))
        if process
        else []
    )
    return {
        "plan": plan,
        "union": plan.union,
        "version": shown,
        "versions": versions,
        "areas": _areas(sections_of[shown.pk]),
        "previous": previous,
        "diff": plan_diff(sections_of[previous.pk], sections_of[shown.pk]) if previous else None,
        "chain": _chain_states(plan, done_steps, {i.step for i in open_items}),
        "open_items": open_items,
        "who_acts": who_acts_rows(user=user, document=plan, open_items=open_items),
        "opinions": opinions,
        "meeting_items": meeting_items,
        "written": written,
        "history": _history(plan),
        "execution": _execution(plan, sections_of[current.pk], user, access, bound) if in_force else None,
        "reviews": list(plan.reviews.all()) if in_force else [],
        "reviews_due": reviews_due(plan=plan) if in_force else [],
        "can_review": in_force and access.is_officer,
        "today": timezone.localdate(),
        "can_edit": can_edit,
        "drafter_step": drafter_item.step if can_edit else "",
        "can_withdraw": user.pk == plan.drafter_id
        and not plan.decided
        and plan.status not in (PlanStatus.IN_FORCE, PlanStatus.WITHDRAWN),
        "read_only": not access.is_officer,
        "document_type": DocumentType.ANNUAL_PLAN.value,
        "comments": comments,
        "comment_form": CommentForm(
            steps=comment_step_choices(comment_steps), initial={"step": current_step}
        ),
        "copies": copies,
        "can_copy": can_copy,
        "copy_form": CopyToForm() if can_copy else None,
    }


@login_required
def plan_detail(request, pk: int):
    plan, access = plan_for_viewer(request, pk)
    return render(request, "workflows/plan/detail.html", _detail_context(request, plan, access))


@login_required
@require_POST
def plan_progress(request, pk: int, item_id: int):
    """S2.3: the item's owner, or an officer of the union, records progress on the plan in force."""
    plan, access = plan_for_viewer(request, pk)
    item = (
        PlanItem.objects.select_related("section", "owner")
        .filter(pk=item_id, section__version__plan=plan)
        .first()
    )
    if item is None:
        refuse(request, union=plan.union, reason="no such task in this plan")
    if item.owner_id != request.user.pk and not access.is_officer:
        refuse(request, union=plan.union, reason="may not record progress", status=403)
    form = ProgressForm(request.POST, auto_id=f"id_p{item.pk}_%s")
    problems: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan_progress_record(
                actor=request.user,
                plan=plan,
                item=item,
                state=data["state"],
                percent=data["percent"],
                note=data["note"].strip(),
            )
        except ValidationError as exc:
            problems = list(exc.messages)
        except PermissionDenied:
            refuse(request, union=plan.union, reason="may not record progress", status=403)
        else:
            messages.success(request, _("Progress on “%(task)s” was recorded.") % {"task": item.title})
            return redirect(reverse("plan:detail", args=[plan.pk]) + f"#task-{item.pk}")
    else:
        problems = [
            _("“%(task)s”: please correct the progress below.") % {"task": item.title},
        ]
    context = _detail_context(request, plan, access, bound=(item.pk, form))
    context["problems"] = problems
    return render(request, "workflows/plan/detail.html", context, status=400)


@login_required
def plan_review(request, pk: int):
    """S2.3 periodic review: officers record which tasks are done, on time and slipping."""
    plan, _access = plan_for_viewer(request, pk)
    if request.method != "POST":
        return redirect(reverse("plan:detail", args=[plan.pk]) + "#reviews")
    held_on = parse_date(request.POST.get("held_on", "") or "") or timezone.localdate()
    try:
        review = plan_review_record(
            actor=request.user, plan=plan, held_on=held_on, note=request.POST.get("note", "")
        )
    except PermissionDenied:
        refuse(request, union=plan.union, reason="may not review", status=403)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Review %(period)s recorded: %(slipping)s tasks slipping.")
            % {"period": review.period, "slipping": len(review.slipping)},
        )
    return redirect(reverse("plan:detail", args=[plan.pk]) + "#reviews")
