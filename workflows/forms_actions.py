"""Forms of the task actions: transfer (转交), add a signer (加签), the signer's answer, comments with
@-mentions and copy to (抄送)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy

from core.models import User
from workflows import errors
from workflows.forms import CHECK, CONTROL, MultipleFileField
from workflows.models import validate_attachment


def _active_person(username: str) -> User:
    person = User.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise forms.ValidationError(errors.UNKNOWN_PERSON, params={"value": username})
    return person


class NoteField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Note"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("widget", forms.Textarea(attrs={**CONTROL, "rows": 3}))
        super().__init__(**kwargs)


class TransferForm(forms.Form):
    # A select of the body's recorders, but any person id is accepted here: the service refuses
    # someone outside the body with a message naming them, and writes the refusal as an event.
    to = forms.CharField(
        label=gettext_lazy("Transfer to"), widget=forms.Select(attrs={"class": "form-select"})
    )
    note = NoteField(help_text=gettext_lazy("Why, and what the colleague should know."))

    def __init__(self, *args, people: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].widget.choices = [("", "---------"), *people]

    def clean_to(self) -> User:
        value = self.cleaned_data["to"].strip()
        person = User.objects.filter(pk=int(value), is_active=True).first() if value.isdigit() else None
        if person is None:
            raise forms.ValidationError(errors.UNKNOWN_PERSON, params={"value": value})
        return person


class AddSignerForm(forms.Form):
    signer = forms.CharField(
        label=gettext_lazy("Signer (username)"),
        max_length=150,
        widget=forms.TextInput(attrs={**CONTROL, "autocomplete": "off"}),
        help_text=gettext_lazy("A colleague of this union or of a union above it answers before you."),
    )
    note = NoteField(help_text=gettext_lazy("What you would like the signer to look at."))

    def clean_signer(self) -> User:
        return _active_person(self.cleaned_data["signer"].strip())


class SignerAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=gettext_lazy("Your answer"),
        choices=[("agree", gettext_lazy("I agree")), ("disagree", gettext_lazy("I disagree"))],
        widget=forms.RadioSelect(attrs=dict(CHECK)),
    )
    text = forms.CharField(
        label=gettext_lazy("Opinion"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={**CONTROL, "rows": 4}),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Comment"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={**CONTROL, "rows": 3}),
        help_text=gettext_lazy("Write @username to notify a colleague who may see this document."),
    )
    files = MultipleFileField(
        label=gettext_lazy("Files"),
        required=False,
        validators=[validate_attachment],
        help_text=gettext_lazy(
            "PDF, images, Word, Excel, OFD or text. After an error, choose the files again."
        ),
    )
    step = forms.TypedChoiceField(
        label=gettext_lazy("On step"),
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, steps: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", gettext_lazy("the document as a whole")), *steps]


USERNAME_SPLIT = re.compile(r"[\s,，、;；]+")


class CopyToForm(forms.Form):
    people = forms.CharField(
        label=gettext_lazy("Copy to (usernames, comma separated)"),
        max_length=2000,
        widget=forms.TextInput(attrs={**CONTROL, "autocomplete": "off"}),
    )

    def clean_people(self) -> list[User]:
        names = list(
            dict.fromkeys(n.lstrip("@") for n in USERNAME_SPLIT.split(self.cleaned_data["people"]) if n)
        )
        found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
        unknown = [n for n in names if n not in found]
        if unknown:
            raise forms.ValidationError(
                [forms.ValidationError(errors.UNKNOWN_PERSON, params={"value": n}) for n in unknown]
            )
        return [found[n] for n in names]
