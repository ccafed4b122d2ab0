"""Who may see a budget, and the reads of its document page."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from core.models import Seat
from core.selectors import union_access
from workflows.models import CopyTo, OpinionRequest, WorkItem

from .models import Budget


def budget_visible_to(*, user, budget: Budget) -> bool:
    """Officers of the union and supervisors above see it; participants see what was put before them.

    Participants: opinion recipients of this budget, and members of a body (audit committee, Party
    organisation, congress) before which the budget has come — read-only outside their task.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if union_access(user=user, union=budget.union).can_view_documents:
        return True
    if budget.process_id is None:
        return False
    before_my_body = WorkItem.objects.filter(process_id=budget.process_id, body__isnull=False).filter(
        Exists(Seat.objects.in_force().filter(person=user, body=OuterRef("body")))
    )
    return (
        OpinionRequest.objects.filter(process_id=budget.process_id, recipient=user).exists()
        or CopyTo.objects.filter(process_id=budget.process_id, person=user).exists()
        or WorkItem.objects.filter(process_id=budget.process_id, assignee=user).exists()
        or before_my_body.exists()
    )


def budgets_for_union(*, user, union):
    """The union's budgets a user may list: all for officers and supervisors, else those before them."""
    qs = Budget.objects.filter(union=union).select_related("current_version").order_by("-year", "-id")
    if union_access(user=user, union=union).can_view_documents:
        return qs
    return qs.filter(
        Q(process__opinion_requests__recipient=user)
        | Q(process__copies__person=user)
        | Q(process__work_items__assignee=user)
        | Q(
            Exists(
                WorkItem.objects.filter(process=OuterRef("process"), body__isnull=False).filter(
                    Exists(Seat.objects.in_force().filter(person=user, body=OuterRef("body")))
                )
            )
        )
    ).distinct()
