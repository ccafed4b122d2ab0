from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import validate_size

from . import errors
from .models import Period


class ReviewCreateForm(forms.Form):
    budget = forms.TypedChoiceField(label=_("Budget in force"), coerce=int)
    period = forms.ChoiceField(label=_("Period"), choices=Period.choices)

    def __init__(self, *args, budgets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].choices = [(b.pk, b.title) for b in budgets]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        error_messages={"required": errors.NO_FILE},
        validators=[validate_size],
    )


class FileForm(forms.Form):
    note = forms.CharField(
        label=_("The union committee's note"),
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        error_messages={"required": errors.NOTE_REQUIRED},
        max_length=10000,
    )

    def clean_note(self):
        value = self.cleaned_data["note"].strip()
        if not value:
            raise forms.ValidationError(errors.NOTE_REQUIRED)
        return value
