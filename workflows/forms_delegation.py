"""The form of a delegation while away (委托)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from core.forms import PERSON_UNKNOWN
from core.models import User


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
