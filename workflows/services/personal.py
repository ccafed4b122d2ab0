"""A holder's decision: one person approves or returns a step the document kind gave them (Actor.HOLDER),
such as the finance officer's check and the chair's approval of an expenditure request.

The same protocol as a body's written decision (services.decisions): the kind's decision check first,
outside the transaction; then, under the document's process lock, the item read again, the decision
recorded on it (the gate after the step reads its outcome), the document marked decided, the event and
the outcome notice written, and the chain moved on. Whoever drafted the document never decides it
(S5.3: an expenditure is never approved by the person who requested it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from core.models import User
from workflows import errors, registry
from workflows.documents import decision_check_item, document_for, document_model
from workflows.models import Resolution, WorkItem, WorkItemKind, WorkItemState
from workflows.services.decisions import decision_recorded
from workflows.services.workitems import (
    AlreadyHandled,
    assert_may_act,
    process_lock,
    work_item_complete,
    work_item_reload,
)
from workflows.steps import Actor


def decides_personally(item: WorkItem) -> bool:
    """Whether the item is a holder's decision (approve or return), from the kind's step spec."""
    if item.kind != WorkItemKind.PERSON:
        return False
    kind = registry.kind_or_none(item.document_type)
    spec = kind.steps.get(item.step) if kind is not None else None
    return spec is not None and spec.actor == Actor.HOLDER and spec.decides


def personal_decide(*, work_item: WorkItem, actor: User, resolution: str, opinions: str = "") -> WorkItem:
    """The holder approves or returns the step (a return needs opinions, as a body's does)."""
    if not decides_personally(work_item):
        raise ValidationError(errors.NOT_A_PERSONAL_DECISION)
    if resolution not in (Resolution.APPROVE, Resolution.RETURN):
        raise ValidationError(errors.NOT_A_PERSONAL_DECISION)
    if resolution == Resolution.RETURN and not opinions.strip():
        raise ValidationError(errors.RETURN_NEEDS_REASON)
    assert_may_act(user=actor, work_item=work_item)
    if document_for(work_item).drafter_id == actor.pk:
        raise PermissionDenied(errors.OWN_DOCUMENT_DECISION)
    decision_check_item(work_item=work_item, actor=actor)
    with process_lock(work_item.process_id, document_model=document_model(work_item.document_type)):
        work_item_reload(work_item)
        if work_item.state != WorkItemState.OPEN:
            raise AlreadyHandled(work_item)
        work_item.note = opinions  # the holder's opinion: the revise step's note on a return
        decision_recorded(
            item=work_item, resolution=resolution, actor=actor, opinions=opinions, via="personal"
        )
        work_item_complete(work_item=work_item, actor=actor, outcome=resolution)
    return work_item
