"""The meeting notice's form (issue 33): it parses input; services.notice_issue decides (the notice rule,
the agenda before the body), and its refusals are shown on the field they concern."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.forms import CHECK, CONTROL, AttendeesField, date_input


class NoticeForm(forms.Form):
    meets_on = forms.DateField(label=_("Meeting date"), widget=date_input())
    starts_at = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time", **CONTROL}, format="%H:%M")
    )
    place = forms.CharField(label=_("Place"), max_length=200, widget=forms.TextInput(attrs=dict(CONTROL)))
    # any id is accepted here: the service names the documents no longer before the body
    agenda_items = AttendeesField(
        label=_("Documents before the body"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=dict(CHECK)),
    )
    agenda_lines = forms.CharField(
        label=_("Other agenda items"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**CONTROL, "rows": 3}),
        help_text=_("One item a line."),
    )
    number = forms.CharField(
        label=_("Number of the notice"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs=dict(CONTROL)),
        help_text=_("Optional, as the union numbers its notices."),
    )

    def __init__(self, *args, agenda_choices: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_items"].choices = agenda_choices
