"""Work items: created with their task, completed with it, in the same transaction."""

from __future__ import annotations

import datetime
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Q, Subquery
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.lock import lock_scope
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from core.models import Body, BodyUserObjectPermission, Seat, User
from core.services.events import event_record, events_collected
from core.statutory import Obligation
from notifications.services.reminders import reminders_schedule_work_item
from workflows import errors, memo, registry
from workflows.models import (
    Delegation,
    MeetingItem,
    OpinionRequest,
    Resolution,
    WorkItem,
    WorkItemKind,
    WorkItemState,
    WrittenDecision,
)
from workflows.services.notify import notify_copied
from workflows.services.vacancy import body_seated_exists, vacancy_flag
from workflows.steps import Actor, StepSpec, step_due

# The drafter's step after a body returned the document (every kind's flow names it so).
REVISE_STEP = "revise"


class AlreadyHandled(ValidationError):
    """The step was completed or claimed by someone else first: say who and when."""

    def __init__(self, item: WorkItem):
        who = item.finished_by or item.assignee
        when = item.finished_at or item.claimed_at
        super().__init__(
            errors.ALREADY_HANDLED,
            params={
                "who": str(who) if who else "—",
                "when": date_format(timezone.localtime(when), "Y-m-d H:i") if when else "—",
            },
        )


class DocumentBusy(Exception):
    """Another user holds the document's process lock; the user should retry."""

    message = errors.LOCKED


LOCK_ATTEMPTS = 5


@contextmanager
def process_lock(process, *, document=None, document_model=None):
    """Lock one process (an instance or its id) for a step, as a transaction.

    The same protocol as viewflow's ``select_for_update_lock`` (every Wuyi flow's ``lock_impl``):
    ``SELECT … FOR UPDATE NOWAIT`` on the process row, retried with a growing random pause, then
    ``DocumentBusy``; run inside viewflow's ``lock_scope`` so its after-release callbacks keep
    working. The row itself is loaded and kept for the step (``workflows.memo``): viewflow's
    activations get this instance, so the document reached through it is the one the service
    changes. ``document_model``: the process's document and its union come in the same statement.
    ``document``: the caller's instance of that document takes the values read under the lock and
    is the one attached to the locked process.
    """
    pk = getattr(process, "pk", process)
    model = type(document) if document is not None else document_model
    try:
        with memo.step_scope(), lock_scope(_process_row_lock, (model, document), pk):
            yield
    except FlowLockFailed as exc:
        raise DocumentBusy from exc


def _lock_query(pk: int, attr: str | None):
    query = Process.objects.filter(pk=pk)
    if attr is None:
        return query.select_for_update(nowait=True)
    # the document's join is an outer one: lock the process row only
    return query.select_related(f"{attr}__union").select_for_update(nowait=True, of=("self",))


@contextmanager
def _process_row_lock(wanted, pk):
    model, document = wanted
    attr = registry.process_attr(model) if model is not None else None
    for attempt in range(LOCK_ATTEMPTS):
        with transaction.atomic():
            try:
                row = _lock_query(pk, attr).first()
            except DatabaseError:
                if attempt == LOCK_ATTEMPTS - 1:
                    raise FlowLockFailed(f"Lock failed for process {pk}") from None
                time.sleep(((attempt + 1) * random.random() + 2**attempt) / 2.5)
            else:
                if row is not None:
                    memo.keep_process(row)
                    if document is not None:
                        _adopt(document, getattr(row, attr))
                        setattr(row, attr, document)
                with events_collected():
                    yield
                break


def _adopt(document, fresh) -> None:
    """The caller's instance takes the row as read under the lock (with its union)."""
    for field in type(document)._meta.concrete_fields:
        setattr(document, field.attname, getattr(fresh, field.attname))
    document.union = fresh.union


