"""P6's bare click (bench/p6.py): one stock viewflow View step of BareFlow, decided by a POST.

What viewflow's own task view does on a valid form, and nothing more: under the flow's lock
(``select_for_update_lock``) it reads the task, assigns it to the person, starts and executes it;
then a flash message and a redirect to ``next``, which the bench sets to the page the matching Wuyi
click landed on. No form, no document, no work item, no event, no notification.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from bench.bareflow.flows import STEP_NAMES, BareFlow


@login_required
@require_POST
def bare_step(request, process_pk: int, step: str):
    if step not in STEP_NAMES:
        raise Http404
    node = getattr(BareFlow, step)
    with BareFlow.lock(process_pk):
        task = Task.objects.select_for_update().filter(
            process_id=process_pk, flow_task=node, status=STATUS.NEW
        )
        task = task.first()
        if task is None:
            raise Http404
        activation = task.flow_task.activation_class(task)
        activation.assign(request.user)
        activation.start(request)
        activation.execute()
    messages.success(request, "Done.")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
