"""Delegation while away (委托): a person's delegations, a form for a new one, and the record of who
acted for whom. The tasks that reach someone away go to the substitute (workflows.services.workitems)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse
from workflows.documents import document_url
from workflows.forms_delegation import DelegationForm
from workflows.models import Delegation, WorkItem, WorkItemState
from workflows.services.actions import delegation_create, delegation_revoke
from workflows.views_actions import log_pick_refusal

ACTED_FOR_ROWS = 100  # the newest tasks done for someone else, each way


def _delegation_state(delegation: Delegation, today) -> str:
    if delegation.revoked_at is not None:
        return "revoked"
    if delegation.ends_on < today:
        return "past"
    if delegation.starts_on > today:
        return "upcoming"
    return "active"


def _create(request, form: DelegationForm) -> list[str]:
    """Record the delegation the form holds; the problems that prevented it, if any."""
    if not form.is_valid():
        log_pick_refusal(request, form)
        return [_("Please correct the errors below.")]
    data = form.cleaned_data
    try:
        delegation_create(
            person=request.user,
            substitute=data["substitute"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            note=data["note"].strip(),
        )
    except ValidationError as exc:
        return list(exc.messages)
    messages.success(
        request,
        _("From %(start)s to %(end)s your new tasks reach %(person)s.")
        % {"start": data["starts_on"], "end": data["ends_on"], "person": data["substitute"]},
    )
    return []


def _acted_for(user) -> tuple[list, list]:
    """(tasks others did for the user, tasks the user did for others), each with its document's page."""
    done = WorkItem.objects.filter(state=WorkItemState.DONE).select_related(
        "union", "assignee", "finished_by", "acting_for"
    )
    newest = ("-finished_at", "-id")
    for_me = done.filter(acting_for=user).order_by(*newest)[:ACTED_FOR_ROWS]
    by_me = done.filter(acting_for__isnull=False, finished_by=user).order_by(*newest)[:ACTED_FOR_ROWS]
    return _with_pages(for_me), _with_pages(by_me)


def _with_pages(items) -> list:
    return [(item, document_url(item.document_type, item.document_id)) for item in items]


@login_required
def delegations(request):
    form = DelegationForm(
        request.POST or None, initial={"starts_on": timezone.localdate()}, user=request.user
    )
    problems: list[str] = []
    if request.method == "POST":
        problems = _create(request, form)
        if not problems:
            return redirect("delegations")
    today = timezone.localdate()
    mine = [
        (d, _delegation_state(d, today))
        for d in Delegation.objects.filter(person=request.user).select_related("substitute")
    ]
    to_me = [
        (d, _delegation_state(d, today))
        for d in Delegation.objects.filter(substitute=request.user).select_related("person")
    ]
    acted_for_me, i_acted_for = _acted_for(request.user)
    return render(
        request,
        "workflows/delegations.html",
        {
            "form": form,
            "problems": problems,
            "mine": mine,
            "to_me": to_me,
            "acted_for_me": acted_for_me,
            "i_acted_for": i_acted_for,
        },
        status=400 if problems else 200,
    )


@login_required
@require_POST
def delegation_revoke_view(request, pk: int):
    delegation = Delegation.objects.select_related("substitute").filter(pk=pk, person=request.user).first()
    if delegation is None:
        refuse(request, union=None, reason="delegation not found or not yours")
    delegation_revoke(delegation=delegation, user=request.user)
    messages.success(
        request, _("The delegation to %(person)s was revoked.") % {"person": delegation.substitute}
    )
    return redirect("delegations")
