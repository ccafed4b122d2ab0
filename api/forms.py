"""The form of the personal access tokens page."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from api import errors


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What will use it, e.g. “monthly report script”."),
        error_messages={"required": errors.TOKEN_NAME},
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        initial=settings.API_TOKEN_DEFAULT_DAYS,
    )
