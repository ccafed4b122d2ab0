"""Expenditure pages: the union's requests and ledger, a new request, its page, change, send, withdraw,
pay. The holders' approvals are taken on the shared decision page (workflows.views_personal)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.selectors import union_access
from workflows import errors as spine_errors
from workflows.document_pages import document_action, trail_context
from workflows.models import DocumentType
from workflows.services.actions import refused
from workflows.services.workitems import AlreadyHandled, DocumentBusy
from workflows.visibility import document_visible

from . import selectors, services
from .forms import PaymentForm, RequestForm
from .models import ExpenditureRequest, Route

DOCUMENT_TYPE = DocumentType.EXPENDITURE


def _viewed(request, pk: int):
    found = (
        ExpenditureRequest.objects.select_related("union", "account", "drafter", "countersigner")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    access = union_access(user=request.user, union=found.union)
    if not (
        access.can_view_documents
        or document_visible(user=request.user, union=found.union, process_id=found.process_id)
    ):
        refuse(request, union=found.union, reason="expenditure request not visible")
    return found, access


@login_required
def request_list(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_view_documents:
        refuse(request, union=union, reason="expenditure list not visible")
    year = selectors.budget_year_for(union)
    context = {
        "union": union,
        "access": access,
        "year": year,
        "ledger": selectors.ledger(union.pk, year),
        "requests": selectors.requests_of_union(union.pk)[:100],
    }
    return render(request, "workflows/expenditure/list.html", context)


def _form_values(form: RequestForm) -> dict:
    data = form.cleaned_data
    return {
        "account_id": data["account"],
        "amount": data["amount"],
        "purpose": data["purpose"],
        "activity_date": data["activity_date"],
        "major": data["major"],
        "countersigner_id": data["countersigner"],
    }


@login_required
def request_new(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not request expenditure", status=403)
    form = RequestForm(request.POST or None, union=union, requester=request.user)
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                created = services.request_create(actor=request.user, union=union, **_form_values(form))
            except ValidationError as exc:
                problems.extend(exc.messages)
            else:
                messages.success(
                    request, _("The request was saved as a draft. Check the route, then send it.")
                )
                return redirect("expenditure:detail", pk=created.pk)
        else:
            problems.append(_("Please correct the errors below."))
    no_budget = not form.lines
    return render(
        request,
        "workflows/expenditure/form.html",
        {
            "union": union,
            "form": form,
            "problems": problems,
            "no_budget": no_budget,
            "year": selectors.budget_year_for(union),
        },
    )


@login_required
def request_detail(request, pk: int):
    found, access = _viewed(request, pk)
    context = trail_context(request, document=found, document_type=DOCUMENT_TYPE, access=access)
    trail = context["trail"]
    with_requester = trail.editable_by(request.user)
    pay_item = next(
        (i for i in trail.open_items if i.step == "pay" and i.assignee_id == request.user.pk), None
    )
    context.update(
        expenditure=found,
        figures=selectors.line_figures(found.union_id, found.year, found.account_id),
        pending=selectors.pending_total(found.union_id, found.year, found.account_id, excluding=found.pk),
        route_label=Route(found.route or services.planned_route(found)).label,
        route_planned=not found.route or with_requester,
        is_countersigned=(found.route or services.planned_route(found)) == Route.COUNTERSIGN,
        can_edit=with_requester,
        can_withdraw=request.user.pk == found.drafter_id and services.request_withdrawable(found),
        payment_form=PaymentForm() if pay_item else None,
    )
    return render(request, "workflows/expenditure/detail.html", context)


@login_required
def request_edit(request, pk: int):
    found, access = _viewed(request, pk)
    form = RequestForm(
        request.POST or None,
        union=found.union,
        requester=found.drafter,
        initial={
            "account": found.account_id,
            "amount": found.amount,
            "purpose": found.purpose,
            "activity_date": found.activity_date,
            "major": found.major,
            "countersigner": found.countersigner_id,
        },
    )
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                services.request_update(actor=request.user, request=found, **_form_values(form))
            except PermissionDenied:
                refuse(request, union=found.union, reason="may not edit expenditure request", status=403)
            except (ValidationError, DocumentBusy) as exc:
                problems.extend(getattr(exc, "messages", [str(spine_errors.LOCKED)]))
            else:
                messages.success(request, _("The request was saved."))
                return redirect("expenditure:detail", pk=found.pk)
        else:
            problems.append(_("Please correct the errors below."))
    return render(
        request,
        "workflows/expenditure/form.html",
        {"union": found.union, "form": form, "problems": problems, "expenditure": found, "year": found.year},
    )


def _with_refusal_event(request, found, call):
    """Run the service; a refusal (bad input, no budget left) is written as an event, which stays: the
    service's own transaction has rolled back by then."""
    try:
        call()
    except ValidationError as exc:
        raise refused(
            actor=request.user, item=None, union=found.union, reason="expenditure refused", exc=exc
        ) from None


@login_required
@require_POST
def request_submit_view(request, pk: int):
    found, _access = _viewed(request, pk)
    return document_action(
        request,
        document=found,
        call=lambda: _with_refusal_event(
            request, found, lambda: services.request_submit(actor=request.user, request=found)
        ),
        done=_("The request was sent."),
        detail_url="expenditure:detail",
        refusal="may not send expenditure request",
    )


@login_required
@require_POST
def request_withdraw_view(request, pk: int):
    found, _access = _viewed(request, pk)
    return document_action(
        request,
        document=found,
        call=lambda: services.request_withdraw(
            actor=request.user, request=found, reason=request.POST.get("reason", "")
        ),
        done=_("The request was withdrawn."),
        detail_url="expenditure:detail",
        refusal="may not withdraw expenditure request",
    )


@login_required
@require_POST
def request_pay(request, pk: int):
    """The finance officer records the payment from the request's page; a refusal keeps what was typed."""
    found, _access = _viewed(request, pk)
    form = PaymentForm(request.POST)
    problems: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            _with_refusal_event(
                request,
                found,
                lambda: services.payment_record(
                    actor=request.user,
                    request=found,
                    paid_on=data["paid_on"],
                    voucher_number=data["voucher_number"],
                    method=data["method"],
                ),
            )
        except PermissionDenied:
            refuse(request, union=found.union, reason="may not pay expenditure request", status=403)
        except AlreadyHandled as exc:
            problems.extend(exc.messages)
        except ValidationError as exc:
            problems.extend(exc.messages)
        except DocumentBusy:
            problems.append(str(spine_errors.LOCKED))
        else:
            messages.success(request, _("The payment was recorded."))
            return redirect("expenditure:detail", pk=found.pk)
    else:
        problems.append(_("Please correct the errors below."))
    return render(
        request,
        "workflows/expenditure/pay.html",
        {"expenditure": found, "union": found.union, "form": form, "problems": problems},
        status=400,
    )
