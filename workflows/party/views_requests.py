"""S1.3's pages: the union's catalogue of requests and reports (with its own rows), its requests for
instructions and reports, a new one, its page, change, send to the chair, withdraw, and how the reply
was carried out. The chair signs on the shared decision page (workflows:personal_decision) and the
Party organisation replies on the shared written-decision page (workflows:written_decision), in the
kind's own words (kind.written_form)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess, union_access
from workflows import errors as spine_errors
from workflows.document_pages import document_action, document_withdraw_action, trail_context
from workflows.models import DocumentType
from workflows.services.actions import refused
from workflows.services.drafting import editable_by
from workflows.services.workitems import AlreadyHandled, DocumentBusy
from workflows.trail import last_return
from workflows.visibility import document_visible

from . import catalogue as catalogue_rules
from . import errors, selectors, services
from .forms_requests import CarriedOutForm, CatalogueItemForm, RequestForm
from .models import CatalogueItem, InstructionRequest, Matter, RequestStatus

DOCUMENT_TYPE = DocumentType.INSTRUCTION
LIST_SIZE = 100
DETAIL_URL = "party:request_detail"

# The history's words for this kind's own events (workflows.history)
VERB_LABELS = {
    "created": gettext_lazy("drafted it"),
    "carried_out": gettext_lazy("recorded how the reply was carried out"),
    "filed": gettext_lazy("the chain ended"),
    "not_agreed": gettext_lazy("the reply was taken"),
}


# --- who sees what ---------------------------------------------------------------------------------


def _party_reader(user, union_id: int) -> bool:
    """S1.1/S1.3: a member of the union's Party organisation, or of the organ Party committee leading
    it, reads what the union sent to it."""
    return union_id in selectors.led_union_ids(user)


def _viewed(request, pk: int) -> tuple[InstructionRequest, UnionAccess]:
    """The request and the viewer's access: its union's officers and the supervisors above, whoever it
    was put before (workflows.visibility), the Party organisation once it was sent; anyone else 404."""
    found = InstructionRequest.objects.select_related("union", "item", "drafter").filter(pk=pk).first()
    if found is None:
        raise Http404
    access = union_access(user=request.user, union=found.union)
    if not (
        access.can_view_documents
        or document_visible(user=request.user, union=found.union, process_id=found.process_id)
        or (found.reply_due is not None and _party_reader(request.user, found.union_id))
    ):
        refuse(request, union=found.union, reason="request for instructions not visible")
    return found, access


def _drafters_only(request, found: InstructionRequest, access: UnionAccess) -> None:
    """The office acts on its requests; anyone else who sees one gets 403 (logged)."""
    if not access.can_draft:
        refuse(request, union=found.union, reason="may not act on request for instructions", status=403)


# --- the catalogue ---------------------------------------------------------------------------------


@login_required
def catalogue(request, union_pk: int):
    """S1.3: the union's catalogue (the nearest row wins); its office staff and chair override an item
    for the union (a department union's row applies to the unions below it)."""
    union, access = union_for_viewer(request, union_pk)
    may_change = access.can_manage_seats
    if request.method == "POST" and not may_change:
        refuse(request, union=union, reason="may not change the catalogue", status=403)
    rows = catalogue_rules.catalogue_rows(union)
    form, problems = None, []
    if may_change:
        form = CatalogueItemForm(request.POST or None, initial=_override_initial(request, union))
        if request.method == "POST":
            problems = _override_saved(request, union, form)
            if not problems:
                messages.success(request, _("The catalogue item was saved for this union."))
                return redirect("party:catalogue", union_pk=union.pk)
    context = {
        "union": union,
        "access": access,
        "rows": rows,
        "not_listed": catalogue_rules.matters_not_listed(rows),
        "form": form,
        "problems": problems,
    }
    return render(request, "workflows/party/catalogue.html", context, status=400 if problems else 200)


def _override_initial(request, union) -> dict:
    """The form opened on the matter of a row (?matter=…): the values the union sees for it now."""
    matter = request.GET.get("matter", "")
    if matter not in Matter.values:
        return {"active": True}
    return CatalogueItemForm.initial_for(catalogue_rules.nearest_item(union, matter), matter)


def _override_saved(request, union, form: CatalogueItemForm) -> list[str]:
    if not form.is_valid():
        return [_("Please correct the errors below.")]
    fields = dict(form.cleaned_data)
    matter = fields.pop("matter")
    try:
        catalogue_rules.catalogue_item_override(actor=request.user, union=union, matter=matter, **fields)
    except PermissionDenied:
        refuse(request, union=union, reason="may not change the catalogue", status=403)
    except ValidationError as exc:
        return exc.messages
    return []


# --- the list ------------------------------------------------------------------------------------


@login_required
def request_list(request, union_pk: int):
    """The union's requests and reports, newest first, each with its reply and when it is due."""
    union, access = union_for_viewer(request, union_pk)
    found = InstructionRequest.objects.filter(union=union)
    if not access.can_view_documents:
        if not _party_reader(request.user, union.pk):
            refuse(request, union=union, reason="requests for instructions not visible")
        found = found.filter(reply_due__isnull=False)  # the Party organisation: what was sent to it
    context = {
        "union": union,
        "access": access,
        "requests": found.select_related("item").order_by("-created_at", "-id")[:LIST_SIZE],
        "today": timezone.localdate(),
        "awaiting": RequestStatus.AWAITING_REPLY,
    }
    return render(request, "workflows/party/request_list.html", context)


# --- drafting ------------------------------------------------------------------------------------


def _form_problems(request, union, form: RequestForm, save: Callable[[dict], object]) -> list[str]:
    """Check the form, then ``save(cleaned data)``: the problems to show above the kept input. A refusal
    is written as an event, which stays: the service's own transaction has rolled back by then."""
    if not form.is_valid():
        return [_("Please correct the errors below.")]
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        refused(
            actor=request.user, item=None, union=union, reason="request for instructions refused", exc=exc
        )
        return exc.messages
    return []


def _new_initial(request, rows: list[CatalogueItem]) -> dict:
    """Opened from a row of the catalogue (?item=…): that item ticked and its form as the text."""
    wanted = request.GET.get("item", "")
    chosen = next((item for item in rows if str(item.pk) == wanted), None)
    return {"items": [chosen.pk], "text": chosen.template} if chosen is not None else {}


def _form_page(request, context: dict, problems: list[str]):
    context["problems"] = problems
    return render(request, "workflows/party/request_form.html", context, status=400 if problems else 200)


@login_required
def request_new(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not draft requests for instructions", status=403)
    rows = selectors.catalogue_for(union)
    initial = _new_initial(request, rows) if request.method == "GET" else {}
    form = RequestForm(request.POST or None, catalogue=rows, initial=initial)
    problems: list[str] = []
    if request.method == "POST":
        created: list[InstructionRequest] = []
        problems = _form_problems(
            request,
            union,
            form,
            lambda data: created.append(
                services.request_create(
                    actor=request.user,
                    union=union,
                    items=list(data["items"]),
                    title=data["title"],
                    text=data["text"],
                )
            ),
        )
        if not problems:
            messages.success(request, _("Saved as a draft. Read it through, then send it to the chair."))
            return redirect(DETAIL_URL, pk=created[0].pk)
    return _form_page(request, {"union": union, "form": form, "instruction": None}, problems)


@login_required
def request_edit(request, pk: int):
    """The title and the text, while the request is with its drafter (draft, or returned)."""
    found, access = _viewed(request, pk)
    _drafters_only(request, found, access)
    if request.method == "GET" and not editable_by(document=found, user=request.user):
        messages.error(request, errors.NOT_EDITABLE)
        return redirect(DETAIL_URL, pk=found.pk)
    form = RequestForm(
        request.POST or None, catalogue=None, initial={"title": found.title, "text": found.text}
    )
    problems: list[str] = []
    if request.method == "POST":
        try:
            problems = _form_problems(
                request,
                found.union,
                form,
                lambda data: services.request_update(
                    actor=request.user, request=found, title=data["title"], text=data["text"]
                ),
            )
        except PermissionDenied:
            refuse(request, union=found.union, reason="may not edit request for instructions", status=403)
        except DocumentBusy:
            problems = [str(spine_errors.LOCKED)]
        if not problems:
            messages.success(request, _("The request or report was saved."))
            return redirect(DETAIL_URL, pk=found.pk)
    context = {
        "union": found.union,
        "form": form,
        "instruction": found,
        "returned": last_return(document=found),
    }
    return _form_page(request, context, problems)


# --- its page and the buttons on it --------------------------------------------------------------


def _detail_page(request, found, access, *, carry_form: CarriedOutForm | None = None, problems=()):
    context = trail_context(
        request, document=found, document_type=DOCUMENT_TYPE, access=access, verb_labels=VERB_LABELS
    )
    trail = context["trail"]
    user = request.user
    carrying_out = any(i.step == "carry_out" and i.assignee_id == user.pk for i in trail.open_items)
    today = timezone.localdate()
    context.update(
        instruction=found,
        can_edit=trail.editable_by(user),
        can_withdraw=user.pk == found.drafter_id and services.request_withdrawable(found),
        carry_form=carry_form if carry_form is not None else (CarriedOutForm() if carrying_out else None),
        problems=list(problems),
        overdue=found.status == RequestStatus.AWAITING_REPLY and found.reply_due and found.reply_due < today,
        covered=selectors.covered_note(found.item.matter),
    )
    status = 400 if problems else 200
    return render(request, "workflows/party/request_detail.html", context, status=status)


@login_required
def request_detail(request, pk: int):
    found, access = _viewed(request, pk)
    return _detail_page(request, found, access)


@login_required
@require_POST
def request_submit_view(request, pk: int):
    """送主席签发: the drafter sends it to the chair, who signs on the shared decision page."""
    found, access = _viewed(request, pk)
    _drafters_only(request, found, access)

    def submit():
        try:
            services.request_submit(actor=request.user, request=found)
        except ValidationError as exc:
            raise refused(
                actor=request.user, item=None, union=found.union, reason="request not sent", exc=exc
            ) from None

    return document_action(
        request,
        document=found,
        call=submit,
        done=_("Sent to the chair for signing."),
        detail_url=DETAIL_URL,
        refusal="may not send request for instructions",
    )


@login_required
@require_POST
def request_withdraw_view(request, pk: int):
    """Withdrawn until the Party organisation replies (services.request_withdrawable); asked first."""
    found, access = _viewed(request, pk)
    _drafters_only(request, found, access)
    return document_withdraw_action(
        request,
        document=found,
        call=lambda: services.request_withdraw(
            actor=request.user, request=found, reason=request.POST.get("reason", "")
        ),
        done=_("The request or report was withdrawn."),
        detail_url=DETAIL_URL,
        question=_("Withdraw this request or report?"),
        may_withdraw=services.request_withdrawable,
    )


@login_required
@require_POST
def carried_out_view(request, pk: int):
    """落实情况: the union records how the agreed request was carried out, then it is filed; a refusal
    shows the page again with what was typed."""
    found, access = _viewed(request, pk)
    _drafters_only(request, found, access)
    form = CarriedOutForm(request.POST)
    form.is_valid()  # one optional text field: always valid; the service says what is missing
    try:
        services.carried_out_record(actor=request.user, request=found, text=form.cleaned_data["text"])
    except PermissionDenied:
        refuse(request, union=found.union, reason="may not record how it was carried out", status=403)
    except (AlreadyHandled, ValidationError) as exc:
        return _detail_page(request, found, access, carry_form=form, problems=exc.messages)
    except DocumentBusy:
        return _detail_page(request, found, access, carry_form=form, problems=[str(spine_errors.LOCKED)])
    messages.success(request, _("How it was carried out was recorded; the request is filed."))
    return redirect(DETAIL_URL, pk=found.pk)
