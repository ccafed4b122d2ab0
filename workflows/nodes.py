"""Small viewflow nodes of Wuyi's own (the open-source build has no dynamic split), and viewflow's
View, If and Switch with fewer writes per task (issue 10, P6).

viewflow writes a gateway's task three times (INSERT when created, UPDATE when completed, the link
to its predecessor) and evaluates its condition in a savepoint (two more statements); a View task's
link to its predecessor is one more INSERT. Wuyi's gateways here write their task once, when it is
complete (an If or Switch is created, decided and completed in the same call), without the
savepoint: Wuyi's conditions only read, and an exception still propagates and rolls the step back
(viewflow's default context), or is recorded on the task by viewflow's exception guard. Every link
to a predecessor goes with the step's other deferred writes (``core.writebehind``; viewflow's join
reads the links with a query, which sends them first). The rows written are the same as viewflow's.
"""

from __future__ import annotations

from django.utils.timezone import now
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.if_gate import If as ViewflowIf
from viewflow.workflow.nodes.if_gate import IfActivation as ViewflowIfActivation
from viewflow.workflow.nodes.join import Join as ViewflowJoin
from viewflow.workflow.nodes.join import JoinActivation as ViewflowJoinActivation
from viewflow.workflow.nodes.split import Split, SplitActivation
from viewflow.workflow.nodes.switch import Switch as ViewflowSwitch
from viewflow.workflow.nodes.switch import SwitchActivation as ViewflowSwitchActivation
from viewflow.workflow.nodes.view import View as ViewflowView
from viewflow.workflow.nodes.view import ViewActivation as ViewflowViewActivation
from viewflow.workflow.signals import task_finished
from viewflow.workflow.status import STATUS

from core import compiled, writebehind
from workflows import ids


def link_previous(task, previous_task) -> None:
    """viewflow's ``task.previous.add(previous_task)``, sent with the step's batch."""
    through = type(task).previous.through
    writebehind.insert([through(from_task_id=task.pk, to_task_id=previous_task.pk)], ignore_conflicts=True)


def save_new_task(task) -> None:
    """INSERT a new task row: with the step's batch when the lock reserved an id for it
    (``workflows.ids``), else at once (``RETURNING id``), as viewflow's ``task.save()``."""
    if task.pk is None:
        task.pk = ids.take(type(task))
    if task.pk is None:
        task.save()
        return
    if task.flow_task and not task.flow_task_type:
        task.flow_task_type = task.flow_task.task_type  # what viewflow's Task.save() sets
    writebehind.insert([task])


def task_row_update(task) -> None:
    """viewflow's ``task.save()`` of an existing row (every column), sent with the step's batch."""
    model = type(task)
    writebehind.update(
        model,
        task.pk,
        **{f.attname: getattr(task, f.attname) for f in model._meta.concrete_fields if not f.primary_key},
    )


def new_task(flow_task, prev_activation, token, data, seed):
    """An unsaved task of the node, as viewflow's activations make it."""
    task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
    task.data = data if data is not None else {}
    task.seed = seed
    return task


