"""Work items: created with their task, completed with it, in the same transaction (issue 4)."""

from __future__ import annotations

import datetime
import random
import time
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.lock import lock_scope
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS

from core import compiled, refcache, writebehind
from core.models import Body, BodyUserObjectPermission, User
from core.services.events import event_record
from workflows import errors, ids, memo
from workflows.models import OpinionRequest, WorkItem, WorkItemKind, WorkItemState
from workflows.steps import Actor, StepSpec, step_due


class AlreadyHandled(ValidationError):
    """The step was completed or claimed by someone else first: say who and when."""

    def __init__(self, item: WorkItem):
        from django.utils.formats import date_format

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
def process_lock(process, *, document_model=None, document_related=("union",)):
    """Lock one process (an instance or its id) for a step, as a transaction.

    The same protocol as viewflow's ``select_for_update_lock`` (every Wuyi flow's ``lock_impl``):
    ``SELECT … FOR UPDATE NOWAIT`` on the process row, retried with a growing random pause, then
    ``DocumentBusy``; run inside viewflow's ``lock_scope`` so its after-release callbacks keep
    working. The difference: the row itself is loaded, not ``SELECT 1``, and kept in the step's
    memo (``workflows.memo``), so the service and viewflow's activations share one fresh instance
    instead of reading it again (issue 10, P6). Callers may pass the id and save that read too;
    ``document_model``: the process's document is read by the same statement, with its
    ``document_related`` rows (its union), and kept in the memo.
    """
    pk = getattr(process, "pk", process)
    spec = (document_model, tuple(document_related)) if document_model is not None else None
    try:
        with memo.step_scope(), lock_scope(_process_row_lock, spec, pk):
            yield
    except FlowLockFailed as exc:
        raise DocumentBusy from exc


def _lock_query(pk, attr, spec):
    query = Process.objects.filter(pk=pk).annotate(**ids.lock_annotations())
    if attr:
        # the document's join is an outer one: lock the process row only
        query = query.select_related(*(f"{attr}__{name}" for name in spec[1])).select_for_update(
            nowait=True, of=("self",)
        )
    else:
        query = query.select_for_update(nowait=True)
    return query.order_by("pk")[:1]  # what first() runs


@contextmanager
def _process_row_lock(spec, pk):
    attr = memo.document_attr(spec[0]) if spec is not None else None
    for attempt in range(LOCK_ATTEMPTS):
        with transaction.atomic():
            try:
                row = compiled.first(
                    ("process_lock", spec), lambda: _lock_query(pk, attr, spec), (*ids.lock_params(), pk)
                )
            except DatabaseError:
                if attempt == LOCK_ATTEMPTS - 1:
                    raise FlowLockFailed(f"Lock failed for process {pk}") from None
                time.sleep(((attempt + 1) * random.random() + 2**attempt) / 2.5)
            else:
                if row is not None:
                    memo.put(("process", pk), row)
                    ids.keep([row])
                    if attr and getattr(row, attr, None) is not None:
                        memo.remember_document(getattr(row, attr))
                with writebehind.batch():
                    yield
                break


