"""The form of a delegation while away (委托)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from core.forms_people import PersonField
from workflows.circles import delegation_scope


class DelegationForm(forms.Form):
    substitute = PersonField(
        action="delegate",
        browse=True,
        label=gettext_lazy("Substitute"),
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].set_scope(delegation_scope(user=user))