def work_item_create(
    *,
    activation,
    spec: StepSpec,
    document,
    document_type: str,
    chain: list[str] | None = None,
    steps: dict[str, StepSpec] | None = None,
    obligation_code: str = "",
    due_at: datetime.datetime | None = None,
) -> WorkItem:
    """onCreate hook body: the task's work item, and the document's status, in the task's transaction.
    ``due_at``: DocumentKind.step_due."""
    task = activation.task
    union = document.union
    held = activation.step_holder  # kept by the flow's Assign callback (workflows.flowbase)
    assignee_id, acting_for_id, body = task.owner_id, held.acting_for_id, held.body
    if due_at is None:
        due_raw = task.data.get("due_at") if task.data else None
        due_at = parse_datetime(due_raw) if due_raw else None
    if due_at is None:
        due_at = step_due(
            spec=spec,
            union=union,
            document_type=document_type,
            chain=chain or [],
            steps=steps or {spec.name: spec},
            deadline=_deadline(union=union, code=obligation_code, year=getattr(document, "year", None)),
        )
    item = WorkItem.objects.create(
        task=task,
        process=task.process,
        union=union,
        document_type=document_type,
        document_id=document.pk,
        document_title=str(document)[:200],
        step=spec.name,
        step_title=str(spec.title),
        kind=WorkItemKind.PERSON if assignee_id else WorkItemKind.BODY,
        body=body,
        assignee_id=assignee_id,
        acting_for_id=acting_for_id,
        due_at=due_at,
        # the drafter's inbox row says why the document came back
        note=_return_opinion(task.process) if spec.name == REVISE_STEP else "",
    )
    # a body with no seat in force: nobody can take it (issue 24)
    vacancy_flag(item=item, seated=getattr(body, "seated", None))
    reminders_schedule_work_item(item=item)
    if spec.actor == Actor.RECIPIENT:
        OpinionRequest.objects.create(
            process=task.process,
            round=task.data.get("round", 1),
            recipient_id=acting_for_id or assignee_id,
            on_behalf_of_id=task.data.get("on_behalf_of_id"),
            due_at=due_at,
            work_item=item,
        )
    _document_moved(document=document, document_type=document_type, spec=spec, task=task)
    return item


def _return_opinion(process) -> str:
    """The opinion of the decision that returned the document, recorded just before its revise step
    is created (a meeting's agenda item or a written decision). A vote that did not pass gives its
    votes as the reason, worded in the site's language: the note is stored for the drafter."""
    item = (
        WorkItem.objects.filter(process=process, state=WorkItemState.DONE, outcome=Resolution.RETURN)
        .order_by("-finished_at", "-id")
        .first()
    )
    if item is None:
        return ""
    written = WrittenDecision.objects.filter(work_item=item).values_list("opinions", flat=True).first()
    if written is not None:
        return written
    agenda = MeetingItem.objects.filter(work_item=item).select_related("meeting__body").last()
    if agenda is None:
        return item.note  # a holder's decision keeps its opinion on its own item (services.personal)
    with translation.override(settings.LANGUAGE_CODE):
        return agenda.return_reason


@dataclass(frozen=True)
class StepHolder:
    """Who holds a new step: a person (``user``, and ``acting_for_id`` when they stand in for someone
    away) or a body."""

    user: User | None = None
    acting_for_id: int | None = None
    body: Body | None = None


def step_holder(*, spec: StepSpec, task, document, holder=None) -> StepHolder:
    """Who holds the new step. A person who is away (委托) has the task reach their substitute, and the
    record says for whom. Asked by viewflow before it saves the task (the flow's ``Assign``), so a
    person's task is written once, with its owner."""
    if spec.actor not in (Actor.DRAFTER, Actor.RECIPIENT, Actor.HOLDER):
        # whether anyone sits on it, read with it: the vacancy flag needs no query of its own
        body = Body.objects.annotate(seated=body_seated_exists(on=timezone.localdate(), body_ref="pk"))
        return StepHolder(body=body.get(union=document.union, kind=spec.actor))
    if spec.actor == Actor.HOLDER:
        person_id = holder(document, spec.name)
        if person_id is None:  # the submit checked the route's holders under the same lock
            raise ValidationError(errors.NO_STEP_HOLDER, params={"step": spec.title})
    elif spec.actor == Actor.DRAFTER:
        person_id = document.drafter_id
    else:
        person_id = int(task.data["recipient_id"])
    return _person_or_substitute(person_id=person_id, union=document.union)


def _person_or_substitute(*, person_id: int, union) -> StepHolder:
    """The person, or the active substitute of their newest delegation covering the union's calendar
    day: one query for both users."""
    day = timezone.localtime(timezone.now(), union.tz).date()
    newest = Delegation.objects.filter(
        person_id=person_id, starts_on__lte=day, ends_on__gte=day, revoked_at__isnull=True
    ).order_by("-created_at")
    users = User.objects.filter(
        Q(pk=person_id) | Q(pk=Subquery(newest.values("substitute_id")[:1]), is_active=True)
    )
    found = {user.pk: user for user in users}
    substitute = next((user for pk, user in found.items() if pk != person_id), None)
    if substitute is not None:
        return StepHolder(user=substitute, acting_for_id=person_id)
    return StepHolder(user=found[person_id])


def _document_moved(*, document, document_type: str, spec: StepSpec, task) -> None:
    """The document takes the step's status; those it was copied to hear that it moved."""
    previous = document.status
    if previous == spec.status:
        return
    document.status = spec.status
    document.save(update_fields=["status"])
    event_record(
        verb="status_changed",
        subject=document,
        union=document.union,
        from_state=previous,
        to_state=spec.status,
        detail={"step": spec.name},
    )
    notify_copied(
        process=task.process,
        document=document,
        document_type=document_type,
        step_title=str(spec.title),
        key=f"moved-task:{task.pk}",
    )


