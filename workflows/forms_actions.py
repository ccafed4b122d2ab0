"""Forms of the task actions: transfer (转交), add a signer (加签), the signer's answer, comments with
mentions and copy to (抄送). Every person is chosen with the people picker (core.forms_people) among
the people the action allows (workflows.circles); the service still checks and says why not."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from core.forms_people import PeopleField, PersonField
from core.people import PeopleScope
from workflows.circles import copy_scope, mention_scope
from workflows.forms import CHECK, CONTROL, MultipleFileField
from workflows.models import validate_attachment


def document_ref(document_type: str, document) -> str:
    """How a document picker names its document to the search (workflows.people): "budget:12"."""
    return f"{document_type}:{document.pk}"


class NoteField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Note"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("widget", forms.Textarea(attrs={**CONTROL, "rows": 3}))
        super().__init__(**kwargs)


class TransferForm(forms.Form):
    to = PersonField(
        action="transfer",
        browse=True,
        label=gettext_lazy("Transfer to"),
        help_text=gettext_lazy("Someone else who records for this body."),
    )
    note = NoteField(help_text=gettext_lazy("Why, and what the colleague should know."))

    def __init__(self, *args, scope: PeopleScope, ref: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].set_scope(scope, ref=ref)


class AddSignerForm(forms.Form):
    signer = PersonField(
        action="signer",
        browse=True,
        label=gettext_lazy("Signer"),
        help_text=gettext_lazy("A colleague of this union or of a union above it answers before you."),
    )
    note = NoteField(help_text=gettext_lazy("What you would like the signer to look at."))

    def __init__(self, *args, scope: PeopleScope, ref: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].set_scope(scope, ref=ref)


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
    )
    mentions = PeopleField(
        action="mention",
        required=False,
        label=gettext_lazy("Mention"),
        help_text=gettext_lazy("The people you choose are told of your comment."),
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

    def __init__(
        self, *args, steps: list[tuple[int, str]], document=None, document_type="", user=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [("", gettext_lazy("the document as a whole")), *steps]
        if document is not None:
            self.fields["mentions"].set_scope(
                mention_scope(document=document, user=user), ref=document_ref(document_type, document)
            )


class CopyToForm(forms.Form):
    people = PeopleField(action="copy", label=gettext_lazy("Copy to"))

    def __init__(self, *args, document=None, document_type="", user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if document is not None:
            self.fields["people"].set_scope(
                copy_scope(document=document, user=user), ref=document_ref(document_type, document)
            )
