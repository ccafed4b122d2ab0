"""Pages of the task actions: claim, release, transfer (转交), add a signer (加签), the added
signer's answer, comments with mentions and copy to (抄送). Thin: they parse input and call one
service of workflows.services.actions, which decides and writes refusals as events.

Access: whoever may not see the document gets 404 (core.http.refuse logs it); whoever may see it but
may not act gets 403; a step someone else finished or claimed first gets 409 with "already handled by
X at T"; a document locked by another user gets 409. Every refusal re-renders what was typed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core import errors as core_errors
from core.forms_people import NOT_ALLOWED, PersonField
from core.http import refuse
from core.models import BodyUserObjectPermission, User
from core.people import person_name
from core.selectors import union_access
from workflows import errors, registry
from workflows.circles import signer_scope, transfer_scope
from workflows.documents import document_model, document_url, document_visible_to
from workflows.forms_actions import AddSignerForm, CommentForm, CopyToForm, SignerAnswerForm, TransferForm
from workflows.models import WorkItem, WorkItemKind, WorkItemState
from workflows.services.actions import (
    comment_add,
    copy_to_add,
    refused,
    signer_add,
    signer_answer,
    work_item_claim,
    work_item_release,
    work_item_transfer,
)
from workflows.services.urge import work_item_urge
from workflows.services.workitems import AlreadyHandled, DocumentBusy, may_act_refusal, user_may_act
from workflows.views import landing_url

# --- helpers ----------------------------------------------------------------------------------------


def _document_or_none(document_type: str, document_id: int):
    if registry.kind_or_none(document_type) is None:
        return None
    return document_model(document_type).objects.select_related("union").filter(pk=document_id).first()


def item_for_viewer(request, item_id: int) -> tuple[WorkItem, object]:
    """The work item and its document, or 404 (logged) for a forged id or a document the user may not see."""
    item = (
        WorkItem.objects.select_related(
            "union", "body", "process", "assignee", "finished_by", "parent__assignee"
        )
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        refuse(request, union=None, reason="no such task")
    document = _document_or_none(item.document_type, item.document_id)
    if document is None or not document_visible_to(
        user=request.user, document_type=item.document_type, document=document
    ):
        refuse(request, union=item.union, reason="task not visible")
    return item, document


def _document_for_viewer(request, document_type: str, document_id: int):
    document = _document_or_none(document_type, document_id)
    if document is None:
        refuse(request, union=None, reason="no such document")
    if not document_visible_to(user=request.user, document_type=document_type, document=document):
        refuse(request, union=document.union, reason="document not visible")
    return document


def page_url(document_type: str, document_id: int) -> str | None:
    """The document's page, or None while its type has no page yet."""
    try:
        return document_url(document_type, document_id)
    except (KeyError, NoReverseMatch):
        return None


def _after_url(request, item: WorkItem) -> str:
    """The document's page (or the inbox, where the actor may no longer see it): workflows.views."""
    return landing_url(user=request.user, item=item)