def _deadline(*, union, code: str, year: int | None):
    """The due date of the obligation a document fulfils (S3.3 budget, S2.2 plan), if generated."""
    if not code or year is None:
        return None
    return (
        Obligation.objects.filter(union=union, code=code, fiscal_year=year)
        .order_by("due_date")
        .values_list("due_date", flat=True)
        .first()
    )


def user_may_act(*, user, work_item: WorkItem) -> bool:
    if not user.is_authenticated or not user.is_active or work_item.state != WorkItemState.OPEN:
        return False
    if work_item.kind == WorkItemKind.PERSON:
        return work_item.assignee_id == user.pk
    if work_item.assignee_id is not None and work_item.assignee_id != user.pk:
        return False  # claimed by another recorder: theirs until released or transferred
    return BodyUserObjectPermission.objects.filter(
        user=user, content_object_id=work_item.body_id, permission__codename="record_decision"
    ).exists()


def work_item_complete(*, work_item: WorkItem, actor: User | None, outcome: str) -> None:
    """Complete the item's task and route onwards. The caller holds the process lock and read the
    item under it (``work_item_reload`` brings the task along; the process lock guards every write
    to the process's tasks, so that row is current; otherwise the task is read here)."""
    if WorkItem.task.is_cached(work_item):
        task = work_item.task
    else:
        task = Task.objects.select_for_update().get(pk=work_item.task_id)
    locked = memo.locked_process(task.process_id)
    if locked is not None:
        task.process = locked  # the row the lock loaded: viewflow's activations share it
    if work_item.state != WorkItemState.OPEN or task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        raise AlreadyHandled(work_item)
    activation = task.flow_task.activation_class(task)
    if task.status == STATUS.NEW:
        activation.assign(actor)
    activation.start(None)
    now = timezone.now()
    work_item.state = WorkItemState.DONE
    work_item.finished_at = now
    work_item.finished_by = actor
    work_item.outcome = outcome
    if work_item.kind == WorkItemKind.BODY and work_item.assignee_id is None and actor is not None:
        work_item.assignee = actor
        work_item.claimed_at = now
    # Saved before execute(): the gate after this step reads the outcome (kept for the step).
    work_item.save()
    memo.keep_outcome(process_id=work_item.process_id, step=work_item.step, outcome=outcome)
    activation.execute()


def work_item_reload(work_item: WorkItem) -> None:
    """Read the item again, with its task and body, once its process is locked."""
    work_item.refresh_from_db(from_queryset=WorkItem.objects.select_related("task", "body"))


def work_items_cancel_open(*, process) -> int:
    """Cancel every open task of a process with its work item (withdrawal)."""
    count = 0
    for task in Task.objects.filter(process=process).exclude(status__in=[STATUS.DONE, STATUS.CANCELED]):
        activation = task.flow_task.activation_class(task)
        if activation.cancel.can_proceed():
            activation.cancel()
        else:
            task.status = STATUS.CANCELED
            task.finished = timezone.now()
            task.save(update_fields=["status", "finished"])
        count += 1
    WorkItem.objects.filter(process=process, state=WorkItemState.OPEN).update(
        state=WorkItemState.CANCELED, finished_at=timezone.now()
    )
    return count


def assert_may_act(*, user, work_item: WorkItem) -> None:
    if not user_may_act(user=user, work_item=work_item):
        raise may_act_refusal(user=user, work_item=work_item)


def may_act_refusal(*, user, work_item: WorkItem) -> PermissionDenied:
    """Why the user may not act on the item, in words: a member of the body that holds the step who
    does not record its decisions (a Party organisation's member) is told who records them; anyone
    else, that the task is not theirs."""
    if (
        work_item.kind == WorkItemKind.BODY
        and user.is_authenticated
        and not BodyUserObjectPermission.objects.filter(
            user=user, content_object_id=work_item.body_id, permission__codename="record_decision"
        ).exists()
        and Seat.objects.in_force().filter(person=user, body_id=work_item.body_id).exists()
    ):
        return PermissionDenied(errors.NOT_A_RECORDER % {"body": work_item.body.display_name})
    return PermissionDenied(errors.NOT_YOUR_TASK)


def last_outcome(*, process, step: str) -> str:
    """The outcome of the step's latest completion: the one made in this scope when there is one."""
    made_here = memo.outcome(process_id=process.pk, step=step)
    if made_here is not None:
        return made_here
    item = (
        WorkItem.objects.filter(process=process, step=step, state=WorkItemState.DONE)
        .order_by("-finished_at", "-id")
        .first()
    )
    return item.outcome if item else ""


def overdue_opinions(*, now: datetime.datetime | None = None):
    moment = now or timezone.now()
    return WorkItem.objects.filter(step="give_opinion", state=WorkItemState.OPEN, due_at__lt=moment)
