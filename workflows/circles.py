"""Whom each task action may name (issue 25): the people pickers of transfer, add a signer, copy to,
mentions and delegation offer these people and their forms accept only them. Each circle is the rule
the action's service enforces (workflows.services.actions), written as one queryset of people, so that
the picker never offers someone the service would refuse. Lazy: building a scope runs no query.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.models import BodyUserObjectPermission, Role, Seat, Union, UnionUserObjectPermission, User
from core.people import PeopleScope
from core.selectors import union_ancestors, union_descendants, unions_visible_to
from workflows.models import CopyTo, OpinionRequest, WorkItem


def _people(*subqueries) -> QuerySet[User]:
    where = Q()
    for ids in subqueries:
        where |= Q(pk__in=ids)
    return User.objects.filter(where, is_active=True)


def _union_perm_holders(where: Q):
    return UnionUserObjectPermission.objects.filter(where).values("user_id")


def body_recorders(*, body_id: int) -> QuerySet[User]:
    """Who records for the body (its chair, director or secretary, the union's office staff): the
    people a body's task may be transferred to (work_item_transfer)."""
    return _people(
        BodyUserObjectPermission.objects.filter(
            content_object_id=body_id, permission__codename="record_decision"
        ).values("user_id")
    )


def union_viewers(*, union: Union) -> QuerySet[User]:
    """Who may see the union's documents: its seat holders and the supervisors above it — the people
    who may be added as a signer on its steps (signer_add)."""
    return _people(
        _union_perm_holders(
            Q(content_object_id=union.pk, permission__codename__in=["view_union", "view_union_documents"])
            | Q(content_object__in=union_ancestors(union=union), permission__codename="supervise_union")
        )
    )


def copy_circle(*, union: Union) -> QuerySet[User]:
    """Who may be copied on a document of the union (copy_to_add): seat holders of the union and the
    unions below it, and the supervisors of the unions above it."""
    return _people(
        Seat.objects.in_force()
        .filter(
            Q(union_id=union.pk)
            | Q(union__in=union_descendants(union=union))
            | Q(role=Role.SUPERVISOR, union__in=union_ancestors(union=union))
        )
        .values("person_id")
    )


def document_viewers(*, union: Union, process_id: int | None) -> QuerySet[User]:
    """Who may see a document (workflows.visibility.document_visible): officers of its union and the
    supervisors above it, and its participants — opinion recipients, people copied on it, anyone who
    held one of its tasks, members of a body before which it has come. Those a comment may mention."""
    officers = _union_perm_holders(
        Q(content_object_id=union.pk, permission__codename="view_union_documents")
        | Q(content_object__in=union_ancestors(union=union), permission__codename="supervise_union")
    )
    if process_id is None:
        return _people(officers)
    bodies = WorkItem.objects.filter(process_id=process_id, body__isnull=False).values("body_id")
    return _people(
        officers,
        OpinionRequest.objects.filter(process_id=process_id).values("recipient_id"),
        CopyTo.objects.filter(process_id=process_id).values("person_id"),
        WorkItem.objects.filter(process_id=process_id, assignee__isnull=False).values("assignee_id"),
        Seat.objects.in_force().filter(body_id__in=bodies).values("person_id"),
    )


def delegation_circle(*, person: User) -> QuerySet[User]:
    """Who may stand in for a person while away (delegation_create): holders of a seat in force in a
    union the person may open."""
    visible = unions_visible_to(user=person).values("id")
    return _people(Seat.objects.in_force().filter(union_id__in=visible).values("person_id"))


# --- the scopes of the actions' pickers ---------------------------------------------------------------


def transfer_scope(*, item: WorkItem, user: User) -> PeopleScope:
    return PeopleScope(
        allowed=body_recorders(body_id=item.body_id),
        not_offered=frozenset({user.pk}),
        near_union_id=item.union_id,
        near_body_id=item.body_id,
    )


def signer_scope(*, item: WorkItem, user: User) -> PeopleScope:
    return PeopleScope(
        allowed=union_viewers(union=item.union), not_offered=frozenset({user.pk}), near_union_id=item.union_id
    )


def copy_scope(*, document, user: User) -> PeopleScope:
    return PeopleScope(
        allowed=copy_circle(union=document.union),
        not_offered=frozenset({user.pk}),
        near_union_id=document.union_id,
    )


def mention_scope(*, document, user: User) -> PeopleScope:
    return PeopleScope(
        allowed=document_viewers(union=document.union, process_id=getattr(document, "process_id", None)),
        not_offered=frozenset({user.pk}),
        near_union_id=document.union_id,
    )


def delegation_scope(*, user: User) -> PeopleScope:
    return PeopleScope(
        allowed=delegation_circle(person=user),
        not_offered=frozenset({user.pk}),
        near_union_id=user.home_union_id,
    )