class _WrittenOnceGateActivation:
    """A gateway's task row is inserted once, complete (see the module's docstring)."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task = new_task(flow_task, prev_activation, token, data, seed)
        activation = cls(task)
        activation._came_from = prev_activation.task
        return activation

    # viewflow keeps activations in sets, hashed by their task: this one has no row (no id) until
    # it completes, and there is only ever one activation of it.
    def __eq__(self, other):
        return self is other

    def __hash__(self):
        return id(self)

    def _complete_and_link(self):
        # viewflow's Activation.complete (finished, saved: here the INSERT, signal), then the link
        self.task.finished = now()
        save_new_task(self.task)
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
        link_previous(self.task, self._came_from)


class IfActivation(_WrittenOnceGateActivation, ViewflowIfActivation):
    @Activation.status.super()
    def activate(self):
        with self.exception_guard():
            self._condition_result = self.flow_task._condition(self)

    @Activation.status.super()
    def complete(self):
        self._complete_and_link()


class If(ViewflowIf):
    activation_class = IfActivation


class SwitchActivation(_WrittenOnceGateActivation, ViewflowSwitchActivation):
    @Activation.status.super()
    def activate(self):
        with self.exception_guard():
            for node, cond in self.flow_task._branches:  # viewflow's order: a Default is overridden
                if cond:
                    if cond(self):
                        self.next_task = node
                        break
                else:
                    self.next_task = node
            if not self.next_task:
                raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")

    @Activation.status.super()
    def complete(self):
        self._complete_and_link()


class Switch(ViewflowSwitch):
    activation_class = SwitchActivation


class ViewActivation(ViewflowViewActivation):
    """viewflow's View activation; the link to the previous task goes with the step's batch."""

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task = new_task(flow_task, prev_activation, token, data, seed)
        activation = cls(task)
        owner_permission = flow_task.calc_owner_permission(activation)
        if owner_permission:
            task.owner_permission = owner_permission
            task.owner_permission_obj = flow_task.calc_owner_permission_obj(activation)
        owner = flow_task.calc_owner(activation)
        if owner:
            task.owner = owner
            task.status = STATUS.ASSIGNED
        # With a reserved id (workflows.ids) the row goes with the step's batch; the rows that
        # point at it (the link, the work item) come after it, whatever the constraints' timing.
        save_new_task(task)
        link_previous(task, prev_activation.task)
        if flow_task._on_create is not None:
            flow_task._on_create(activation)
        return activation

    @Activation.status.super()
    def complete(self):
        """viewflow's completion (finished, the row saved, the signal), the row with the batch."""
        self.task.finished = now()
        task_row_update(self.task)
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class View(ViewflowView):
    activation_class = ViewActivation


