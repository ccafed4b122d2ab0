"""What every document page shares: its trail, who acts now, and the comment and copy-to forms
(templates/workflows/_document_who_acts.html and _trail.html render them), and the buttons that act on
the document and come back to its page (withdraw, submit)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from core.http import refuse
from core.selectors import UnionAccess
from workflows import errors
from workflows.services.workitems import DocumentBusy
from workflows.trail import DocumentTrail, chain_nodes, document_trail, who_acts
from workflows.views_actions import CommentForm, CopyToForm, comment_step_choices


def trail_context(
    request,
    *,
    document,
    document_type: str,
    access: UnionAccess,
    verb_labels: Mapping[str, Any] | None = None,
    trail: DocumentTrail | None = None,
) -> dict:
    """The context the trail's templates read; the page adds its own parts."""
    user = request.user
    trail = trail or document_trail(document=document, document_type=document_type, verb_labels=verb_labels)
    drafter_id = getattr(document, "drafter_id", None)
    # officers of the document's union and its drafter copy others on it (抄送)
    can_copy = user.pk == drafter_id or access.is_officer
    return {
        "document": document,
        "document_type": document_type,
        "union": document.union,
        "trail": trail,
        "chain": chain_nodes(trail=trail, document=document),
        "open_items": trail.open_items,
        "who_acts": who_acts(trail=trail, user=user, access=access, drafter_id=drafter_id),
        "comment_form": CommentForm(
            steps=comment_step_choices(trail.steps), initial={"step": trail.current_step}
        ),
        "can_copy": can_copy,
        "copy_form": CopyToForm() if can_copy else None,
    }


def document_action(request, *, document, call: Callable[[], Any], done: str, detail_url: str, refusal: str):
    """A button on a document's page (withdraw, submit): the service runs, its outcome or its refusal
    is told on the page it redirects back to; whoever may not act gets 403 (logged)."""
    try:
        call()
    except PermissionDenied:
        refuse(request, union=document.union, reason=refusal, status=403)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except DocumentBusy:
        messages.error(request, errors.LOCKED)
    else:
        messages.success(request, done)
    return redirect(detail_url, pk=document.pk)
