"""The rules' form (S4.1, S5.3): it parses input; services.rules_create and rules_update decide (an empty
title or text, a type the union has no body for, a second version on its way are refused there)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import CONTROL


class RulesForm(forms.Form):
    # the type is chosen on the union's page (its template fills the text); carried, never typed
    rules_type = forms.CharField(widget=forms.HiddenInput, required=False)
    # not required here: the service says what is missing in the rules' own words
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, widget=forms.TextInput(attrs=dict(CONTROL))
    )
    text = forms.CharField(
        label=_("Text of the rules"),
        max_length=100000,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={**CONTROL, "rows": 24}),
    )
