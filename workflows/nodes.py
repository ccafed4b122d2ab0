"""Wuyi's one node of its own: a dynamic split (the open-source build of viewflow has none), built
like the cookbook's: a Split whose activation creates one task of the next node per data item."""

from __future__ import annotations

from django.http import Http404
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
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


def unreachable_view(request, *args, **kwargs):
    """viewflow's View node needs a view; Wuyi's own pages act on tasks through services.

    The stock flow viewsets are never mounted (their lists ignore union scoping, viewflow issue
    #505), so this view is never routed.
    """
    raise Http404
