"""Forms of the statutory calendar pages."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import validate_upload as validate_attachment

RECORD_DATE_FUTURE = _("The date cannot be in the future: record what has taken place.")
RECORD_DATE_BEFORE_YEAR = _(
    "The date must be on or after 1 January %(year)s, the start of the obligation's year."
)
RECORD_NOTE_EMPTY = _("Say what took place: the note is required.")


class ObligationRecordForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_("What took place: the meeting, the study or the survey, who took part, the outcome."),
        error_messages={"required": RECORD_NOTE_EMPTY},
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        validators=[validate_attachment],
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
        help_text=_("Minutes, a sign-in sheet or a report (optional)."),
    )

    def __init__(self, *args, fiscal_year: int, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year
        self.today = today

    def clean_held_on(self) -> datetime.date:
        day = self.cleaned_data["held_on"]
        if day > self.today:
            raise forms.ValidationError(RECORD_DATE_FUTURE)
        if day < datetime.date(self.fiscal_year, 1, 1):
            raise forms.ValidationError(RECORD_DATE_BEFORE_YEAR, params={"year": self.fiscal_year})
        return day

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(RECORD_NOTE_EMPTY)
        return note
