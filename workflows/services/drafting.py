"""The drafter's side of every document flow: link the process, the drafter's open step, submit
with the document's rule checks (and, from the draft step, the opinion recipients), withdraw before
the first decision, put in force. Budget and plan services call these with their own rules."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Union, User
from core.services.events import event_record
from core.services.statutory import obligation_meet
from workflows import errors, memo
from workflows.models import WorkItem, WorkItemState
from workflows.services.workitems import (
    assert_may_act,
    process_lock,
    work_item_complete,
    work_items_cancel_open,
)

DRAFTER_STEPS = ["draft", "consolidate", "revise"]


@dataclass(frozen=True)
class Recipient:
    person: User
    on_behalf_of: Union | None = None


def process_started(*, activation, document):
    """StartHandle callback: link the process and the document both ways."""
    process = activation.process
    process.artifact = document
    process.save()
    document.process = process
    document.save(update_fields=["process"])
    return document


def drafter_item(document, *, locked: bool = False) -> WorkItem | None:
    """The drafter's open item; ``locked``: read under the process lock, with its task for the step."""
    items = WorkItem.objects.filter(
        process=document.process, state=WorkItemState.OPEN, step__in=DRAFTER_STEPS
    )
    if locked:
        items = items.select_related("task")
    return items.order_by("-id").first()


def editable_by(*, document, user) -> bool:
    item = drafter_item(document)
    return item is not None and item.assignee_id == user.pk


def document_submit(
    *,
    actor: User,
    document,
    rule_errors: Callable[[], list[str]],
    recipients: list[Recipient] | None = None,
    due_at: datetime.datetime | None = None,
    solicits: bool = True,
    prepare: Callable[[WorkItem], None] | None = None,
):
    """The drafter submits: the rules first; from the draft step the opinions go out in parallel
    (for documents whose chain solicits opinions). ``prepare(item)``: the kind's own change to the
    document before its rules are checked, made under the lock (the lock's transaction is the
    submit's: a refused submission rolls it back, and no outer savepoint is needed)."""
    with process_lock(document.process_id, document=document):
        item = drafter_item(document, locked=True)
        if item is None:
            raise ValidationError(errors.TASK_CLOSED)
        assert_may_act(user=actor, work_item=item)
        if prepare is not None:
            prepare(item)
        problems = rule_errors()
        if problems:
            raise ValidationError(problems)
        step, passed = memo.RULES_PASSED
        memo.keep_outcome(process_id=document.process_id, step=step, outcome=passed)
        # Opinions go out from the draft step, and again when a return restarts at the solicitation.
        restarts_opinions = item.step == "revise" and getattr(document, "restart_step", "") == "give_opinion"
        if solicits and (item.step == "draft" or restarts_opinions):
            if not recipients:
                raise ValidationError(errors.OPINION_NO_RECIPIENTS)
            if due_at is None or due_at <= timezone.now():
                raise ValidationError(errors.OPINION_DUE_IN_PAST)
            process = document.process
            round_no = process.data.get("opinion_round", 0) + 1
            unique = {(r.person.pk, r.on_behalf_of.pk if r.on_behalf_of else None): r for r in recipients}
            process.data = {
                **process.data,
                "opinion_round": round_no,
                "opinion_recipients": [
                    {
                        "recipient_id": r.person.pk,
                        "on_behalf_of_id": r.on_behalf_of.pk if r.on_behalf_of else None,
                        "due_at": due_at.isoformat(),
                        "round": round_no,
                    }
                    for r in unique.values()
                ],
            }
            process.save(update_fields=["data"])
        version = document.current_version
        if version.submitted_at is None:
            version.submitted_at = timezone.now()
            version.save(update_fields=["submitted_at"])
        event_record(
            verb="submitted",
            actor=actor,
            subject=document,
            union=document.union,
            from_state=document.status,
            detail={"step": item.step, "version": version.number, "recipients": len(recipients or [])},
        )
        work_item_complete(work_item=item, actor=actor, outcome="submitted")
    # No second read: the flow's hooks updated this very instance (attached to the locked process).
    return document


def withdrawable(document) -> bool:
    """Before the first decision of a body, and neither in force nor withdrawn (the order rule is kept);
    the drafter's page asks before it withdraws only what it may withdraw."""
    return not document.decided and document.status not in ("in_force", "withdrawn")


def document_withdraw(
    *, actor: User, document, reason: str, not_withdrawable, may_withdraw: Callable = withdrawable
) -> None:
    """The initiator withdraws before the first decision of a body (the order rule is kept), or while
    the kind's own ``may_withdraw`` allows it (a request for instructions: until the Party replies)."""
    with process_lock(document.process_id, document=document):
        if actor.pk != document.drafter_id:
            raise PermissionDenied(errors.NOT_YOUR_TASK)
        if not may_withdraw(document):
            raise ValidationError(not_withdrawable)
        work_items_cancel_open(process=document.process)
        process = document.process
        process.status = "CANCELED"
        process.finished = timezone.now()
        process.save(update_fields=["status", "finished"])
        previous = document.status
        document.status = "withdrawn"
        document.save(update_fields=["status"])
        event_record(
            verb="withdrawn",
            actor=actor,
            subject=document,
            union=document.union,
            from_state=previous,
            to_state="withdrawn",
            detail={"reason": reason},
        )


def document_put_in_force(*, document, obligation_code: str) -> None:
    """Function node after the congress approves: the document is in force and meets its obligation."""
    previous = document.status
    document.status = "in_force"
    document.in_force_since = timezone.now()
    document.save(update_fields=["status", "in_force_since"])
    obligation_meet(
        union=document.union,
        code=obligation_code,
        fiscal_year=document.year,
        by=f"{document._meta.model_name}:{document.pk}",
    )
    event_record(
        verb="in_force",
        subject=document,
        union=document.union,
        from_state=previous,
        to_state="in_force",
        detail={"version": document.current_version.number},
    )