def work_item_create(
    *,
    activation,
    spec: StepSpec,
    document,
    document_type: str,
    chain: list[str] | None = None,
    steps: dict[str, StepSpec] | None = None,
    obligation_code: str = "",
) -> WorkItem:
    """onCreate hook body: the task's work item, and the document's status, in the task's transaction."""
    task = activation.task
    union = document.union
    assignee_id = None
    body_id = None
    if spec.actor == Actor.DRAFTER:
        assignee_id = document.drafter_id
    elif spec.actor == Actor.RECIPIENT:
        assignee_id = int(task.data["recipient_id"])
    else:
        body_id = body_id_of(union_id=union.pk, kind=spec.actor)
    acting_for_id = None
    if assignee_id is not None:
        substitute_id = active_substitute_id(person_id=assignee_id, union=union)
        if substitute_id is not None:
            # 委托: the person is away; the task reaches the substitute, and the record says for whom.
            acting_for_id, assignee_id = assignee_id, substitute_id
        task.owner_id = assignee_id
        task.status = STATUS.ASSIGNED
        # Nothing in the step reads the new task's row before the batch is sent (core.writebehind).
        writebehind.update(Task, task.pk, owner_id=assignee_id, status=STATUS.ASSIGNED)
    due_raw = task.data.get("due_at") if task.data else None
    if due_raw:
        due_at = parse_datetime(due_raw)
    else:
        due_at = step_due(
            spec=spec,
            union=union,
            document_type=document_type,
            chain=chain or [],
            steps=steps or {spec.name: spec},
            deadline=_deadline(union=union, code=obligation_code, year=getattr(document, "year", None)),
        )
    item = WorkItem(
        pk=ids.take(WorkItem),
        task=task,
        process=task.process,
        union=union,
        document_type=document_type,
        document_id=document.pk,
        document_title=str(document)[:200],
        step=spec.name,
        step_title=str(spec.title),
        kind=WorkItemKind.PERSON if assignee_id else WorkItemKind.BODY,
        body_id=body_id,
        assignee_id=assignee_id,
        acting_for_id=acting_for_id,
        due_at=due_at,
    )
    if item.pk is None:
        item.save()
    else:
        writebehind.insert([item])  # the id was reserved with the lock (workflows.ids)
    from notifications.services.reminders import reminders_schedule_work_item

    reminders_schedule_work_item(item=item)
    if spec.actor == Actor.RECIPIENT:
        on_behalf_id = task.data.get("on_behalf_of_id")
        request = OpinionRequest(
            process=task.process,
            round=task.data.get("round", 1),
            recipient_id=acting_for_id or assignee_id,
            on_behalf_of_id=on_behalf_id,
            due_at=due_at,
            work_item=item,
        )
        writebehind.insert([request])
    previous = document.status
    if previous != spec.status:
        document.status = spec.status
        writebehind.update(type(document), document.pk, status=spec.status)
        event_record(
            verb="status_changed",
            subject=document,
            union=union,
            from_state=previous,
            to_state=spec.status,
            detail={"step": spec.name},
        )
        from workflows.services.notify import notify_copied

        notify_copied(
            process=task.process,
            document=document,
            document_type=document_type,
            step_title=str(spec.title),
            key=f"moved-task:{task.pk}",
        )
    return item


def _deadline(*, union, code: str, year: int | None):
    """The due date of the obligation a document fulfils (S3.3 budget, S2.2 plan), if generated."""
    if not code or year is None:
        return None
    from core.statutory import Obligation

    def load():
        return (
            Obligation.objects.filter(union=union, code=code, fiscal_year=year)
            .order_by("due_date")
            .values_list("due_date", flat=True)
            .first()
        )

    # Due dates are set when the year's obligations are generated (which clears the cache, as an
    # admin edit does); "not generated" is kept too: a work item's due date then follows the step
    # durations, in another process for at most REFERENCE_CACHE_SECONDS after the generation.
    return refcache.cached(f"deadline:{union.pk}:{code}:{year}", load)


def body_id_of(*, union_id: int, kind: str) -> int:
    """The id of a union's body of a kind (one per kind; kept in core.refcache, a Body write clears it)."""
    return refcache.cached(
        f"body:{union_id}:{kind}",
        lambda: Body.objects.filter(union_id=union_id, kind=kind).values_list("pk", flat=True).get(),
    )


def active_substitute_id(*, person_id: int, union, when=None) -> int | None:
    """``active_substitute`` by ids: the substitute's id, in one query without loading users."""
    from core.models import Delegation

    day = timezone.localtime(when or timezone.now(), union.tz).date()
    newest = compiled.first(
        ("active_substitute",),
        lambda: (
            Delegation.objects.filter(
                person_id=person_id, starts_on__lte=day, ends_on__gte=day, revoked_at__isnull=True
            )
            .order_by("-created_at")
            .values_list("substitute_id", "substitute__is_active")[:1]
        ),
        (day, person_id, day),
    )
    if newest is None or not newest[1]:
        return None
    return newest[0]


