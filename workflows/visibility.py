"""Who may see a document (any type): officers of its union and supervisors above see it;
participants see what was put before them — opinion recipients, people copied on it, anyone who
held one of its tasks, and members of a body before which it has come, or of the organ Party committee
leading that body (read-only outside their task).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from core.models import Seat
from core.selectors import union_access
from workflows.models import CopyTo, OpinionRequest, WorkItem


def _my_seats_on_its_body(user):
    """The user's seats on the outer work item's body, or on the organ Party committee that leads it
    (S1.1: its members act for each Party organisation it leads)."""
    return Seat.objects.in_force().filter(
        Q(body=OuterRef("body")) | Q(body=OuterRef("body__led_by")), person=user
    )


def document_visible(*, user, union, process_id: int | None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if union_access(user=user, union=union).can_view_documents:
        return True
    if process_id is None:
        return False
    before_my_body = WorkItem.objects.filter(process_id=process_id, body__isnull=False).filter(
        Exists(_my_seats_on_its_body(user))
    )
    return (
        OpinionRequest.objects.filter(process_id=process_id, recipient=user).exists()
        or CopyTo.objects.filter(process_id=process_id, person=user).exists()
        or WorkItem.objects.filter(process_id=process_id, assignee=user).exists()
        or before_my_body.exists()
    )


def participant_filter(*, user) -> Q:
    """For a queryset of documents with a ``process`` FK: the ones put before this participant."""
    return (
        Q(process__opinion_requests__recipient=user)
        | Q(process__copies__person=user)
        | Q(process__work_items__assignee=user)
        | Q(
            Exists(
                WorkItem.objects.filter(process=OuterRef("process"), body__isnull=False).filter(
                    Exists(_my_seats_on_its_body(user))
                )
            )
        )
    )


def documents_for_union(*, user, union, queryset):
    if union_access(user=user, union=union).can_view_documents:
        return queryset
    return queryset.filter(participant_filter(user=user)).distinct()
