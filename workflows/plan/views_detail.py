"""The annual plan's page (S2.1–S2.3): the duty areas of the version shown, the diff from the one
before, the route, and for the plan in force its execution, the owners' progress and the reviews.

Access: whoever may not see the plan gets 404 (core.http.refuse logs it); progress is recorded by the
item's owner or an officer of the union, reviews by an officer (403 otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse
from core.selectors import UnionAccess
from workflows.document_pages import trail_context
from workflows.models import DocumentType

from .diff import plan_diff
from .forms import ProgressForm
from .models import AnnualPlan, DutyArea, PlanItem, PlanProgress, PlanSection, PlanStatus
from .selectors import latest_progress
from .services import item_indicator, plan_progress_record, plan_review_record, reviews_due
from .views import plan_for_viewer


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


@dataclass
class ExecutionRow:
    item: PlanItem
    area: str
    latest: PlanProgress | None
    indicator: str  # "done", "slipping" or "on_time"
    form: ProgressForm | None


def _execution(plan, sections, user, access: UnionAccess, bound) -> list[ExecutionRow]:
    """Every task of the plan in force with its latest progress; a progress form for its owner and
    the officers (``bound``: the (item pk, form) a failed post left, shown with its errors)."""
    latest = latest_progress(plan=plan)
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


def _versions(request, plan: AnnualPlan) -> dict:
    """The version shown (?version=N, else the current one), the one before it, and their sections."""
    versions = list(plan.versions.order_by("number"))
    current = next((v for v in versions if v.pk == plan.current_version_id), versions[-1])
    shown = current
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        shown = next((v for v in versions if v.number == int(wanted)), shown)
    previous = next((v for v in versions if v.number == shown.number - 1), None)
    wanted_ids = {shown.pk, current.pk} | ({previous.pk} if previous else set())
    sections = list(
        PlanSection.objects.filter(version_id__in=wanted_ids).prefetch_related(
            Prefetch("items", queryset=PlanItem.objects.select_related("owner").order_by("starts_on", "id"))
        )
    )
    sections_of = {pk: [s for s in sections if s.version_id == pk] for pk in wanted_ids}
    return {
        "version": shown,
        "versions": versions,
        "previous": previous,
        "areas": _areas(sections_of[shown.pk]),
        "diff": plan_diff(sections_of[previous.pk], sections_of[shown.pk]) if previous else None,
        "current_sections": sections_of[current.pk],
    }


def _detail_context(request, plan: AnnualPlan, access: UnionAccess, bound=None) -> dict:
    user = request.user
    context = trail_context(request, document=plan, document_type=DocumentType.ANNUAL_PLAN, access=access)
    trail = context["trail"]
    context.update(_versions(request, plan))
    sections = context.pop("current_sections")
    in_force = plan.status == PlanStatus.IN_FORCE
    can_edit = trail.editable_by(user)
    context.update(
        plan=plan,
        execution=_execution(plan, sections, user, access, bound) if in_force else None,
        reviews=list(plan.reviews.all()) if in_force else [],
        reviews_due=reviews_due(plan=plan) if in_force else [],
        can_review=in_force and access.is_officer,
        today=timezone.localdate(),
        can_edit=can_edit,
        drafter_step=trail.drafter_item.step if can_edit else "",
        can_withdraw=user.pk == plan.drafter_id
        and not plan.decided
        and plan.status not in (PlanStatus.IN_FORCE, PlanStatus.WITHDRAWN),
        read_only=not access.is_officer,
    )
    return context


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
    problems = [_("“%(task)s”: please correct the progress below.") % {"task": item.title}]
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
