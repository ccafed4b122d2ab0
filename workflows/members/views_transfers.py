"""The transfers' pages (S5.3 membership): the sending union's managers ask for a member's transfer and
may cancel it while it is open; the receiving union's managers accept it (the member then moves) or
refuse it with a reason. Both unions' managers and the supervisors above either read the transfer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import refuse

from . import errors, services
from .access import NOT_MANAGER, managed_member, may_read, viewed_transfer
from .forms import AcceptForm, RefuseForm, TransferForm
from .models import TransferStatus
from .selectors import transfers_of_member
from .views import apply_refusal

NOT_RECEIVING = "only the receiving union's chair and office staff decide a transfer"


@login_required
def transfer_new(request, pk: int):
    """Ask another union to take the member (the sending union's managers)."""
    member = managed_member(request, pk)
    if member.left_on is not None:
        messages.error(request, errors.ALREADY_LEFT)
        return redirect("members:register", member.union_id)
    form = TransferForm(request.POST or None, union=member.union)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_request(
                actor=request.user,
                member=member,
                to_union=form.cleaned_data["to_union"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            apply_refusal(form, exc)
        else:
            messages.success(
                request,
                _("The transfer was sent to %(union)s; it completes when that union accepts.")
                % {"union": transfer.to_union.name},
            )
            return redirect("members:transfer", transfer.pk)
    context = {"union": member.union, "member": member, "form": form, "history": transfers_of_member(member)}
    status = 400 if form.is_bound else 200
    return render(request, "workflows/members/transfer_new.html", context, status=status)


def _page(request, transfer, sending, receiving, *, accept_form=None, refuse_form=None, status=200):
    is_open = transfer.status == TransferStatus.REQUESTED
    decides = is_open and receiving.can_manage_seats
    context = {
        "transfer": transfer,
        "is_open": is_open,
        "may_cancel": is_open and sending.can_manage_seats,
        "accept_form": accept_form or (AcceptForm(union=transfer.to_union) if decides else None),
        "refuse_form": refuse_form or (RefuseForm() if decides else None),
        # the breadcrumb leads to the register the viewer may read, the sending union's first
        "register_union": transfer.from_union if may_read(sending) else transfer.to_union,
    }
    return render(request, "workflows/members/transfer.html", context, status=status)


@login_required
@require_GET
def transfer_detail(request, pk: int):
    transfer, sending, receiving = viewed_transfer(request, pk)
    return _page(request, transfer, sending, receiving)


def _receiving(request, pk: int):
    transfer, sending, receiving = viewed_transfer(request, pk)
    if not receiving.can_manage_seats:
        refuse(request, union=transfer.to_union, reason=NOT_RECEIVING, status=403)
    return transfer, sending, receiving


@login_required
@require_POST
def transfer_accept(request, pk: int):
    transfer, sending, receiving = _receiving(request, pk)
    form = AcceptForm(request.POST, union=transfer.to_union)
    if form.is_valid():
        try:
            services.transfer_accept(actor=request.user, transfer=transfer, group=form.cleaned_data["group"])
        except ValidationError as exc:
            apply_refusal(form, exc)
        else:
            done = _("%(name)s is now a member of %(union)s.")
            messages.success(request, done % {"name": transfer.member.name, "union": transfer.to_union.name})
            return redirect("members:register", transfer.to_union_id)
    return _page(request, transfer, sending, receiving, accept_form=form, status=400)


@login_required
@require_POST
def transfer_refuse(request, pk: int):
    transfer, sending, receiving = _receiving(request, pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.transfer_refuse(
                actor=request.user, transfer=transfer, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_refusal(form, exc)
        else:
            messages.success(request, _("The transfer was refused; the sending union is told why."))
            return redirect("members:register", transfer.to_union_id)
    return _page(request, transfer, sending, receiving, refuse_form=form, status=400)


@login_required
@require_POST
def transfer_cancel(request, pk: int):
    transfer, sending, receiving = viewed_transfer(request, pk)
    if not sending.can_manage_seats:
        refuse(request, union=transfer.from_union, reason=NOT_MANAGER, status=403)
    try:
        services.transfer_cancel(actor=request.user, transfer=transfer)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("members:transfer", transfer.pk)
    messages.success(request, _("The transfer was cancelled."))
    return redirect("members:register", transfer.from_union_id)
