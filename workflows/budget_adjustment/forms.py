from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from workflows.budget.forms import AmountField, BudgetLinesForm
from workflows.budget.models import Account, AccountKind
from workflows.budget.services import LineInput

from . import errors


class AdjustmentCreateForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the adjustment"),
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        error_messages={"required": errors.REASON_REQUIRED},
        max_length=5000,
    )

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(errors.REASON_REQUIRED)
        return value


class AdjustmentLinesForm(forms.Form):
    """The adjusted budget: one amount and remark per postable account (S3.1), carryover and reason;
    its running totals (S3.2) are the budget form's, summed as the drafter types by static/js/wuyi.js."""

    reason = forms.CharField(
        label=_("Reason for the adjustment"),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": errors.REASON_REQUIRED},
        max_length=5000,
    )
    carryover = AmountField(label=_("Funds rolled over from the previous year (yuan)"))
    carryover_is_estimate = forms.BooleanField(label=_("The carryover is an estimate"), required=False)

    def __init__(self, *args, accounts: list[Account], **kwargs):
        super().__init__(*args, **kwargs)
        self.accounts = accounts
        self.fields["carryover"].widget.attrs["data-budget-carryover"] = ""
        for account in accounts:
            amount = AmountField(label=f"{account.code} {account.name}", required=False)
            amount.widget.attrs.update({"data-budget-amount": account.kind, "placeholder": "0.00"})
            self.fields[f"amount_{account.code}"] = amount
            self.fields[f"remark_{account.code}"] = forms.CharField(
                label=_("Remark"),
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(errors.REASON_REQUIRED)
        return value

    # The same sums from the same fields (amount_<code>, carryover) as the budget form's.
    totals = BudgetLinesForm.totals

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