def _next_url(request, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


def _task_context(item: WorkItem, document) -> dict:
    return {
        "item": item,
        "document": document,
        "document_url": page_url(item.document_type, item.document_id),
    }


def _refusal(request, *, item: WorkItem, document, problems: list[str], status: int):
    """A refused POST of a page without a form (claim, release): the reason and the way back."""
    context = _task_context(item, document) | {"problems": problems}
    return render(request, "workflows/actions/refused.html", context, status=status)


def _log_refusal(request, *, item: WorkItem, reason: str, exc: Exception) -> None:
    """Refusals the services do not write themselves (already handled, not allowed to open the page)."""
    refused(actor=request.user, item=item, reason=reason, exc=exc)


def item_closed(request, item: WorkItem) -> tuple[list[str], int] | None:
    """The item is not open: finished (by whom, when), withdrawn, or waiting for an added signer."""
    if item.state == WorkItemState.OPEN:
        return None
    if item.state == WorkItemState.DONE:
        exc = AlreadyHandled(item)
        reason = "already handled"
    elif item.state == WorkItemState.BLOCKED:
        exc = ValidationError(errors.SIGNER_BLOCKED)
        reason = "waiting for signer"
    else:
        exc = ValidationError(errors.TASK_CLOSED)
        reason = "task closed"
    _log_refusal(request, item=item, reason=reason, exc=exc)
    return exc.messages, 409


def action_precheck(request, item: WorkItem) -> tuple[list[str], int] | None:
    """Why the user may not act on the item now, as (problems, status); None when they may."""
    closed = item_closed(request, item)
    if closed:
        return closed
    if not user_may_act(user=request.user, work_item=item):
        if (
            item.assignee_id is not None
            and item.kind == WorkItemKind.BODY
            and _is_recorder(request.user, item)
        ):
            exc = AlreadyHandled(item)  # a colleague claimed it first
            _log_refusal(request, item=item, reason="claimed by another", exc=exc)
            return exc.messages, 409
        exc = may_act_refusal(user=request.user, work_item=item)  # a member who does not record: who does
        _log_refusal(request, item=item, reason="may not act", exc=exc)
        return [str(exc.args[0])], 403
    return None


def _is_recorder(user: User, item: WorkItem) -> bool:
    return BodyUserObjectPermission.objects.filter(
        user=user, content_object_id=item.body_id, permission__codename="record_decision"
    ).exists()


# --- claim and release ------------------------------------------------------------------------------


def _post_action(request, item_id: int, *, call, success):
    """Claim and release: POST only; a refusal renders its reason with the way back."""
    item, document = item_for_viewer(request, item_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    refusal = item_closed(request, item)
    if refusal is None:
        problems, status = run_action(request, item=item, call=lambda: call(item))
        if not problems:
            messages.success(request, success(item))
            return redirect(_next_url(request, _after_url(request, item)))
        refusal = (problems, status)
    return _refusal(request, item=item, document=document, problems=refusal[0], status=refusal[1])


@login_required
def claim(request, item_id: int):
    """Take a body's task (签收): it is mine until I release or transfer it."""
    return _post_action(
        request,
        item_id,
        call=lambda item: work_item_claim(item=item, user=request.user),
        success=lambda item: (
            _("You claimed “%(step)s”: it is yours until you release or transfer it.")
            % {"step": _(item.step_title)}
        ),
    )


@login_required
def release(request, item_id: int):
    """Give a claimed task back to the body's queue."""
    return _post_action(
        request,
        item_id,
        call=lambda item: work_item_release(item=item, user=request.user),
        success=lambda item: (
            _("You released “%(step)s”: it is back in the %(body)s's queue.")
            % {"step": _(item.step_title), "body": item.body.display_name}
        ),
    )


# --- transfer and add a signer ----------------------------------------------------------------------


def log_pick_refusal(request, form, *, item: WorkItem | None = None, union=None) -> None:
    """A person posted outside the action's circle (a forged or stale choice: the picker offers only
    the circle) is refused like any other action, with an event."""
    for name, field in form.fields.items():
        if isinstance(field, PersonField) and form.has_error(name, NOT_ALLOWED):
            exc = ValidationError(core_errors.PERSON_NOT_ALLOWED)
            refused(actor=request.user, item=item, union=union, reason="person not allowed", exc=exc)
            return


def _action_page(request, *, item, document, form, template: str, problems: list[str], status: int):
    context = _task_context(item, document) | {"form": form, "problems": problems}
    return render(request, template, context, status=status)


def _show_form(request, refusal) -> bool:
    """The form is shown when the user may act, and after any POST: what was typed is never lost."""
    return refusal is None or request.method == "POST"


def run_action(request, *, item, call) -> tuple[list[str], int]:
    """Call the service; ([], 0) on success, else (problems, status)."""
    try:
        call()
    except AlreadyHandled as exc:
        _log_refusal(request, item=item, reason="already handled", exc=exc)
        return exc.messages, 409
    except DocumentBusy:
        return [str(errors.LOCKED)], 409
    except PermissionDenied as exc:
        return [str(exc)], 403
    except ValidationError as exc:
        return exc.messages, 400
    return [], 0


def _task_form(request, *, item, document, form, template: str, refusal, call, success):
    """GET shows the form; POST calls the service. Every refusal re-renders the form as typed.

    refusal: (problems, status) when the user may not act on the item at all, else None.
    call(cleaned_data) runs the service; success(cleaned_data) is the message after it.
    """
    problems: list[str] = []
    status = 200
    if refusal:
        problems, status = refusal
    elif request.method == "POST":
        if form.is_valid():
            problems, status = run_action(request, item=item, call=lambda: call(form.cleaned_data))
            if not problems:
                messages.success(request, success(form.cleaned_data))
                return redirect(_next_url(request, _after_url(request, item)))
        else:
            log_pick_refusal(request, form, item=item)
            problems, status = [_("Please correct the errors below.")], 400
    return _action_page(
        request,
        item=item,
        document=document,
        form=form if _show_form(request, refusal) else None,
        template=template,
        problems=problems,
        status=status,
    )


@login_required
def transfer(request, item_id: int):
    """转交 a body's task to another recorder of the same body, with a note."""
    item, document = item_for_viewer(request, item_id)
    if item.kind != WorkItemKind.BODY:
        exc = ValidationError(errors.CLAIM_PERSON_TASK)
        _log_refusal(request, item=item, reason="transfer person task", exc=exc)
        return _refusal(request, item=item, document=document, problems=exc.messages, status=400)
    return _task_form(
        request,
        item=item,
        document=document,
        form=TransferForm(
            request.POST or None, scope=transfer_scope(item=item, user=request.user), ref=str(item.pk)
        ),
        template="workflows/actions/transfer.html",
        refusal=action_precheck(request, item),
        call=lambda data: work_item_transfer(
            item=item, user=request.user, to=data["to"], note=data["note"].strip()
        ),
        success=lambda data: (
            _("“%(step)s” was transferred to %(person)s.")
            % {"step": _(item.step_title), "person": data["to"]}
        ),
    )


@login_required
def add_signer(request, item_id: int):
    """加签: a colleague answers before me; my step waits for them, then comes back to me."""
    item, document = item_for_viewer(request, item_id)
    refusal = action_precheck(request, item)
    if refusal is None and item.parent_id is not None:
        exc = PermissionDenied(errors.NOT_YOUR_TASK)
        _log_refusal(request, item=item, reason="signer adds signer", exc=exc)
        refusal = ([str(exc)], 403)
    return _task_form(
        request,
        item=item,
        document=document,
        form=AddSignerForm(
            request.POST or None, scope=signer_scope(item=item, user=request.user), ref=str(item.pk)
        ),
        template="workflows/actions/add_signer.html",
        refusal=refusal,
        call=lambda data: signer_add(
            item=item, user=request.user, signer=data["signer"], note=data["note"].strip()
        ),
        success=lambda data: (
            _("%(person)s was added as a signer: your step waits for their answer.")
            % {"person": data["signer"]}
        ),
    )


@login_required
def signer_answer_view(request, item_id: int):
    """The added signer agrees or disagrees, with an opinion; the step returns to the one who asked."""
    item, document = item_for_viewer(request, item_id)
    if item.parent_id is None:
        refuse(request, union=item.union, reason="not an added signer's task")
    refusal = None
    if item.assignee_id != request.user.pk:
        exc = PermissionDenied(errors.NOT_YOUR_TASK)
        _log_refusal(request, item=item, reason="sign not mine", exc=exc)
        refusal = ([str(exc)], 403)
    else:
        refusal = item_closed(request, item)
    asker = item.parent.assignee
    return _task_form(
        request,
        item=item,
        document=document,
        form=SignerAnswerForm(request.POST or None, initial={"answer": "agree"}),
        template="workflows/actions/sign.html",
        refusal=refusal,
        call=lambda data: signer_answer(
            signer_item=item, user=request.user, agree=data["answer"] == "agree", text=data["text"]
        ),
        success=lambda data: (
            _("Your answer was sent to %(person)s.") % {"person": asker}
            if asker
            else _("Your answer was recorded.")
        ),
    )


# --- comments and copy to ---------------------------------------------------------------------------


def _comment_steps(document) -> dict[int, WorkItem]:
    if document.process_id is None:
        return {}
    items = WorkItem.objects.filter(process_id=document.process_id, parent__isnull=True).order_by("id")
    return {item.pk: item for item in items}


def comment_step_choices(steps: dict[int, WorkItem]) -> list[tuple[int, str]]:
    return [(pk, f"{_(item.step_title)} · {item.get_state_display()}") for pk, item in steps.items()]


def comment_form_for(document, data=None, files=None, *, document_type: str, user) -> CommentForm:
    """The comment form of a document page; the current open step is chosen by default."""
    steps = _comment_steps(document)
    current = next((pk for pk, item in reversed(steps.items()) if item.state == WorkItemState.OPEN), None)
    return CommentForm(
        data,
        files,
        steps=comment_step_choices(steps),
        initial={"step": current},
        document=document,
        document_type=document_type,
        user=user,
    )


@login_required
def comment(request, document_type: str, document_id: int):
    """A comment with attachments on a document or one of its steps; the people it mentions are told."""
    document = _document_for_viewer(request, document_type, document_id)
    doc_url = page_url(document_type, document.pk)
    steps = _comment_steps(document)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = comment_form_for(document, data, files, document_type=document_type, user=request.user)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            step = steps.get(form.cleaned_data["step"]) if form.cleaned_data["step"] else None
            try:
                _comment, skipped = comment_add(
                    document=document,
                    document_type=document_type,
                    author=request.user,
                    text=form.cleaned_data["text"],
                    work_item=step,
                    files=form.cleaned_data["files"],
                    mentions=form.cleaned_data["mentions"],
                )
            except PermissionDenied as exc:
                problems, status = [str(exc)], 403
            except ValidationError as exc:
                problems, status = exc.messages, 400
            else:
                messages.success(request, _("Your comment was posted."))
                if skipped:
                    messages.warning(
                        request,
                        _("Not told (they may not see this document): %(names)s")
                        % {"names": "、".join(person_name(p) for p in skipped)},
                    )
                return redirect(f"{doc_url}#comments" if doc_url else reverse("workflows:my_work"))
        else:
            log_pick_refusal(request, form, union=document.union)
            problems, status = [_("Please correct the errors below.")], 400
    return render(
        request,
        "workflows/actions/comment.html",
        {
            "document": document,
            "document_type": document_type,
            "document_url": doc_url,
            "form": form,
            "problems": problems,
        },
        status=status,
    )


def may_copy(*, user, document) -> bool:
    """Officers of the document's union and its drafter copy others on it (抄送)."""
    return (
        user.pk == getattr(document, "drafter_id", None)
        or union_access(user=user, union=document.union).is_officer
    )


@login_required
def copy_to(request, document_type: str, document_id: int):
    """抄送 observers: they see the document read-only and are told when it moves."""
    document = _document_for_viewer(request, document_type, document_id)
    doc_url = page_url(document_type, document.pk)
    form = CopyToForm(request.POST or None, document=document, document_type=document_type, user=request.user)
    problems: list[str] = []
    status = 200
    if not may_copy(user=request.user, document=document):
        exc = PermissionDenied(errors.NOT_YOUR_TASK)
        refused(actor=request.user, item=None, union=document.union, reason="may not copy", exc=exc)
        problems, status = [str(exc)], 403
    elif request.method == "POST":
        if form.is_valid():
            people = form.cleaned_data["people"]
            try:
                made = copy_to_add(
                    document=document, document_type=document_type, user=request.user, people=people
                )
            except PermissionDenied as exc:
                problems, status = [str(exc)], 403
            except ValidationError as exc:
                problems, status = exc.messages, 400
            else:
                if made:
                    messages.success(
                        request,
                        _("Copied to %(names)s: they see the document and hear when it moves.")
                        % {"names": ", ".join(str(c.person) for c in made)},
                    )
                else:
                    messages.info(request, _("They were already copied on this document."))
                return redirect(f"{doc_url}#copies" if doc_url else reverse("workflows:my_work"))
        else:
            log_pick_refusal(request, form, union=document.union)
            problems, status = [_("Please correct the errors below.")], 400
    return render(
        request,
        "workflows/actions/copy.html",
        {
            "document": document,
            "document_type": document_type,
            "document_url": doc_url,
            "form": form,
            "problems": problems,
            "status_forbidden": status == 403,
        },
        status=status,
    )


@login_required
def urge(request, item_id: int):
    """催办: the initiator or a supervisor above urges the current approvers (once per 24 hours)."""
    item, document = item_for_viewer(request, item_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        notes = work_item_urge(item=item, user=request.user)
    except PermissionDenied as exc:
        _log_refusal(request, item=item, reason="urge not allowed", exc=exc)
        raise
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Urged: %(count)s people were told.") % {"count": len(notes)})
    return redirect(_next_url(request, _after_url(request, item)))
