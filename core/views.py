"""Pages of the core app: the unions a user may see, a union's bodies and seats."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.confirm import confirmation_page, confirmed
from core.forms import SeatEndForm, SeatForm, seat_scope
from core.forms_people import NOT_ALLOWED
from core.http import refuse, union_for_viewer
from core.models import Body, Seat, UnionKind
from core.people import PeopleScope, register_scope
from core.selectors import union_ancestor_chain, unions_visible_to
from core.services.events import event_record
from core.services.seats import seat_create, seat_end


@login_required
def union_list(request):
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "").strip()
    unions = unions_visible_to(user=request.user).select_related("parent").order_by("kind", "name", "id")
    if kind in UnionKind.values:
        unions = unions.filter(kind=kind)
    if q:
        unions = unions.filter(name__icontains=q)
    page = Paginator(unions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/union_list.html",
        {"page": page, "kind": kind, "q": q, "kinds": UnionKind.choices},
    )


@login_required
def union_detail(request, pk: int):
    union, access = union_for_viewer(request, pk)
    today = timezone.localdate()
    seats_in_force = Seat.objects.in_force(today).select_related("person").order_by("role", "id")
    bodies = Body.objects.filter(union=union).prefetch_related(Prefetch("seats", queryset=seats_in_force))
    union_level = seats_in_force.filter(union=union, body__isnull=True)
    # every child is listed; a link only where the viewer may open it (a union group's page is for its
    # own officers and the supervisors above)
    children = union.children.order_by("kind", "name").annotate(
        viewable=Exists(unions_visible_to(user=request.user).filter(pk=OuterRef("pk")))
    )
    return render(
        request,
        "core/union_detail.html",
        {
            "union": union,
            "access": access,
            "ancestors": union_ancestor_chain(union=union),
            "bodies": bodies,
            "union_level_seats": union_level,
            "children": children,
            "today": today,
        },
    )


@login_required
def seat_add(request, pk: int):
    union, access = union_for_viewer(request, pk)
    if not access.can_manage_seats:
        refuse(request, union=union, reason="may not manage seats", status=403)
    form = SeatForm(request.POST or None, union=union)
    valid = request.method == "POST" and form.is_valid()
    if form.has_error("person", NOT_ALLOWED):
        _log_person_refused(request, union)
    if valid:
        data = form.cleaned_data
        try:
            seat_create(
                actor=request.user,
                person=data["person"],
                union=union,
                body=data["body"],
                role=data["role"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                note=data["note"],
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, _("Seat added."))
            return redirect("union_detail", pk=union.pk)
    return render(
        request, "core/seat_form.html", {"union": union, "form": form}, status=400 if form.errors else 200
    )


def seat_people(request, ref: str) -> PeopleScope:
    """The seat form's people picker (core.views_people): checked as seat_add is, then the union's tree."""
    if not ref.isdigit() or len(ref) > 18:
        refuse(request, union=None, reason="no such union")
    union, access = union_for_viewer(request, int(ref))
    if not access.can_manage_seats:
        refuse(request, union=union, reason="may not manage seats", status=403)
    return seat_scope(union=union)


# core.urls imports this module before any request reaches the search endpoint
register_scope("seat", seat_people)


def _log_person_refused(request, union) -> None:
    """A person posted from outside the union's tree (a forged or stale choice) is a refusal: logged."""
    event_record(
        verb="action_refused",
        actor=request.user,
        union=union,
        detail={"reason": "seat person not allowed", "path": request.path[:300]},
    )


@login_required
@require_POST
def seat_finish(request, pk: int):
    seat = get_object_or_404(Seat.objects.select_related("union", "person", "body"), pk=pk)
    union, access = union_for_viewer(request, seat.union_id)
    if not access.can_manage_seats:
        refuse(request, union=union, reason="may not manage seats", status=403)
    form = SeatEndForm(request.POST)
    if form.is_valid() and not confirmed(request):
        return _seat_end_question(request, seat=seat, end_date=form.cleaned_data["end_date"])
    if form.is_valid():
        try:
            seat_end(actor=request.user, seat=seat, end_date=form.cleaned_data["end_date"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The seat's term now ends on %(date)s.") % {"date": form.cleaned_data["end_date"]}
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("union_detail", pk=union.pk)


def _seat_end_question(request, *, seat: Seat, end_date):
    """结束任期 asks first: the person loses the seat's rights and their claimed tasks go back."""
    where = seat.body.display_name if seat.body_id else seat.union.name
    return confirmation_page(
        request,
        question=_("End the term of %(person)s (%(role)s, %(where)s) on %(date)s?")
        % {"person": seat.person, "role": seat.get_role_display(), "where": where, "date": end_date},
        details=[
            _(
                "After that day they no longer act for this seat: the tasks they claimed go back to "
                "the body's queue and the chair is told."
            )
        ],
        answer=_("End term"),
        cancel_url=reverse("union_detail", args=[seat.union_id]),
    )


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
