"""Small viewflow nodes of Wuyi's own (the open-source build has no dynamic split)."""

from __future__ import annotations

from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.nodes.join import Join as ViewflowJoin
from viewflow.workflow.nodes.join import JoinActivation as ViewflowJoinActivation
from viewflow.workflow.nodes.split import Split, SplitActivation


class DynamicSplitActivation(SplitActivation):
    """Creates one task of the next node per item the data source returns, in parallel."""

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

    def _join_token_prefixes(self):
        if self._prefixes is None:
            self._prefixes = super()._join_token_prefixes()
        return set(self._prefixes)

    def is_done(self):
        if self._branches_done is None:
            self._branches_done = super().is_done()
        return self._branches_done


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
