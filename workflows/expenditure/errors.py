"""What an officer is told when an expenditure request is refused (S3.1, S5.3), in one place for tests."""

from django.utils.translation import gettext_lazy as _

OFF_BUDGET = _(
    "The budget in force for %(year)s has no line %(account)s: spending outside the budget is not "
    "allowed. Choose a line of the budget, or start a budget adjustment."
)
NO_BUDGET = _("%(union)s has no budget in force for %(year)s: spending needs an approved budget first.")
NOT_A_BUDGET_LINE = _("Choose a line of the budget in force: spending outside the budget is not allowed.")
AMOUNT_NOT_POSITIVE = _("The amount must be more than zero.")
AMOUNT_DECIMALS = _("Amounts have at most two decimals (fen).")
OVER_REMAINING = _(
    "%(amount)s yuan is more than remains on %(account)s: budgeted %(budgeted)s, committed "
    "%(committed)s, paid %(paid)s, remaining %(remaining)s yuan."
)
OVER_REMAINING_ADJUST = _("The budget adjustment window is open: you may start a budget adjustment.")
NO_COUNTERSIGNER = _("Choose the union committee member who countersigns a request of this amount.")
BAD_COUNTERSIGNER = _(
    "The countersigner must be a member of the union committee in office, not you or the chair."
)
NO_HOLDER = _("Nobody holds the role this request needs (%(step)s): appoint one on the union's page first.")
NOT_REQUESTER = _("Only officers of the union request its expenditure.")
NOT_EDITABLE = _("The request can be changed only by its requester while it is with them.")
VOUCHER_USED = _("Voucher number %(number)s is already used in %(year)s.")
VOUCHER_EMPTY = _("Enter the voucher number.")
NOT_PAYABLE = _("Only an approved request awaiting payment can be paid.")
NOT_FINANCE_OFFICER = _("The payment is recorded by the finance officer who holds it.")
PAID_IN_FUTURE = _("The payment date cannot be in the future.")
NOT_WITHDRAWABLE = _("The request can no longer be withdrawn: it has been decided on.")
STANDARD_UNKNOWN = _("The spending standard chosen does not apply to this union: choose another.")
STANDARD_NEEDS_PAYEES = _(
    "%(standard)s is counted per person (at most %(cap)s yuan): list the people paid, with their amounts."
)
OVER_STANDARD_CASE = _(
    "%(amount)s yuan is above the standard for %(standard)s: at most %(cap)s yuan per case."
)
OVER_STANDARD_PERSON = _(
    "%(name)s would receive %(amount)s yuan, above the standard for %(standard)s: at most %(cap)s yuan per "
    "person each time."
)
OVER_STANDARD_YEAR = _(
    "%(name)s would receive %(total)s yuan this year under %(standard)s (%(before)s yuan already), above "
    "the standard: at most %(cap)s yuan per person per year."
)
INSTRUCTION_NOT_OFFERED = _(
    "Choose one of the union's requests for instructions on major expenditure that the Party organisation "
    "has agreed and no other expenditure has used."
)
