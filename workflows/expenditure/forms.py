from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.amounts import format_yuan
from workflows.budget.forms import AmountField, bootstrap

from . import errors, selectors
from .models import PaymentMethod


class RequestForm(forms.Form):
    """The request as the requester types it; the line is one of the budget in force (S3.1)."""

    account = forms.ChoiceField(
        label=_("budget line"), error_messages={"invalid_choice": errors.NOT_A_BUDGET_LINE}
    )
    amount = AmountField(label=_("amount (yuan)"))
    purpose = forms.CharField(label=_("purpose"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    activity_date = forms.DateField(
        label=_("activity date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    major = forms.BooleanField(
        label=_("major expenditure: the union committee decides it at a meeting"), required=False
    )
    countersigner = forms.TypedChoiceField(
        label=_("countersigning committee member (for amounts that need one)"), coerce=int, required=False
    )

    def __init__(self, *args, union, requester, **kwargs):
        super().__init__(*args, **kwargs)
        year = selectors.budget_year_for(union)
        self.lines = selectors.ledger(union.pk, year)
        self.fields["account"].choices = [
            (
                line.account_id,
                _("%(line)s · remaining %(amount)s yuan")
                % {"line": line.account, "amount": format_yuan(figures.remaining)},
            )
            for line, figures in self.lines
        ]
        self.fields["countersigner"].choices = [("", "—")] + [
            (seat.person_id, f"{seat.person} · {seat.get_role_display()}")
            for seat in selectors.countersigner_choices(union.pk, requester_id=requester.pk)
        ]
        bootstrap(self)

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise forms.ValidationError(errors.AMOUNT_NOT_POSITIVE)
        return amount

    def clean_countersigner(self):
        return self.cleaned_data.get("countersigner") or None


class PaymentForm(forms.Form):
    paid_on = forms.DateField(
        label=_("paid on"),
        initial=timezone.localdate,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    voucher_number = forms.CharField(label=_("voucher number"), max_length=40)
    method = forms.ChoiceField(label=_("payment method"), choices=PaymentMethod.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
