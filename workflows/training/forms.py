"""The training record's form (S4.3): it parses input; services.training_record decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.uploads import validate_upload
from workflows.forms import CHECK, CONTROL, AttendeesField, date_input

from .models import TrainingKind


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=TrainingKind.choices, widget=forms.RadioSelect(attrs=dict(CHECK))
    )
    held_on = forms.DateField(label=_("Date"), widget=date_input())
    topic = forms.CharField(label=_("Topic"), max_length=200, widget=forms.TextInput(attrs=dict(CONTROL)))
    trainer = forms.CharField(
        label=_("Trainer or speaker"), max_length=100, widget=forms.TextInput(attrs=dict(CONTROL))
    )
    # not required here: the service refuses an empty sign-in with its own words (S4.3)
    participants = AttendeesField(
        label=_("Sign-in: participants"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=dict(CHECK)),
        help_text=_("The union's seat holders; each must hold a seat on the training date."),
    )
    notes = forms.CharField(
        label=_("Content and notes"), required=False, widget=forms.Textarea(attrs={**CONTROL, "rows": 4})
    )
    materials = forms.FileField(
        label=_("Materials (file)"),
        required=False,
        validators=[validate_upload],
        widget=forms.ClearableFileInput(attrs=dict(CONTROL)),
        help_text=_("PDF, images, Word, Excel, OFD or text. After an error, choose the file again."),
    )

    def __init__(self, *args, people: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = people
