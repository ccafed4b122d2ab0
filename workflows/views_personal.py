"""The holder's decision page: approve, or return with opinions, a step the document kind gave this
person (services.personal), e.g. the chair's approval of an expenditure request."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.http import refuse
from workflows import errors
from workflows.documents import document_for
from workflows.models import Resolution, WorkItem
from workflows.services.actions import refused
from workflows.services.personal import decides_personally, personal_decide
from workflows.services.workitems import AlreadyHandled, DocumentBusy
from workflows.views import decided_landing_url, item_document_url


class PersonalDecisionForm(forms.Form):
    resolution = forms.ChoiceField(
        label=gettext_lazy("your decision"), choices=Resolution.choices, widget=forms.RadioSelect
    )
    opinions = forms.CharField(
        label=gettext_lazy("opinions (needed for a return)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


@login_required
def personal_decision(request, item_id: int):
    item = WorkItem.objects.select_related("union", "process").filter(pk=item_id).first()
    if item is None or not decides_personally(item):
        raise Http404
    if item.assignee_id != request.user.pk:
        refuse(request, union=item.union, reason="not the holder of this step", status=403)
    form = PersonalDecisionForm(request.POST or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            problems, status = _decide(request, item, form.cleaned_data)
            if not problems:
                return redirect(decided_landing_url(item))
        else:
            problems, status = [_("Please correct the errors below.")], 400
    context = {
        "item": item,
        "document": document_for(item),
        "document_url": item_document_url(item),
        "form": form if item.is_open else None,
        "problems": problems,
    }
    return render(request, "workflows/personal_decision.html", context, status=status)


def _decide(request, item: WorkItem, data: dict) -> tuple[list[str], int]:
    """Record the decision: ([], 200), or the problems and the status the page answers with."""
    try:
        personal_decide(
            work_item=item, actor=request.user, resolution=data["resolution"], opinions=data["opinions"]
        )
    except AlreadyHandled as exc:
        return exc.messages, 409
    except ValidationError as exc:
        # kept as an event: the decision's transaction has rolled back (no budget left, …)
        refused(actor=request.user, item=item, reason="decision refused", exc=exc)
        return exc.messages, 400
    except DocumentBusy:
        return [str(errors.LOCKED)], 409
    except PermissionDenied as exc:
        refused(actor=request.user, item=item, reason="decision refused", exc=exc)
        return [str(exc)], 403
    label = _("approved") if data["resolution"] == Resolution.APPROVE else _("returned with opinions")
    messages.success(request, _("Your decision was recorded: %(decision)s.") % {"decision": label})
    return [], 200
