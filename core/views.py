"""Pages of the core app: home, the unions a user may see, a union's bodies and seats."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.forms import PERSON_UNKNOWN, SeatEndForm, SeatForm
from core.http import refuse, union_for_viewer
from core.models import Body, Delegation, Seat, UnionKind, User
from core.selectors import seats_of_person, union_ancestor_chain, unions_visible_to
from core.services.seats import seat_create, seat_end


@login_required
def home(request):
    seats = list(seats_of_person(person=request.user))
    supervised = [s.union for s in seats if s.role == "supervisor"]
    return render(request, "core/home.html", {"seats": seats, "supervised": supervised})


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
    children = union.children.order_by("kind", "name")
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
    if request.method == "POST" and form.is_valid():
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


@login_required
@require_POST
def seat_finish(request, pk: int):
    seat = get_object_or_404(Seat.objects.select_related("union", "person", "body"), pk=pk)
    union, access = union_for_viewer(request, seat.union_id)
    if not access.can_manage_seats:
        refuse(request, union=union, reason="may not manage seats", status=403)
    form = SeatEndForm(request.POST)
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


def _attach_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- delegation while away (委托, issue 5) -------------------------------------------------------------


class DelegationForm(forms.Form):
    substitute = forms.CharField(
        label=gettext_lazy("Substitute (username)"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
        help_text=gettext_lazy("A colleague who holds a seat in a union you work in."),
    )
    starts_on = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
    )
    ends_on = forms.DateField(
        label=gettext_lazy("Until"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )

    def clean_substitute(self) -> User:
        username = self.cleaned_data["substitute"].strip()
        person = User.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise forms.ValidationError(PERSON_UNKNOWN, params={"value": username})
        return person


def _delegation_state(delegation: Delegation, today) -> str:
    if delegation.revoked_at is not None:
        return "revoked"
    if delegation.ends_on < today:
        return "past"
    if delegation.starts_on > today:
        return "upcoming"
    return "active"


@login_required
def delegations(request):
    """My delegations while away, a form for a new one, and the record of who acted for whom."""
    from workflows.models import WorkItem, WorkItemState
    from workflows.services.actions import delegation_create
    from workflows.views_actions import page_url

    form = DelegationForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                delegation_create(
                    person=request.user,
                    substitute=data["substitute"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    note=data["note"].strip(),
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            else:
                messages.success(
                    request,
                    _("From %(start)s to %(end)s your new tasks reach %(person)s.")
                    % {"start": data["starts_on"], "end": data["ends_on"], "person": data["substitute"]},
                )
                return redirect("delegations")
        else:
            problems = [_("Please correct the errors below.")]
    today = timezone.localdate()
    mine = [
        (d, _delegation_state(d, today))
        for d in Delegation.objects.filter(person=request.user).select_related("substitute")
    ]
    to_me = [
        (d, _delegation_state(d, today))
        for d in Delegation.objects.filter(substitute=request.user).select_related("person")
    ]
    done = WorkItem.objects.filter(state=WorkItemState.DONE).select_related(
        "union", "assignee", "finished_by", "acting_for"
    )

    def rows(items):
        return [(item, page_url(item.document_type, item.document_id)) for item in items]

    acted_for_me = rows(done.filter(acting_for=request.user).order_by("-finished_at", "-id")[:100])
    i_acted_for = rows(
        done.filter(acting_for__isnull=False, finished_by=request.user).order_by("-finished_at", "-id")[:100]
    )
    return render(
        request,
        "core/delegations.html",
        {
            "form": form,
            "problems": problems,
            "mine": mine,
            "to_me": to_me,
            "acted_for_me": acted_for_me,
            "i_acted_for": i_acted_for,
        },
        status=400 if problems else 200,
    )


@login_required
@require_POST
def delegation_revoke_view(request, pk: int):
    from workflows.services.actions import delegation_revoke

    delegation = Delegation.objects.select_related("substitute").filter(pk=pk, person=request.user).first()
    if delegation is None:
        refuse(request, union=None, reason="delegation not found or not yours")
    delegation_revoke(delegation=delegation, user=request.user)
    messages.success(
        request, _("The delegation to %(person)s was revoked.") % {"person": delegation.substitute}
    )
    return redirect("delegations")
