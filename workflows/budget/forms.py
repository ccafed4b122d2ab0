from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows import errors
from workflows.amounts import parse_amount
from workflows.models import validate_attachment

from .models import Account, AccountKind
from .services import LineInput


class AmountField(forms.CharField):
    """Yuan as typed (full-width digits and separators accepted), cleaned to Decimal."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "class": "form-control money"}
        )

    def clean(self, value):
        value = super().clean(value)
        if value in ("", None):
            return None
        return parse_amount(value)


class BudgetCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Fiscal year"), min_value=2000, max_value=2100)
    carryover = AmountField(
        label=_("Funds rolled over from the previous year (yuan)"),
        help_text=_("The previous year's audited closing balance, or your estimate until it is audited."),
    )
    carryover_is_estimate = forms.BooleanField(
        label=_("The carryover is an estimate"), required=False, initial=True
    )
    note = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1


class BudgetLinesForm(forms.Form):
    """One amount and remark per postable income and expenditure account: no line outside the chart (S3.1)."""

    carryover = AmountField(label=_("Funds rolled over from the previous year (yuan)"))
    carryover_is_estimate = forms.BooleanField(label=_("The carryover is an estimate"), required=False)
    note = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, accounts: list[Account], **kwargs):
        super().__init__(*args, **kwargs)
        self.accounts = accounts
        for account in accounts:
            self.fields[f"amount_{account.code}"] = AmountField(
                label=f"{account.code} {account.name}", required=False
            )
            self.fields[f"remark_{account.code}"] = forms.CharField(
                label=_("Remark"),
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def rows(self):
        for account in self.accounts:
            yield account, self[f"amount_{account.code}"], self[f"remark_{account.code}"]

    def income_rows(self):
        return [row for row in self.rows() if row[0].kind == AccountKind.INCOME]

    def expenditure_rows(self):
        return [row for row in self.rows() if row[0].kind == AccountKind.EXPENDITURE]

    def lines(self):
        return [
            LineInput(
                account.code,
                self.cleaned_data[f"amount_{account.code}"],
                self.cleaned_data[f"remark_{account.code}"],
            )
            for account in self.accounts
            if self.cleaned_data.get(f"amount_{account.code}") is not None
        ]


class SubmitForm(forms.Form):
    """At the draft step: who is asked for opinions (S3.3), and by when."""

    recipients = forms.MultipleChoiceField(
        label=_("Ask for opinions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(
        label=_("Opinions due by"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )

    def __init__(self, *args, choices: list[tuple[str, str]], needs_recipients: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = choices
        self.needs_recipients = needs_recipients
        self.fields["due_date"].initial = timezone.localdate() + datetime.timedelta(days=7)

    def clean(self):
        data = super().clean()
        if self.needs_recipients:
            if not data.get("recipients"):
                raise ValidationError(errors.OPINION_NO_RECIPIENTS)
            due = data.get("due_date")
            if due is None or due <= timezone.localdate():
                raise ValidationError(errors.OPINION_DUE_IN_PAST)
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_attachment(upload)
        return upload


def lines_initial(version, **fields) -> dict:
    """A lines form's initial values from a version: its carryover, its lines and the given fields."""
    initial = {
        "carryover": f"{version.carryover:.2f}",
        "carryover_is_estimate": version.carryover_is_estimate,
        **fields,
    }
    for line in version.lines.all():
        initial[f"amount_{line.account_id}"] = f"{line.amount:.2f}"
        initial[f"remark_{line.account_id}"] = line.remark
    return initial
