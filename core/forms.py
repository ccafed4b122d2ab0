from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms_people import NOT_ALLOWED, PersonField
from core.models import Body, Role, Seat, Union, User
from core.people import PeopleScope
from core.selectors import union_descendants

# A person posted from outside the union's tree (a forged or stale choice: the picker offers only the
# tree): said in the seat form's own words, so the officer knows whom they may appoint.
SEAT_PERSON_OUTSIDE = _(
    "Only people of this union and of the unions below it can take a seat here. "
    "Search again and choose from the list."
)


def seat_circle(*, union: Union) -> QuerySet[User]:
    """Who may be given a seat in ``union`` (issue 25): the people of the union tree it heads — whose
    home union is the union or one below it, or who hold a seat in force there. Never someone of
    another union: a newcomer is first registered with a home union (by the administrator). Lazy:
    building it runs no query."""
    tree = Union.objects.filter(Q(pk=union.pk) | Q(pk__in=union_descendants(union=union))).values("id")
    seated = Seat.objects.in_force().filter(union_id__in=tree).values("person_id")
    return User.objects.filter(Q(home_union_id__in=tree) | Q(pk__in=seated), is_active=True)


def seat_scope(*, union: Union) -> PeopleScope:
    """The seat form's picker: the union's tree, each person shown with their seat in this union first."""
    return PeopleScope(allowed=seat_circle(union=union), near_union_id=union.pk)


class SeatForm(forms.Form):
    person = PersonField(
        action="seat",
        label=_("Person"),
        help_text=_(
            "People of this union and of the unions below it. Someone not found: ask the administrator "
            "to register them with this union."
        ),
        error_messages={NOT_ALLOWED: SEAT_PERSON_OUTSIDE},
    )
    body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.none(),
        required=False,
        help_text=_("Leave empty for office staff, finance officer and supervisor."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    start_date = forms.DateField(
        label=_("Term starts"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        # the search endpoint checks the viewer on the union again (core.views.seat_people)
        self.fields["person"].set_scope(seat_scope(union=union), ref=str(union.pk))
        self.fields["body"].queryset = Body.objects.filter(union=union)
        self.fields["body"].label_from_instance = lambda body: body.display_name


class SeatEndForm(forms.Form):
    end_date = forms.DateField(
        label=_("Term ends"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
