"""Opinions from below (S2.2, S3.3): a recipient's answer to a solicitation, and the sweep that records
"no reply" once the due date has passed."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from core.models import User
from core.services.events import event_record
from workflows import errors
from workflows.documents import document_for, document_model
from workflows.models import OpinionAnswer, OpinionRequest, WorkItem, WorkItemState
from workflows.services.workitems import (
    AlreadyHandled,
    DocumentBusy,
    overdue_opinions,
    process_lock,
    user_may_act,
    work_item_complete,
    work_item_reload,
)


class OpinionClosed(ValidationError):
    """The recipient's request is no longer open (answered in another tab, or withdrawn): a conflict
    the page answers with 409 and the typed text kept, not a refusal."""


def opinion_closed(*, work_item: WorkItem, answered_at, user: User) -> ValidationError:
    """Why ``user``, the recipient, can no longer answer: their own answer and when, who else closed
    the step and when, or that it closed (withdrawn, or no reply by the due date)."""
    if work_item.state == WorkItemState.DONE and work_item.finished_by_id == user.pk:
        when = timezone.localtime(answered_at or work_item.finished_at)
        time = date_format(when, "Y-m-d H:i")
        return OpinionClosed(errors.OPINION_ALREADY_SUBMITTED, params={"time": time})
    if work_item.state == WorkItemState.DONE and work_item.finished_by_id is not None:
        return AlreadyHandled(work_item)
    return OpinionClosed(errors.TASK_CLOSED)


def opinion_answer(*, work_item: WorkItem, actor: User, answer: str, text: str = "") -> OpinionRequest:
    """A recipient answers a solicitation with an opinion or "no opinion" (S2.2, S3.3)."""
    if answer == OpinionAnswer.OPINION and not text.strip():
        raise ValidationError(errors.OPINION_EMPTY)
    if answer not in (OpinionAnswer.OPINION, OpinionAnswer.NO_OPINION):
        raise ValidationError(errors.OPINION_EMPTY)
    with process_lock(work_item.process_id, document_model=document_model(work_item.document_type)):
        work_item_reload(work_item)
        request = OpinionRequest.objects.select_for_update().filter(work_item=work_item).first()
        if not user_may_act(user=actor, work_item=work_item):
            if work_item.state != WorkItemState.OPEN and work_item.assignee_id == actor.pk:
                # the recipient's other tab committed first: a conflict to explain, not a stranger
                answered_at = request.answered_at if request is not None else None
                raise opinion_closed(work_item=work_item, answered_at=answered_at, user=actor)
            raise PermissionDenied(errors.NOT_YOUR_TASK)
        if request is None:
            raise OpinionRequest.DoesNotExist(f"work item {work_item.pk} solicits no opinion")
        request.answer = answer
        request.text = text.strip() if answer == OpinionAnswer.OPINION else ""
        request.answered_at = timezone.now()
        request.save(update_fields=["answer", "text", "answered_at"])
        event_record(
            verb="opinion_given",
            actor=actor,
            subject=(document := document_for(work_item)),
            union=document.union,
            detail={"answer": answer, "on_behalf_of": request.on_behalf_of_id},
        )
        work_item_complete(work_item=work_item, actor=actor, outcome=answer)
    return request


def opinions_close_overdue(*, now: datetime.datetime | None = None) -> int:
    """Beat sweep: recipients who did not answer by the due date are recorded as "no reply".

    Idempotent: each item is completed under its process lock and skipped when already closed.
    """
    closed = 0
    for item_id in list(overdue_opinions(now=now).values_list("id", flat=True)):
        with transaction.atomic():
            item = WorkItem.objects.get(pk=item_id)
            try:
                with process_lock(item.process_id, document_model=document_model(item.document_type)):
                    work_item_reload(item)
                    if item.state != WorkItemState.OPEN:
                        continue
                    OpinionRequest.objects.filter(work_item=item).update(answer=OpinionAnswer.NO_REPLY)
                    event_record(
                        verb="opinion_no_reply",
                        subject=document_for(item),
                        union=item.union,
                        detail={"recipient": item.assignee_id},
                    )
                    work_item_complete(work_item=item, actor=None, outcome=OpinionAnswer.NO_REPLY)
                    closed += 1
            except DocumentBusy:
                continue  # the next sweep takes it
    return closed
