"""One contact's pages (S4.4): its record with the log and the follow-ups, the phone-sized form on which
the member keeping it logs a contact, and the actions on it (reassign, end, close a follow-up, carry an
opinion into next year's plan, S2.2).

A record is read by the member keeping it, by the union's officers (a record of a worker in difficulty:
only by the chair and the people the union names); each view of a record of a worker in difficulty is
logged. Anyone who may not see the union gets 404, those who see it but not the record 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import refuse, union_for_viewer
from core.security.audit import audit_personal_data_view

from . import errors, selectors, services
from .forms import EndForm, LogForm, ReassignForm
from .models import Contact, ContactLog
from .views import apply_refusal

NOT_READER = "may not read this contact's record"
NOT_MANAGER = "may not change the contact"


def _readable(request, pk: int) -> tuple[Contact, selectors.Reader]:
    contact = selectors.contact_with_state(pk)
    if contact is None:
        raise Http404
    union, access = union_for_viewer(request, contact.union_id)
    reader = selectors.reader_of(request.user, union, access)
    if not reader.reads(contact):
        refuse(request, union=union, reason=NOT_READER, status=403)
    contact.union = union
    return contact, reader


def _managed(request, pk: int) -> tuple[Contact, selectors.Reader]:
    contact, reader = _readable(request, pk)
    if not reader.manager:
        refuse(request, union=contact.union, reason=NOT_MANAGER, status=403)
    return contact, reader


def _detail(request, contact, reader, *, reassign_form=None, end_form=None, status=200):
    services.difficulty_views_record(viewer=request.user, contacts=[contact], page="detail")
    if contact.is_difficulty:
        audit_personal_data_view(request, contact)  # 等保 2.0: protected personal data viewed
    union = contact.union
    today = timezone.localdate(timezone=union.tz)
    logs = list(selectors.logs_of(contact))
    keeper = contact.member_id == request.user.pk or (reader.manager and reader.reads(contact))
    for log in logs:
        log.open = log.has_follow_up and log.follow_up_closed_on is None
        log.late = log.open and log.follow_up_due is not None and log.follow_up_due < today
        log.closable = log.open and (keeper or log.follow_up_owner_id == request.user.pk)
    manages = reader.manager and contact.ended_on is None
    context = {
        "contact": contact,
        "union": union,
        "reader": reader,
        "logs": logs,
        "keeper": keeper,
        "is_member": contact.member_id == request.user.pk,
        "reassign_form": reassign_form or (ReassignForm(union=union) if manages else None),
        "end_form": end_form or (EndForm(initial={"ended_on": today}) if manages else None),
    }
    return render(request, "workflows/contacts/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, pk: int):
    contact, reader = _readable(request, pk)
    return _detail(request, contact, reader)


@login_required
def log(request, pk: int):
    """S4.4: the member keeping the contact logs it (a phone-sized page). Anyone else who reads the
    record is told who logs it; a post of theirs is refused with what they typed kept."""
    contact, _unused = _readable(request, pk)
    union = contact.union
    today = timezone.localdate(timezone=union.tz)
    form = LogForm(request.POST or None, union=union, initial={"contacted_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_log(actor=request.user, contact=contact, **form.cleaned_data)
        except ValidationError as exc:
            apply_refusal(form, exc)
        else:
            messages.success(
                request, _("The contact with %(name)s is logged.") % {"name": contact.display_name}
            )
            return redirect("contacts:mine")
    services.difficulty_views_record(viewer=request.user, contacts=[contact], page="log")
    if contact.is_difficulty:
        audit_personal_data_view(request, contact)  # 等保 2.0: protected personal data viewed
    assigned = contact.member_id == request.user.pk
    context = {
        "contact": contact,
        "union": union,
        "form": form,
        "assigned": assigned,
        "not_assigned": errors.NOT_ASSIGNED % {"person": contact.member},
    }
    return render(request, "workflows/contacts/log.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def reassign(request, pk: int):
    contact, reader = _managed(request, pk)
    form = ReassignForm(request.POST, union=contact.union)
    if form.is_valid():
        try:
            services.contact_reassign(actor=request.user, contact=contact, member=form.cleaned_data["member"])
        except PermissionDenied:
            refuse(request, union=contact.union, reason=NOT_MANAGER, status=403)
        except ValidationError as exc:
            apply_refusal(form, exc)
        else:
            messages.success(
                request, _("The contact is assigned to %(name)s.") % {"name": form.cleaned_data["member"]}
            )
            return redirect("contacts:detail", contact.pk)
    return _detail(request, contact, reader, reassign_form=form, status=400)


@login_required
@require_POST
def end(request, pk: int):
    contact, reader = _managed(request, pk)
    form = EndForm(request.POST)
    if form.is_valid():
        try:
            services.contact_end(actor=request.user, contact=contact, ended_on=form.cleaned_data["ended_on"])
        except PermissionDenied:
            refuse(request, union=contact.union, reason=NOT_MANAGER, status=403)
        except ValidationError as exc:
            apply_refusal(form, exc)
        else:
            messages.success(request, _("The contact has ended."))
            return redirect("contacts:coverage", contact.union.pk)
    return _detail(request, contact, reader, end_form=form, status=400)


def _log_of_readable(request, pk: int) -> ContactLog:
    entry = ContactLog.objects.filter(pk=pk).only("pk", "contact_id").first()
    if entry is None:
        raise Http404
    contact, _unused = _readable(request, entry.contact_id)
    entry.contact = contact
    return entry


def _act(request, entry, action, done: str):
    """A button's action: refused (403) without the right, told in a message when it cannot be done."""
    try:
        action()
    except PermissionDenied:
        refuse(request, union=entry.contact.union, reason=NOT_MANAGER, status=403)
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    else:
        messages.success(request, done)
    return redirect("contacts:detail", entry.contact.pk)


@login_required
@require_POST
def close_follow_up(request, pk: int):
    entry = _log_of_readable(request, pk)
    action = lambda: services.follow_up_close(actor=request.user, log=entry)  # noqa: E731
    return _act(request, entry, action, _("The follow-up is closed."))


@login_required
@require_POST
def mark_for_plan(request, pk: int):
    """S2.2: carry what was raised into next year's plan (``for_plan=1``) or take it back."""
    entry = _log_of_readable(request, pk)
    for_plan = request.POST.get("for_plan") == "1"
    action = lambda: services.log_mark_for_plan(actor=request.user, log=entry, for_plan=for_plan)  # noqa: E731
    done = _("Carried into next year's plan.") if for_plan else _("No longer carried into next year's plan.")
    return _act(request, entry, action, done)
