"""The roster page (S4.2): a union's people doing union work by category, the contracts ending soon,
the staffing gap if any; adding, changing and ending entries for those who may manage the union's seats.

Who sees it: the union's officers and the supervisors above (union_access(...).can_view_documents).
Anyone who may not see the union gets 404; those who see the union but not its officers' pages, or may
not change the roster, get 403 (core.http.refuse logs both)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer

from . import selectors, services
from .forms import RosterEndForm, RosterEntryForm
from .models import Category, RosterEntry

PAGE = "workflows/roster/roster.html"


def _viewed(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_view_documents:
        refuse(request, union=union, reason="roster not visible", status=403)
    return union, access


def _entry(request, pk: int) -> tuple[RosterEntry, object]:
    entry = RosterEntry.objects.filter(pk=pk).select_related("person").first()
    if entry is None:
        raise Http404
    union, access = _viewed(request, entry.union_id)
    if not access.can_manage_seats:
        refuse(request, union=union, reason="may not change the roster", status=403)
    entry.union = union
    return entry, access


def _page(request, union, access, *, form=None, end_form=None, end_id=None, status=200):
    today = timezone.localdate()
    entries = list(selectors.roster_of(union))
    soon = today + datetime.timedelta(days=selectors.ENDING_SOON_DAYS)
    for entry in entries:
        entry.ending_soon = bool(entry.contract_end and today <= entry.contract_end <= soon)
        entry.expired = bool(entry.contract_end and entry.contract_end < today)
    groups = [(label, [e for e in entries if e.category == value]) for value, label in Category.choices]
    context = {
        "union": union,
        "access": access,
        "groups": groups,
        "gap": selectors.staffing_gaps([union.pk]).get(union.pk),
        "form": form or (RosterEntryForm(union=union) if access.can_manage_seats else None),
        "end_form": end_form,
        "end_id": end_id,
        "today": today,
    }
    return render(request, PAGE, context, status=status)


def _apply(form, exc: ValidationError) -> None:
    """The service's refusal beside the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, problems in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, exc)


@login_required
def roster(request, union_pk: int):
    union, access = _viewed(request, union_pk)
    return _page(request, union, access)


@login_required
@require_POST
def roster_add(request, union_pk: int):
    union, access = _viewed(request, union_pk)
    if not access.can_manage_seats:
        refuse(request, union=union, reason="may not change the roster", status=403)
    form = RosterEntryForm(request.POST, union=union)
    if form.is_valid():
        try:
            services.roster_entry_add(actor=request.user, union=union, **form.cleaned_data)
        except PermissionDenied:
            refuse(request, union=union, reason="may not change the roster", status=403)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Added to the roster."))
            return redirect("roster:roster", union.pk)
    return _page(request, union, access, form=form, status=400)


@login_required
def roster_edit(request, pk: int):
    entry, _access = _entry(request, pk)
    union = entry.union
    initial = {f: getattr(entry, f) for f in services.EDITABLE}
    form = RosterEntryForm(request.POST or None, union=union, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.roster_entry_update(actor=request.user, entry=entry, **form.cleaned_data)
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("The roster entry is saved."))
            return redirect("roster:roster", union.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "workflows/roster/edit.html", {"union": union, "entry": entry, "form": form}, status=status
    )


@login_required
@require_POST
def roster_end(request, pk: int):
    entry, access = _entry(request, pk)
    form = RosterEndForm(request.POST)
    if form.is_valid():
        try:
            services.roster_entry_end(actor=request.user, entry=entry, left_on=form.cleaned_data["left_on"])
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("%(name)s has left the roster.") % {"name": entry.display_name})
            return redirect("roster:roster", entry.union.pk)
    return _page(request, entry.union, access, end_form=form, end_id=entry.pk, status=400)
