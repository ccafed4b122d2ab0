"""Forms of the members' pages (S5.4). They parse input; workflows.memberpages.services decides (an empty
opinion, a rating out of range, a wrong code, a used or expired invitation are refused there or here, each
beside its field, with what was typed kept)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.budget.forms import bootstrap
from workflows.forms import CHECK

from . import errors
from .models import RATINGS, OpinionKind


class IdListField(forms.Field):
    """The ids of the members ticked on the invitations page (one checkbox each, rendered by the page)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return [int(v) for v in value or []]
        except (TypeError, ValueError):
            raise forms.ValidationError(errors.MEMBER_ELSEWHERE) from None


class InvitationsForm(forms.Form):
    members = IdListField(required=False)
    email = forms.BooleanField(
        label=_("Also send each invitation by e-mail to the members who have an address"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs=dict(CHECK)),
    )

    def clean_members(self):
        members = self.cleaned_data["members"]
        if not members:
            raise forms.ValidationError(errors.NO_MEMBERS_CHOSEN)
        return members


class OpinionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What you send"),
        choices=OpinionKind.choices,
        initial=OpinionKind.OPINION,
        widget=forms.RadioSelect(attrs=dict(CHECK)),
    )
    rating = forms.TypedChoiceField(
        label=_("Rating (1 poor – 5 very good)"),
        choices=[(n, str(n)) for n in RATINGS],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect(attrs=dict(CHECK)),
        error_messages={"invalid_choice": errors.RATING_RANGE},
        help_text=_("Needed for an evaluation of the union's work."),
    )
    text = forms.CharField(
        label=_("Your opinion"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": errors.TEXT_EMPTY},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


ANSWER_WAYS = [
    ("public", _("publicly, on the open-affairs page (without the member's name)")),
    ("private", _("privately, to the member only")),
]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": errors.ANSWER_EMPTY},
    )
    way = forms.ChoiceField(
        label=_("How to answer"),
        choices=ANSWER_WAYS,
        initial="public",
        widget=forms.RadioSelect(attrs=dict(CHECK)),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class CodeForm(forms.Form):
    member_number = forms.CharField(
        label=_("member number"), max_length=30, error_messages={"required": errors.NUMBER_NEEDED}
    )
    code = forms.CharField(
        label=_("Code from your invitation"),
        max_length=20,
        error_messages={"required": errors.CODE_NEEDED},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class PasswordForm(forms.Form):
    """The password is never sent back to the page: a refused one is typed again."""

    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": errors.PASSWORD_NEEDED},
    )
    password_again = forms.CharField(
        label=_("The password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": errors.PASSWORD_NEEDED},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