class DynamicSplitActivation(_WrittenOnceGateActivation, SplitActivation):
    """Creates one task of the next node per item the data source returns, in parallel."""

    @Activation.status.super()
    def complete(self):
        self._complete_and_link()  # before create_next, whose split tokens carry the task's id

    @Activation.status.super()
    def activate(self):
        for node, cond, data_source in self.flow_task._branches:
            if cond and not cond(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
            else:
                self.next_tasks.extend((node, item) for item in data_source(self))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No branch to activate for {self.flow_task.name}")


class DynamicSplit(Split):
    """A parallel split whose branch count is decided at run time (e.g. one task per recipient).

    ``.Next(node, data_source=callable(activation) -> list[dict])``: each dict becomes the
    ``task.data`` of one task of ``node``. A ``Join`` after ``node`` waits for all of them.
    """

    activation_class = DynamicSplitActivation

    def Next(self, node, case=None, data_source=None):  # noqa: N802 (viewflow's builder style)
        self._activate_next.append((node, case, data_source))
        return self


class JoinActivation(ViewflowJoinActivation):
    """viewflow's join, reading less per arriving branch (issue 10, P6).

    viewflow finds the waiting join task with a query and then reads its process row again; and
    every arrival asks for the join's token prefixes three times and for the still-active branches
    twice (the transition's condition is evaluated by ``can_proceed`` and again by the transition).
    Inside a locked step the process is the lock's row (``workflows.memo``), and both answers are
    kept for this activation: nothing they read changes between those calls, under the lock.
    """

    def __init__(self, task, *args, **kwargs):
        from viewflow.workflow.models import Task

        from workflows import memo

        locked = memo.peek(("process", task.process_id))
        if locked is not None and not Task.process.is_cached(task):
            task.process = locked
        self._prefixes = None
        self._branches_done = None
        super().__init__(task, *args, **kwargs)

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        """viewflow's JoinActivation.create with one write less per join: a new join task is
        inserted started (viewflow inserts it new, then its activation saves it started), and the
        link to the arriving branch goes with the step's batch (the prefix query sends it)."""
        task_class = flow_task.flow_class.task_class
        process_id = prev_activation.process.pk
        tasks = compiled.fetch(
            ("join_task", task_class._meta.label_lower),
            lambda: task_class._default_manager.filter(
                flow_task=flow_task, process_id=process_id, status__in=[STATUS.NEW, STATUS.STARTED]
            )[:2],
            (
                task_class._meta.get_field("flow_task").get_prep_value(flow_task),
                process_id,
                STATUS.NEW,
                STATUS.STARTED,
            ),
        )
        if len(tasks) > 1:
            raise FlowRuntimeError("More than one join instance for process found")
        if tasks:
            task = tasks[0]
        else:
            if token.is_split_token():
                token = token.get_base_split_token()
            task = new_task(flow_task, prev_activation, token, data, seed)
            task.status = STATUS.STARTED
            task.started = now()
            save_new_task(task)
        link_previous(task, prev_activation.task)
        return cls(task)

    @Activation.status.super()
    def complete(self):
        """viewflow's join completion without its savepoint: Wuyi's joins have no
        ``continue_on_condition`` (nothing to cancel, nothing to roll back on its own); an error
        propagates and rolls the step back, or is recorded by viewflow's exception guard."""
        assert self.flow_task._continue_on_condition is None
        with self.exception_guard():
            join_prefixes = self._join_token_prefixes()
            if len(join_prefixes) > 1:
                raise FlowRuntimeError(f"Multiple tokens {join_prefixes} came to join {self.flow_task.name}")
            self.task.finished = now()
            task_row_update(self.task)  # with the step's batch, as a View's completion
            task_finished.send(sender=self.flow_class, process=self.process, task=self.task)

    def _join_token_prefixes(self):
        if self._prefixes is None:
            # viewflow's query, reading the two columns it uses instead of whole task rows
            task = self.task
            self._prefixes = {
                token.get_common_split_prefix(task.token, pk)
                for token, pk in compiled.fetch(
                    ("join_previous", type(task)._meta.label_lower),
                    lambda: task.previous.exclude(status__in=[STATUS.CANCELED, STATUS.REVIVED]).values_list(
                        "token", "pk"
                    ),
                    (task.pk, STATUS.CANCELED, STATUS.REVIVED),
                )
            }
        return set(self._prefixes)

    def is_done(self):
        """viewflow's ``is_done`` (Wuyi's joins have no ``continue_on_condition``): done when one
        token prefix came in and no task of it is still active."""
        if self._branches_done is None:
            prefixes = self._join_token_prefixes()
            if len(prefixes) != 1:
                self._branches_done = len(prefixes) > 1  # >1: complete() reports the error
            else:
                self._branches_done = not self._active_branch(next(iter(prefixes)))
        return self._branches_done

    def _active_branch(self, prefix) -> bool:
        """viewflow's ``_active_join_tasks(prefix).exists()``, compiled once."""
        from django.db import connection

        model = self.flow_class.task_class
        process_id = self.task.process_id
        return bool(
            compiled.fetch(
                ("join_active_branch", model._meta.label_lower),
                lambda: self._active_join_tasks(prefix).values_list("pk")[:1],
                (
                    process_id,
                    connection.ops.prep_for_like_query(prefix) + "%",
                    STATUS.DONE,
                    STATUS.CANCELED,
                    STATUS.REVIVED,
                ),
            )
        )


class Join(ViewflowJoin):
    """A parallel join (``flow.Join``) with the reads above shared."""

    activation_class = JoinActivation


def unreachable_view(request, *args, **kwargs):
    """viewflow's View node needs a view; Wuyi's own pages act on tasks through services.

    The stock flow viewsets are never mounted (their lists ignore union scoping, viewflow issue
    #505), so this view is never routed.
    """
    from django.http import Http404

    raise Http404