def user_may_act(*, user, work_item: WorkItem) -> bool:
    if not user.is_authenticated or not user.is_active or work_item.state != WorkItemState.OPEN:
        return False
    if work_item.kind == WorkItemKind.PERSON:
        return work_item.assignee_id == user.pk
    if work_item.assignee_id is not None and work_item.assignee_id != user.pk:
        return False  # claimed by another recorder: theirs until released or transferred
    return bool(
        compiled.fetch(
            ("may_record",),
            lambda: BodyUserObjectPermission.objects.filter(
                user=user, content_object_id=work_item.body_id, permission__codename="record_decision"
            ).values_list("pk")[:1],
            (work_item.body_id, "record_decision", user.pk),
        )
    )


def work_item_complete(*, work_item: WorkItem, actor: User | None, outcome: str) -> None:
    """Complete the item's task and route onwards. The caller holds the process lock and read the
    item under it (the task row, locked here, is checked again)."""
    task = memo.peek(("task", work_item.task_id))  # read with its work item under the lock
    if task is None:
        task = Task.objects.select_for_update().get(pk=work_item.task_id)
    locked = memo.peek(("process", task.process_id))
    if locked is not None:
        task.process = locked  # the row the lock loaded: viewflow's activations share it
    if work_item.state != WorkItemState.OPEN or task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        raise AlreadyHandled(work_item)
    activation = task.flow_task.activation_class(task)
    if task.status == STATUS.NEW:
        # viewflow's assign() saves the row, then execute() saves it again: one write is enough.
        task.owner = actor
        task.status = STATUS.ASSIGNED
    activation.start(None)
    now = timezone.now()
    work_item.state = WorkItemState.DONE
    work_item.finished_at = now
    work_item.finished_by = actor
    work_item.outcome = outcome
    changed = {
        "state": WorkItemState.DONE,
        "finished_at": now,
        "finished_by_id": actor.pk if actor is not None else None,
        "outcome": outcome,
    }
    if work_item.kind == WorkItemKind.BODY and work_item.assignee_id is None and actor is not None:
        work_item.assignee = actor
        work_item.claimed_at = now
        changed.update(assignee_id=actor.pk, claimed_at=now)
    # Written with the step's batch (a read of work items sends it first); the gates after this
    # step read the outcome from the memo.
    writebehind.update(WorkItem, work_item.pk, **changed)
    memo.put(("outcome", work_item.process_id, work_item.step), outcome)
    activation.execute()


def work_item_reload(work_item: WorkItem) -> WorkItem:
    """Read the item again under its process lock, with its task in the same statement; the task
    is kept for ``work_item_complete`` (the process lock guards every write to the process's
    tasks, so the row read here is the row completed)."""
    fresh = compiled.first(
        ("work_item_with_task",),
        lambda: WorkItem.objects.select_related("task").filter(pk=work_item.pk)[:1],
        (work_item.pk,),
    )
    if fresh is None:
        raise WorkItem.DoesNotExist(f"work item {work_item.pk} is gone")
    for f in WorkItem._meta.concrete_fields:
        setattr(work_item, f.attname, getattr(fresh, f.attname))
    keep_task(fresh)
    return work_item


def keep_task(item: WorkItem) -> None:
    """Keep the task read with the item under the lock (``select_related("task")``) for the step."""
    if item.task_id is not None and WorkItem.task.is_cached(item):
        memo.put(("task", item.task_id), item.task)


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
        raise PermissionDenied(errors.NOT_YOUR_TASK)


def last_outcome(*, process, step: str) -> str:
    """The outcome of the step's latest completion: the one made in this scope when there is one."""
    made_here = memo.peek(("outcome", process.pk, step))
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
