"""Expenditure pages: the union's requests and ledger, a new request, its page, change, send, withdraw,
pay. The holders' approvals are taken on the shared decision page (workflows.views_personal)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess, union_access
from workflows import errors as spine_errors
from workflows.budget.forms import AttachmentForm
from workflows.budget.models import Account, AccountKind
from workflows.document_pages import document_action, trail_context
from workflows.models import DocumentType
from workflows.services.actions import refused
from workflows.services.workitems import AlreadyHandled, DocumentBusy
from workflows.visibility import document_visible

from . import selectors, services
from .forms import BasePayeeFormSet, PaymentForm, RequestForm, payee_formset
from .models import ExpenditureRequest, Route
from .xlsx import ledger_title, ledger_to_xlsx, line_title, line_to_xlsx

DOCUMENT_TYPE = DocumentType.EXPENDITURE


def _viewed(request, pk: int):
    found = (
        ExpenditureRequest.objects.select_related(
            "union", "account", "drafter", "countersigner", "instruction"
        )
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
    basis = selectors.spending_basis(union.pk, year)
    context = {
        "union": union,
        "access": access,
        "year": year,
        "ledger": selectors.ledger(union.pk, year, basis),
        "basis": basis,
        "unbudgeted": selectors.unbudgeted_spending(union.pk, year, basis),
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
        "instruction_id": data["instruction"],
        "countersigner_id": data["countersigner"],
        "standard": data["standard"],
    }


def _form_errors(form: RequestForm, rows: BasePayeeFormSet) -> list[str]:
    found = [str(e) for errors in form.errors.values() for e in errors]
    if rows.is_bound:
        found += [str(e) for errors in rows.errors for field in errors.values() for e in field]
        found += [str(e) for e in rows.non_form_errors()]
    return found


def _saved(request, union, form: RequestForm, rows: BasePayeeFormSet, save) -> list[str]:
    """Check the form and the payees' rows, then ``save(values, payees)`` (payees None: the rows were not
    posted, the list is left alone). Returns the problems to show above the kept input; each refusal is
    also written as an event, which stays: the service's own transaction has rolled back by then."""
    form_ok = form.is_valid()
    rows_ok = not rows.is_bound or rows.is_valid()
    try:
        if not (form_ok and rows_ok):
            raise ValidationError([_("Please correct the errors below."), *_form_errors(form, rows)])
        save(_form_values(form), rows.payees() if rows.is_bound else None)
    except ValidationError as exc:
        refused(actor=request.user, item=None, union=union, reason="expenditure request refused", exc=exc)
        return exc.messages if form_ok and rows_ok else exc.messages[:1]
    return []


@login_required
def request_new(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not request expenditure", status=403)
    form = RequestForm(request.POST or None, union=union, requester=request.user)
    rows = payee_formset(request.POST or None)
    problems: list[str] = []
    if request.method == "POST":
        created = []
        problems = _saved(
            request,
            union,
            form,
            rows,
            lambda values, payees: created.append(
                services.request_create(actor=request.user, union=union, payees=payees or (), **values)
            ),
        )
        if not problems:
            messages.success(request, _("The request was saved as a draft. Check the route, then send it."))
            return redirect("expenditure:detail", pk=created[0].pk)
    no_budget = not form.lines
    return render(
        request,
        "workflows/expenditure/form.html",
        {
            "union": union,
            "form": form,
            "payee_rows": rows,
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
    payees, unmasked = services.payees_for_viewer(viewer=request.user, request=found)
    context.update(payees=payees, payee_accounts_unmasked=unmasked)
    context.update(_attachment_context(request.user, found, access))
    return render(request, "workflows/expenditure/detail.html", context)


@login_required
def request_edit(request, pk: int):
    found, access = _viewed(request, pk)
    form = RequestForm(
        request.POST or None,
        union=found.union,
        requester=found.drafter,
        instruction=found.instruction,
        initial={
            "account": found.account_id,
            "amount": found.amount,
            "purpose": found.purpose,
            "activity_date": found.activity_date,
            "major": found.major,
            "instruction": found.instruction_id,
            "countersigner": found.countersigner_id,
            "standard": found.standard,
        },
    )
    # the stored accounts, masked unless the viewer is the finance officer (a view in full is recorded
    # when the page shows them: a GET, not a refused POST that shows what was typed)
    shown, _unmasked = services.payees_for_viewer(
        viewer=request.user, request=found, record=request.method != "POST"
    )
    rows = payee_formset(request.POST or None, request=found, shown=shown)
    problems: list[str] = []
    if request.method == "POST":
        try:
            problems = _saved(
                request,
                found.union,
                form,
                rows,
                lambda values, payees: services.request_update(
                    actor=request.user, request=found, payees=payees, **values
                ),
            )
        except PermissionDenied:
            refuse(request, union=found.union, reason="may not edit expenditure request", status=403)
        except DocumentBusy:
            problems = [str(spine_errors.LOCKED)]
        if not problems:
            messages.success(request, _("The request was saved."))
            return redirect("expenditure:detail", pk=found.pk)
    context = {"union": found.union, "form": form, "payee_rows": rows, "problems": problems}
    context.update(expenditure=found, year=found.year)
    return render(request, "workflows/expenditure/form.html", context)


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


# --- exports and attachments (issue 26) -------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(content: bytes, title: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    # RFC 5987: the Chinese title survives in every browser
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title + '.xlsx')}"
    return response


def _ledger_viewed(request, union_pk: int):
    """The union whose ledger the viewer may export: its officers and the supervisors above, as the
    list page; anyone else 404 (logged)."""
    union, access = union_for_viewer(request, union_pk)
    if not access.can_view_documents:
        refuse(request, union=union, reason="expenditure ledger not visible")
    wanted = request.GET.get("year", "")
    year = int(wanted) if wanted.isdigit() and 2000 <= int(wanted) <= 2100 else None
    return union, year or selectors.budget_year_for(union)


@login_required
def ledger_export(request, union_pk: int):
    union, year = _ledger_viewed(request, union_pk)
    return _xlsx_response(ledger_to_xlsx(union, year), ledger_title(union, year))


@login_required
def line_export(request, union_pk: int, account_id: str):
    union, year = _ledger_viewed(request, union_pk)
    account = Account.objects.filter(pk=account_id, kind=AccountKind.EXPENDITURE).first()
    if account is None:
        raise Http404
    return _xlsx_response(line_to_xlsx(union, year, account), line_title(union, year, account))


def _attachment_context(user, found: ExpenditureRequest, access: UnionAccess) -> dict:
    """The trail's attachments section (workflows/_trail.html): the list for whoever sees the request,
    the upload form for those who may attach."""
    return {
        "attach_url": reverse("expenditure:attach", args=[found.pk]),
        "can_attach": user.pk == found.drafter_id or access.is_officer,  # services.may_attach, no query
    }


@login_required
@require_POST
def request_attach(request, pk: int):
    """An attachment on the request, downloaded only through workflows:attachment, which checks the
    right to the request (the registry finds it by document type)."""
    found, access = _viewed(request, pk)
    if not (request.user.pk == found.drafter_id or access.is_officer):  # services.may_attach
        refuse(request, union=found.union, reason="may not attach to expenditure request", status=403)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(request, message)
        return redirect("expenditure:detail", pk=found.pk)
    services.attachment_add(
        actor=request.user, request=found, upload=form.cleaned_data["file"], note=form.cleaned_data["note"]
    )
    messages.success(request, _("Attachment added."))
    return redirect("expenditure:detail", pk=found.pk)
