from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.amounts import format_yuan
from workflows.budget.forms import AmountField, bootstrap
from workflows.party import selectors as party_selectors
from workflows.party.models import InstructionRequest, Matter

from . import errors, selectors
from .models import ExpenditureRequest, PaymentMethod, mask_account
from .standards import standards_for

PAYEES_PREFIX = "payees"
# full-width digits and the ideographic space, as a Chinese input method types them
_FULL_WIDTH = str.maketrans("０１２３４５６７８９\u3000", "0123456789 ")


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
    # S1.3: the agreed request for instructions a major expenditure starts on, where its route does not
    # include the Party organisation (checked when the request is sent)
    instruction = forms.TypedChoiceField(
        label=_("the agreed request for instructions"),
        coerce=int,
        required=False,
        help_text=_(
            "A major expenditure whose route does not include the Party organisation's approval is sent "
            "only on a request for instructions the Party organisation has agreed."
        ),
        error_messages={"invalid_choice": errors.INSTRUCTION_NOT_OFFERED},
    )
    countersigner = forms.TypedChoiceField(
        label=_("countersigning committee member (for amounts that need one)"), coerce=int, required=False
    )
    standard = forms.ChoiceField(label=_("spending standard that applies"), required=False)

    def __init__(self, *args, union, requester, instruction: InstructionRequest | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruction"].choices = _instruction_choices(union, instruction)
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
        self.fields["standard"].choices = [("", _("none"))] + [
            (
                code,
                _("%(name)s · at most %(cap)s yuan %(basis)s")
                % {
                    "name": standard.name,
                    "cap": format_yuan(standard.cap),
                    "basis": standard.get_basis_display(),
                },
            )
            for code, standard in standards_for(union).items()
        ]
        bootstrap(self)

    def clean_amount(self):
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise forms.ValidationError(errors.AMOUNT_NOT_POSITIVE)
        return amount

    def clean_countersigner(self):
        return self.cleaned_data.get("countersigner") or None

    def clean_instruction(self):
        return self.cleaned_data.get("instruction") or None


def _instruction_choices(union, current: InstructionRequest | None) -> list[tuple]:
    """The union's agreed requests for instructions on major expenditure not yet used, and the one the
    request already names (used by it when it was sent before and returned)."""
    offered = list(party_selectors.agreed_requests(union.pk, Matter.MAJOR_EXPENDITURE))
    if current is not None and current.pk not in {r.pk for r in offered}:
        offered.insert(0, current)
    return [("", "—")] + [
        (
            r.pk,
            _("%(title)s · agreed on %(date)s %(reference)s")
            % {
                "title": r.title,
                "date": r.replied_on.isoformat() if r.replied_on else "",
                "reference": r.reply_reference,
            },
        )
        for r in offered
    ]


class PayeeForm(forms.Form):
    """One row of the real-name list; a row left empty is no payee. The service checks the rows."""

    name = forms.CharField(label=_("payee's name"), max_length=100, required=False)
    # a label of its own: "amount (yuan)" names the request's amount on the same page
    amount = AmountField(label=_("sum paid to the payee (yuan)"), required=False)
    bank_account = forms.CharField(label=_("bank account"), max_length=40, required=False)

    def __init__(self, *args, stored_account: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.stored_account = stored_account
        self.fields["bank_account"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        for field in self.fields.values():  # on a phone the column headings are hidden
            field.widget.attrs["placeholder"] = field.label
        bootstrap(self)

    def clean_bank_account(self):
        value = self.cleaned_data["bank_account"].translate(_FULL_WIDTH).strip()
        if self.stored_account and value == mask_account(self.stored_account):
            return self.stored_account  # left as shown, masked: the stored account stays
        return value

    def payee(self) -> tuple[str, object, str] | None:
        data = getattr(self, "cleaned_data", {})
        name, amount, account = data.get("name", ""), data.get("amount"), data.get("bank_account", "")
        if not name and amount is None and not account:
            return None
        return name, amount, account


class BasePayeeFormSet(forms.BaseFormSet):
    """The rows of the real-name list: the stored payees (accounts masked unless the viewer is the finance
    officer), then empty rows, the first few shown and the rest folded (no script needed)."""

    EMPTY_SHOWN = 3

    def __init__(self, *args, stored_accounts=(), **kwargs):
        self.stored_accounts = list(stored_accounts)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        if index is not None and index < len(self.stored_accounts):
            kwargs["stored_account"] = self.stored_accounts[index]
        return kwargs

    def payees(self) -> list[tuple]:
        return [payee for payee in (form.payee() for form in self.forms) if payee is not None]

    @property
    def shown_count(self) -> int:
        """The rows shown unfolded: every row with something in it, then a few empty ones."""
        filled = [
            i for i, form in enumerate(self.forms) if form.initial or (self.is_bound and form.has_changed())
        ]
        return (filled[-1] + 1 if filled else 0) + self.EMPTY_SHOWN


PayeeFormSet = forms.formset_factory(
    PayeeForm, formset=BasePayeeFormSet, extra=30, max_num=200, validate_max=True
)


def payee_formset(data=None, *, request: ExpenditureRequest | None = None, shown=()) -> BasePayeeFormSet:
    """The payees' rows of the request form. ``shown``: the stored payees as this viewer sees them
    (services.payees_for_viewer); an account left as shown keeps the stored one. ``data`` without the
    rows (a form from before the list, a script) gives an unbound set: the list is left alone."""
    if data is not None and f"{PAYEES_PREFIX}-TOTAL_FORMS" not in data:
        data = None
    stored = list(request.payees.values_list("bank_account", flat=True)) if request is not None else []
    return PayeeFormSet(
        data,
        prefix=PAYEES_PREFIX,
        initial=[{"name": p.name, "amount": p.amount, "bank_account": p.account} for p in shown],
        stored_accounts=stored,
    )


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
