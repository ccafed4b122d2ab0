"""What every document page shares: its trail, who acts now, what the viewer may do on it, and the
comment and copy-to forms (templates/workflows/_document_actions.html, _document_who_acts.html and
_trail.html render them), and the buttons that act on the document and come back to its page
(withdraw, submit)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from core.confirm import confirmation_page, confirmed
from core.http import refuse
from core.models import DecisionMode
from core.selectors import UnionAccess
from workflows import errors
from workflows.documents import document_url
from workflows.models import WorkItem, WorkItemKind
from workflows.services.drafting import withdrawable
from workflows.services.workitems import DocumentBusy
from workflows.trail import DocumentTrail, body_step_of_viewer, chain_nodes, document_trail, who_acts
from workflows.views import work_item_action
from workflows.views_actions import CommentForm, CopyToForm, comment_step_choices


@dataclass(frozen=True)
class ViewerAction:
    """An open step of the document the viewer may take, and the page where they take it."""

    item: WorkItem
    url: str
    label: str


def viewer_actions(*, rows: list[dict], user, page_url: str | None) -> list[ViewerAction]:
    """The open items of the document the viewer may act on (workflows.services.workitems.user_may_act,
    decided on who_acts' rows: no query of its own), each with the inbox's action (work_item_action).
    The drafter's steps are taken with the page's own buttons (edit, submit, submit upward): an action
    that would open this very page is left out."""
    actions = []
    for row in rows:
        item = row["item"]
        if item.kind == WorkItemKind.BODY:
            may_act = row["records"] and item.assignee_id in (None, user.pk)
        else:
            may_act = item.assignee_id == user.pk
        if not may_act:
            continue
        url, label = work_item_action(item)
        if not url or url == page_url:
            continue
        if item.kind == WorkItemKind.BODY and item.body.decision_mode != DecisionMode.WRITTEN:
            url = f"{url}?agenda={item.pk}"  # the meeting page opens with this document on its agenda
        actions.append(ViewerAction(item=item, url=url, label=label))
    return actions


def acting_context(
    *, user, document, trail: DocumentTrail, access: UnionAccess, page_url: str | None
) -> dict:
    """Who must act now and the viewer's own steps on the document (_document_who_acts.html and
    _document_actions.html): for every document page, also one without comments or copies (the
    execution analysis)."""
    rows = who_acts(trail=trail, user=user, access=access, drafter_id=getattr(document, "drafter_id", None))
    return {
        "who_acts": rows,
        # the open step the viewer's own body holds: replaces the read-only notice (issue 25)
        "body_step": body_step_of_viewer(rows),
        "viewer_actions": viewer_actions(rows=rows, user=user, page_url=page_url),
    }


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
        **acting_context(
            user=user,
            document=document,
            trail=trail,
            access=access,
            page_url=document_url(document_type, document.pk),
        ),
        "comment_form": CommentForm(
            steps=comment_step_choices(trail.steps),
            initial={"step": trail.current_step},
            document=document,
            document_type=document_type,
            user=user,
        ),
        "can_copy": can_copy,
        "copy_form": (
            CopyToForm(document=document, document_type=document_type, user=user) if can_copy else None
        ),
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


def document_withdraw_action(
    request,
    *,
    document,
    call: Callable[[], Any],
    done: str,
    detail_url: str,
    question: str,
    may_withdraw: Callable[[Any], bool] = withdrawable,
):
    """撤回 asks first (core/confirm.py) when the drafter may withdraw the document now (``may_withdraw``:
    the kind's own rule where it differs); anyone else, or a document past it, gets the service's
    refusal as before, without the question."""
    if request.user.pk == document.drafter_id and may_withdraw(document) and not confirmed(request):
        return confirmation_page(
            request,
            question=question,
            details=[_("Its open steps are cancelled and it goes no further. This cannot be undone.")],
            answer=_("Withdraw"),
            cancel_url=reverse(detail_url, args=[document.pk]),
        )
    return document_action(
        request, document=document, call=call, done=done, detail_url=detail_url, refusal="may not withdraw"
    )
