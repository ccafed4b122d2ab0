"""Reads of the annual plan: who may see it, a union's plans, the latest progress of each task, who
may own its tasks."""

from __future__ import annotations

from django.db.models import Q

from core.models import Seat, User
from core.people import PeopleScope
from core.selectors import UnionAccess, union_access
from workflows.visibility import document_visible, participant_filter

from .models import AnnualPlan, PlanItem, PlanProgress, PlanStatus


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


def latest_progress(*, plan: AnnualPlan) -> dict[str, PlanProgress]:
    """The latest progress recorded on each task, by the task's key (kept across versions)."""
    latest: dict[str, PlanProgress] = {}
    for progress in PlanProgress.objects.filter(plan=plan).select_related("recorded_by"):
        latest.setdefault(progress.item_key, progress)  # newest first (Meta.ordering)
    return latest


def plan_owner_scope(*, plan: AnnualPlan) -> PeopleScope:
    """Who may own a task of the plan (its people picker, issue 25): the holders of a seat in force in
    the plan's union, and whoever owns a task of its current version already (a term that ended does
    not stop the drafter saving the rest of the plan)."""
    seated = Seat.objects.in_force().filter(union_id=plan.union_id).values("person_id")
    owners = PlanItem.objects.filter(section__version_id=plan.current_version_id).values("owner_id")
    return PeopleScope(
        allowed=User.objects.filter(Q(pk__in=seated) | Q(pk__in=owners), is_active=True),
        near_union_id=plan.union_id,
    )
