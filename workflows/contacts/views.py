"""The union's contact pages (S4.4): the coverage per committee member with the assignment form, the
readers of the records of workers in difficulty, and a member's own contacts.

Who sees the union's page: with the contacts named, those who may manage the union's seats (the union
committee's chair, the office staff) and the people named to read records of workers in difficulty;
with counts only, the union's other officers and the supervisors above. A record of a worker in
difficulty is named only to the member keeping it, the chair and the named readers; each time it is
shown, the view is logged. Anyone who may not see the union gets 404; those who see the union but not
this page, or may not act, get 403 (core.http.refuse logs both)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import refuse, union_for_viewer

from . import selectors, services
from .forms import ContactForm, ViewerForm
from .models import MONTHS_CHOICES, DifficultyViewer

PAGE = "workflows/contacts/coverage.html"
NOT_VISIBLE = "contacts are for the union's officers and the supervisors above"
NOT_MANAGER = "may not assign contacts"
NOT_CHAIR = "only the chair names readers of records of workers in difficulty"


def apply_refusal(form, exc: ValidationError) -> None:
    """The service's refusal beside the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for name, problems in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, exc)


def _viewed(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    reader = selectors.reader_of(request.user, union, access)
    if not reader.sees_counts:
        refuse(request, union=union, reason=NOT_VISIBLE, status=403)
    return union, reader


def _page(request, union, reader, *, form=None, viewer_form=None, status=200):
    rows = selectors.coverage_by_member(union, reader)
    shown = [contact for row in rows for contact in row.contacts]
    services.difficulty_views_record(viewer=request.user, contacts=shown, page="coverage")
    cadence = selectors.cadence_for(union)
    labels = dict(MONTHS_CHOICES)
    chair = reader.chair
    context = {
        "union": union,
        "reader": reader,
        "rows": rows,
        "totals": {
            "due": sum(r.total for r in rows),
            "contacted": sum(r.contacted for r in rows),
            "not_contacted": sum(r.not_contacted for r in rows),
            "overdue": sum(r.overdue for r in rows),
        },
        "every": labels[cadence.every_months],
        "difficulty_every": labels[cadence.difficulty_every_months],
        "form": form or (ContactForm(union=union) if reader.manager else None),
        "viewers": list(selectors.difficulty_viewers(union)) if reader.sees_names else [],
        "viewer_form": viewer_form or (ViewerForm(union=union) if chair else None),
    }
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def coverage(request, union_pk: int):
    union, reader = _viewed(request, union_pk)
    return _page(request, union, reader)


@login_required
@require_POST
def assign(request, union_pk: int):
    union, reader = _viewed(request, union_pk)
    if not reader.manager:
        refuse(request, union=union, reason=NOT_MANAGER, status=403)
    form = ContactForm(request.POST, union=union)
    if form.is_valid():
        try:
            contact = services.contact_assign(actor=request.user, union=union, **form.cleaned_data)
        except PermissionDenied:
            refuse(request, union=union, reason=NOT_MANAGER, status=403)
        except ValidationError as exc:
            apply_refusal(form, exc)
        else:
            messages.success(request, _("The contact is assigned to %(name)s.") % {"name": contact.member})
            return redirect("contacts:coverage", union.pk)
    return _page(request, union, reader, form=form, status=400)


@login_required
@require_POST
def viewer_add(request, union_pk: int):
    union, reader = _viewed(request, union_pk)
    if not reader.chair:
        refuse(request, union=union, reason=NOT_CHAIR, status=403)
    form = ViewerForm(request.POST, union=union)
    if form.is_valid():
        try:
            services.difficulty_viewer_add(
                actor=request.user, union=union, person=form.cleaned_data["person"]
            )
        except ValidationError as exc:
            apply_refusal(form, exc)
        else:
            messages.success(request, _("They may now read the records of workers in difficulty."))
            return redirect("contacts:coverage", union.pk)
    return _page(request, union, reader, viewer_form=form, status=400)


@login_required
@require_POST
def viewer_remove(request, pk: int):
    viewer = DifficultyViewer.objects.filter(pk=pk).select_related("person").first()
    if viewer is None:
        raise Http404
    union, reader = _viewed(request, viewer.union_id)
    if not reader.chair:
        refuse(request, union=union, reason=NOT_CHAIR, status=403)
    viewer.union = union
    services.difficulty_viewer_remove(actor=request.user, viewer=viewer)
    messages.success(
        request, _("%(name)s no longer reads the records of workers in difficulty.") % {"name": viewer.person}
    )
    return redirect("contacts:coverage", union.pk)


@login_required
@require_GET
def mine(request):
    """S4.4: the contacts the signed-in committee member keeps, overdue first, each with a log button."""
    contacts = selectors.my_contacts(request.user)
    services.difficulty_views_record(viewer=request.user, contacts=contacts, page="mine")
    several = len({c.union_id for c in contacts}) > 1
    return render(request, "workflows/contacts/mine.html", {"contacts": contacts, "several_unions": several})
