"""What an officer is told when income received is refused (issue 26, the income side), in one place for
tests. The amount's texts are the expenditure request's: one wording for the same rule."""

from django.utils.translation import gettext_lazy as _

from .errors import AMOUNT_DECIMALS, AMOUNT_NOT_POSITIVE

__all__ = [
    "AMOUNT_DECIMALS",
    "AMOUNT_NOT_POSITIVE",
    "NOT_RECORDER",
    "NO_BUDGET",
    "NOT_AN_INCOME_LINE",
    "NO_ACCOUNT",
    "RECEIVED_IN_FUTURE",
    "NOTE_TOO_LONG",
]

NOT_RECORDER = _("Income received is recorded by the union's finance officer or office staff.")
NO_BUDGET = _(
    "%(union)s has no budget in force for %(year)s: income is recorded against the income lines of an "
    "approved budget."
)
NOT_AN_INCOME_LINE = _(
    "The budget in force for %(year)s has no income line %(account)s: record the income on an income "
    "line of the budget, or start a budget adjustment."
)
NO_ACCOUNT = _("Choose an income line of the budget in force.")
RECEIVED_IN_FUTURE = _("The date received cannot be in the future.")
NOTE_TOO_LONG = _("The note is longer than %(max)s characters.")
