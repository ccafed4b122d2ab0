"""The security pages' forms: the auditor's search, a second-factor code."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.security import errors
from core.security.models import AuditKind


def _text(**attrs):
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _date():
    return forms.DateInput(attrs={"class": "form-control", "type": "date"})


class AuditSearchForm(forms.Form):
    date_from = forms.DateField(label=_("from"), required=False, widget=_date())
    date_to = forms.DateField(label=_("to"), required=False, widget=_date())
    kind = forms.ChoiceField(
        label=_("kind"),
        required=False,
        choices=[("", _("all kinds")), *AuditKind.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    actor = forms.CharField(label=_("who"), required=False, max_length=100, widget=_text())
    q = forms.CharField(label=_("text"), required=False, max_length=100, widget=_text())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = errors.AUDIT_BAD_DATE

    def filters(self) -> dict:
        """The valid filters (an invalid field is left out and shown with its message)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {key: value for key, value in data.items() if value not in (None, "")}

    def described(self) -> dict:
        """The filters as the audit_read entry keeps them (JSON)."""
        return {
            key: value.isoformat() if isinstance(value, datetime.date) else value
            for key, value in self.filters().items()
        }


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("code from your authenticator app"),
        max_length=8,
        widget=_text(inputmode="numeric", autocomplete="one-time-code", autofocus=True),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip().replace(" ", "")
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(errors.OTP_BAD_TOKEN)
        return token
