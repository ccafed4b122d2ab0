"""The training pages (S4.3): the union's records of a year with the year's S4.3 obligations, the form
that records one with its sign-in, a record's page and its materials. Who sees them: the union's
officers and the supervisors above (union_access.can_view_documents); who records: its drafters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.files import file_response
from core.http import refuse, union_for_viewer
from core.views_calendar import STATUS_BADGES

from . import selectors, services
from .forms import TrainingForm

YEAR_MIN, YEAR_MAX = 2000, 2100
NOT_VISIBLE = "training records are for officers and supervisors"
NOT_DRAFTER = "only the union's drafters record training"


def _viewed_union(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_view_documents:
        refuse(request, union=union, reason=NOT_VISIBLE)
    return union, access


def _viewed_record(request, pk: int):
    record = selectors.record_with_union(pk)
    if record is None:
        raise Http404
    _viewed_union(request, record.union_id)
    return record


@login_required
@require_GET
def training_list(request, union_pk: int):
    union, access = _viewed_union(request, union_pk)
    today = timezone.localdate(timezone=union.tz)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and YEAR_MIN <= int(year) <= YEAR_MAX else today.year
    context = {
        "union": union,
        "access": access,
        "year": year,
        "previous_year": year - 1 if year > YEAR_MIN else None,
        "next_year": year + 1 if year < YEAR_MAX else None,
        "records": list(selectors.records_of_year(union.pk, year)),
        "obligations": [
            {**row, "badge": STATUS_BADGES[row["status"]]}
            for row in selectors.s4_3_obligations(union.pk, year, today)
        ],
    }
    return render(request, "workflows/training/list.html", context)


@login_required
def training_new(request, union_pk: int):
    union, access = _viewed_union(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason=NOT_DRAFTER, status=403)
    today = timezone.localdate(timezone=union.tz)
    people = selectors.seat_holder_choices(union, today)
    form = TrainingForm(
        request.POST or None, request.FILES or None, people=people, initial={"held_on": today}
    )
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = services.training_record(
                    actor=request.user,
                    union=union,
                    kind=data["kind"],
                    held_on=data["held_on"],
                    topic=data["topic"],
                    trainer=data["trainer"],
                    notes=data["notes"],
                    participant_ids=data["participants"],
                    materials=data["materials"] or None,
                )
            except PermissionDenied:
                refuse(request, union=union, reason=NOT_DRAFTER, status=403)
            except ValidationError as exc:
                problems = list(exc.messages)
            else:
                messages.success(request, _("The training was recorded."))
                return redirect("training:detail", pk=record.pk)
        else:
            problems = [_("Please correct the errors below.")]
    context = {"union": union, "form": form, "problems": problems}
    return render(request, "workflows/training/form.html", context, status=400 if problems else 200)


@login_required
@require_GET
def training_detail(request, pk: int):
    record = _viewed_record(request, pk)
    context = {
        "record": record,
        "union": record.union,
        "participants": list(record.participants.order_by("full_name", "id")),
    }
    return render(request, "workflows/training/detail.html", context)


@login_required
@require_GET
def training_materials(request, pk: int):
    """The record's materials, only through this check (never a public media address)."""
    record = _viewed_record(request, pk)
    if not record.materials:
        raise Http404
    return file_response(record.materials, name=record.materials_name or "materials")
