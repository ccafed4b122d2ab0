"""Forms of the year-end summary and report pages (S2.3, S3.5): they parse what was typed; the services
in services.py decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows import errors
from workflows.forms import CONTROL

MAX_TEXT = 100_000


def default_report_year() -> int:
    """The year a summary or work report is written about: this year from July, else last year (the
    summary is written at the year's end and the congress meets early in the next year)."""
    today = timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1


def _year_field(label) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={**CONTROL, "inputmode": "numeric"}),
    )


def _text_field(label, *, required: bool, rows: int = 18, help_text="") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        strip=False,
        widget=forms.Textarea(attrs={**CONTROL, "rows": rows}),
        help_text=help_text,
    )


class SummaryCreateForm(forms.Form):
    year = _year_field(_("Year summarised"))
    text = _text_field(
        _("Summary"),
        required=False,
        help_text=_("Pre-filled from the year's plan in force and the progress recorded on its tasks."),
    )


class SummaryEditForm(forms.Form):
    text = _text_field(_("Summary"), required=False)


class WorkReportCreateForm(forms.Form):
    year = _year_field(_("Year reported on"))
    text = _text_field(
        _("Report"),
        required=False,
        rows=8,
        help_text=_(
            "Leave empty to start from the acknowledged summary of the year and next year's plan; "
            "you can edit the text afterwards."
        ),
    )


class FinanceReportCreateForm(forms.Form):
    year = _year_field(_("Year of the final accounts"))
    text = _text_field(
        _("Report"),
        required=False,
        rows=8,
        help_text=_(
            "Leave empty to start from the audited final accounts and next year's budget; "
            "you can edit the text afterwards."
        ),
    )


class ReportEditForm(forms.Form):
    text = _text_field(_("Report"), required=False)


class ResubmitForm(forms.Form):
    text = _text_field(
        _("Corrected report"),
        required=True,
        help_text=_("Saved as a new version and submitted again to the upper-level union."),
    )


class SubmissionReturnForm(forms.Form):
    opinions = forms.CharField(
        label=_("Opinions"),
        max_length=5000,
        widget=forms.Textarea(attrs={**CONTROL, "rows": 2}),
        error_messages={"required": errors.RETURN_NEEDS_REASON},
        help_text=_("Required: say what the union must correct."),
    )
