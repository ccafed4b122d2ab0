"""Forms of the final accounts pages (S3.5): they parse what was typed or uploaded; services decide."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from workflows import errors
from workflows.budget.actuals import ActualsForm
from workflows.budget.forms import AmountField
from workflows.forms import CONTROL

UPLOAD_MAX_BYTES = 5 * 1024 * 1024  # a budget's actuals workbook is a few kilobytes


class FinalAccountsCreateForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Fiscal year"),
        coerce=int,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_("Years with a budget in force; the lines are pre-filled from it."),
    )
    note = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={**CONTROL, "rows": 3})
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class FinalAccountsEditForm(ActualsForm):
    """The actual amount of every line, the funds rolled over into the year and an explanation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carryover"] = AmountField(
            label=_("Funds rolled over from the previous year (yuan)"),
            help_text=_(
                "The previous year's audited closing balance, or the carryover of the year's budget."
            ),
        )
        self.fields["note"] = forms.CharField(
            label=_("Explanation"), required=False, widget=forms.Textarea(attrs={**CONTROL, "rows": 3})
        )

    def kind_sections(self):
        return [(_("Income"), self.income_rows()), (_("Expenditure"), self.expenditure_rows())]


class ActualsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={**CONTROL, "accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise ValidationError(errors.ATTACHMENT_SIZE, params={"limit": UPLOAD_MAX_BYTES // (1024 * 1024)})
        return upload


class AuditReportForm(forms.Form):
    file = forms.FileField(label=_("Audit report"), widget=forms.ClearableFileInput(attrs=dict(CONTROL)))
    note = forms.CharField(
        label=_("Note"), max_length=200, required=False, widget=forms.TextInput(attrs=dict(CONTROL))
    )
