from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows import errors
from workflows.amounts import parse_amount
from workflows.models import validate_attachment

from .models import Account, AccountKind, Budget, BudgetStatus
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


def bootstrap(form: forms.Form) -> None:
    """Every field styled as Bootstrap expects (the shared _fields.html renders bare widgets): text,
    number and date inputs and text areas get form-control, selects form-select, checkboxes
    form-check-input."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            continue
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            classes.insert(0, css)
        widget.attrs["class"] = " ".join(classes)


def next_budget_year(*, union, today: datetime.date | None = None) -> int:
    """The year a new budget is most likely for: next year, or the first year after it that has no
    live budget yet (one query)."""
    taken = set(
        Budget.objects.filter(union=union)
        .exclude(status=BudgetStatus.WITHDRAWN)
        .values_list("year", flat=True)
    )
    year = (today or timezone.localdate()).year + 1
    while year in taken:
        year += 1
    return year


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

    def __init__(self, *args, union=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = (
            next_budget_year(union=union) if union is not None else timezone.localdate().year + 1
        )
        bootstrap(self)


class BudgetLinesForm(forms.Form):
    """One amount and remark per postable income and expenditure account: no line outside the chart (S3.1)."""

    carryover = AmountField(label=_("Funds rolled over from the previous year (yuan)"))
    carryover_is_estimate = forms.BooleanField(label=_("The carryover is an estimate"), required=False)
    note = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, accounts: list[Account], **kwargs):
        super().__init__(*args, **kwargs)
        self.accounts = accounts
        self.fields["carryover"].widget.attrs["data-budget-carryover"] = ""
        for account in accounts:
            amount = AmountField(label=f"{account.code} {account.name}", required=False)
            # wuyi.js adds the lines up while the drafter types (S3.2)
            amount.widget.attrs.update({"data-budget-amount": account.kind, "placeholder": "0.00"})
            self.fields[f"amount_{account.code}"] = amount
            self.fields[f"remark_{account.code}"] = forms.CharField(
                label=_("Remark on %(account)s") % {"account": f"{account.code} {account.name}"},
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("Remark")}),
            )
        bootstrap(self)

    def totals(self) -> dict:
        """Income, expenditure, carryover and balance of what the form holds (typed, or as saved), for
        the summary beside the lines; a figure that does not parse counts as nothing (its field says
        why)."""

        def amount(name: str) -> Decimal:
            raw = self.data.get(name, "") if self.is_bound else self.initial.get(name, "")
            try:
                return parse_amount(str(raw)) if str(raw).strip() else Decimal("0")
            except ValidationError:
                return Decimal("0")

        sums = {AccountKind.INCOME: Decimal("0"), AccountKind.EXPENDITURE: Decimal("0")}
        for account in self.accounts:
            sums[account.kind] += amount(f"amount_{account.code}")
        carryover = amount("carryover")
        income, expenditure = sums[AccountKind.INCOME], sums[AccountKind.EXPENDITURE]
        return {
            "income": income,
            "expenditure": expenditure,
            "carryover": carryover,
            "balance": income + carryover - expenditure,
        }

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
        bootstrap(self)

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

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
