"""The re-elections pages (换届, S4.1/S4.2): a union's committees with their terms, members in force and
the re-elections due or overdue, with the history of those recorded; and the form that records one.

Who sees them: the union's officers and the supervisors above (union_access(...).can_view_documents);
who records: whoever may manage the union's seats (can_manage_seats), as the seats page. Anyone who may
not see the union gets 404; those who see the union but not its officers' pages, or may not record,
get 403 (core.http.refuse logs both)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.forms_people import NOT_ALLOWED
from core.http import refuse, union_for_viewer
from core.services.events import event_record

from . import reelection
from . import reelection_selectors as selectors
from .forms_reelection import ReElectionForm, initial_for

NOT_VISIBLE = "re-elections are for officers and supervisors"
NOT_MANAGER = "may not record a re-election"


def _viewed(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_view_documents:
        refuse(request, union=union, reason=NOT_VISIBLE, status=403)
    return union, access


@login_required
@require_GET
def reelections(request, union_pk: int):
    union, access = _viewed(request, union_pk)
    today = timezone.localdate(timezone=union.tz)
    due = {row.body.pk: row for row in selectors.reelections_due([union.pk], on=today)}
    committees = selectors.committees_of(union, on=today)
    for body in committees:
        body.due = due.get(body.pk)
    context = {
        "union": union,
        "access": access,
        "committees": committees,
        "history": list(selectors.reelection_history(union)),
        "within_days": selectors.DUE_WITHIN_DAYS,
        "today": today,
    }
    return render(request, "workflows/roster/reelections.html", context)


def _apply(form, exc: ValidationError) -> None:
    """The service's refusal beside the field it names; the member rows' problems above the rows."""
    if hasattr(exc, "error_dict"):
        for field, problems in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, exc)


def _record(request, union, body, form) -> bool:
    data = form.cleaned_data
    try:
        reelection.reelection_record(
            actor=request.user,
            body=body,
            elected_on=data["elected_on"],
            term_start=data["term_start"],
            term_end=data["term_end"],
            members=data["members"],
            meeting=data["meeting"],
            meeting_text=data["meeting_text"],
        )
    except PermissionDenied:
        refuse(request, union=union, reason=NOT_MANAGER, status=403)
    except ValidationError as exc:
        _apply(form, exc)
        return False
    return True


@login_required
def reelection_new(request, union_pk: int):
    union, access = _viewed(request, union_pk)
    if not access.can_manage_seats:
        refuse(request, union=union, reason=NOT_MANAGER, status=403)
    today = timezone.localdate(timezone=union.tz)
    body = selectors.committee_of(union, request.GET.get("body"), on=today)
    if body is None:
        refuse(request, union=union, reason="no such committee of the union")
    page = "workflows/roster/reelection_form.html"
    if request.method != "POST":
        form = ReElectionForm(union=union, body=body, initial=initial_for(body, today=today))
        return render(request, page, {"union": union, "body": body, "form": form})
    form = ReElectionForm(request.POST, union=union, body=body)
    if form.is_valid() and _record(request, union, body, form):
        messages.success(
            request,
            _("The re-election is recorded: the members elected take their seats on %(date)s.")
            % {"date": form.cleaned_data["term_start"].isoformat()},
        )
        return redirect("roster:reelections", union.pk)
    if any(form.has_error(name, NOT_ALLOWED) for name in form.fields):
        # a person posted from outside the union's circle (a forged or stale choice) is a refusal
        event_record(
            verb="action_refused",
            actor=request.user,
            union=union,
            detail={"reason": "re-election person not allowed", "path": request.path[:300]},
        )
    return render(request, page, {"union": union, "body": body, "form": form}, status=400)
