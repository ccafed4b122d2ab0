"""Forms of the roster page (S4.2). They parse input; workflows.roster.services decides (a social worker
without contract dates, a contract ending before it starts, a person of another union are refused
there, beside the field)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms_people import PersonField
from core.models import Seat, Union, User
from core.people import PeopleScope
from workflows.budget.forms import bootstrap
from workflows.forms import CHECK, date_input

from .models import Category

PICKER = "roster_person"


def roster_person_scope(*, union: Union) -> PeopleScope:
    """Whom an entry may name: the holders of a seat in force in the union."""
    seated = Seat.objects.in_force().filter(union_id=union.pk).values("person_id")
    return PeopleScope(allowed=User.objects.filter(Q(pk__in=seated), is_active=True), near_union_id=union.pk)


class RosterEntryForm(forms.Form):
    category = forms.ChoiceField(
        label=_("category"), choices=Category.choices, widget=forms.RadioSelect(attrs=dict(CHECK))
    )
    person = PersonField(
        action=PICKER,
        label=_("person of the union"),
        required=False,
        help_text=_(
            "A person holding a seat in the union. For someone hired without an account, write the name."
        ),
    )
    name = forms.CharField(label=_("name of the person hired"), max_length=100, required=False)
    position = forms.CharField(label=_("post held"), max_length=100, required=False)
    is_chair = forms.BooleanField(label=_("full-time chair"), required=False)
    contract_start = forms.DateField(label=_("contract starts"), required=False, widget=date_input())
    contract_end = forms.DateField(
        label=_("contract ends"),
        required=False,
        widget=date_input(),
        help_text=_("Required for a social union worker; the chair is reminded before it ends."),
    )
    tasks = forms.CharField(label=_("tasks"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].set_scope(roster_person_scope(union=union), ref=str(union.pk))
        bootstrap(self)


class RosterEndForm(forms.Form):
    left_on = forms.DateField(label=_("left on"), initial=timezone.localdate, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
