"""批量同意 from the inbox: the ticked opinion requests and added-signer steps answered "agree" at once,
after one confirmation (core/confirm.py). Thin: workflows.services.bulk chooses the items and answers
each with its own service; the inbox then says which were answered and which someone closed first.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.confirm import confirmation_page, confirmed
from workflows import errors
from workflows.services.bulk import BulkOutcome, bulk_answer_label, bulk_items, personal_steps_agree
from workflows.views import SIGNER_STEP

MAX_ID = 2**63 - 1


def _ids(raw: list[str]) -> list[int]:
    ids = []
    for value in raw:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < number <= MAX_ID:
            ids.append(number)
    return ids


def _step_label(item) -> str:
    return _("Opinion as added signer") if item.step == SIGNER_STEP else _(item.step_title)


def _question(request, items):
    return confirmation_page(
        request,
        question=_("Agree to these %(count)s steps at once?") % {"count": len(items)},
        details=[
            _("%(title)s · %(step)s · %(answer)s")
            % {"title": item.document_title, "step": _step_label(item), "answer": bulk_answer_label(item)}
            for item in items
        ],
        answer=_("Agree to all of them"),
        cancel_url=reverse("workflows:my_work"),
        title=_("Agree in bulk"),
    )


def _tell(request, outcome: BulkOutcome) -> None:
    if outcome.agreed:
        messages.success(
            request,
            _("Answered %(count)s: %(titles)s.")
            % {"count": len(outcome.agreed), "titles": "、".join(i.document_title for i in outcome.agreed)},
        )
    for item, reason in outcome.handled:
        messages.warning(
            request,
            _("Not answered again, already closed: %(title)s (%(reason)s)")
            % {"title": item.document_title, "reason": reason},
        )
    for item, reason in outcome.failed:
        messages.error(
            request,
            _("Not answered: %(title)s (%(reason)s)") % {"title": item.document_title, "reason": reason},
        )


@login_required
@require_POST
def bulk_agree(request):
    """POST the ticked items: without confirm=yes, the page that lists them and asks; with it, each is
    answered and the inbox shows the next items with what happened to these."""
    items = bulk_items(user=request.user, item_ids=_ids(request.POST.getlist("item")))
    if not items:
        messages.error(request, errors.BULK_NOTHING_TICKED)
        return redirect("workflows:my_work")
    if not confirmed(request):
        return _question(request, items)
    _tell(request, personal_steps_agree(user=request.user, items=items))
    return redirect("workflows:my_work")
