"""A bare viewflow flow as long as the budget chain's straight path, for P6.

Seven human steps (draft, two opinions in sequence, consolidate, three bodies), each a stock ``View``
node; no work items, events, reminders or documents. The same lock as Wuyi's flows
(``select_for_update_lock``). P6 (bench/p6.py) decides each step with a POST to the bench-only view
bench/bareflow/views.py: under the process lock, assign the task to the user, start it, execute it.
"""

from __future__ import annotations

from viewflow import this
from viewflow.workflow import flow, lock


def _no_view(request, *args, **kwargs):  # never routed: bench/bareflow/views.py decides the steps
    from django.http import Http404

    raise Http404


STEP_NAMES = ["draft", "opinion_1", "opinion_2", "consolidate", "audit", "party", "congress"]


class BareFlow(flow.Flow):
    lock_impl = lock.select_for_update_lock
    process_title = "Bare flow"

    start = flow.StartHandle(this.start_process).Next(this.draft)
    draft = flow.View(_no_view).Next(this.opinion_1)
    opinion_1 = flow.View(_no_view).Next(this.opinion_2)
    opinion_2 = flow.View(_no_view).Next(this.consolidate)
    consolidate = flow.View(_no_view).Next(this.audit)
    audit = flow.View(_no_view).Next(this.party)
    party = flow.View(_no_view).Next(this.congress)
    congress = flow.View(_no_view).Next(this.end)
    end = flow.End()

    def start_process(self, activation, *, user):
        activation.process.data = {"user_id": user.pk}
        activation.process.save()
        return activation.process
