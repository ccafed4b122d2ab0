"""User-facing messages of the final accounts (S3.5), in one place for tests."""

from django.utils.translation import gettext_lazy as _

FA_NEEDS_BUDGET = _(
    "The final accounts follow the lines of the %(year)s budget in force; %(union)s has no budget "
    "in force for %(year)s."
)
FA_EXISTS = _("%(union)s already has final accounts for %(year)s (%(status)s); a second one is refused.")
FA_NOT_EDITABLE = _("The final accounts can be edited only by their drafter while they are with the drafter.")
FA_NOT_WITHDRAWABLE = _("The final accounts can no longer be withdrawn: a body has already decided on them.")
FA_ACTUAL_MISSING = _("Account %(code)s %(name)s has no actual amount yet.")
FA_UNKNOWN_LINES = _(
    "Accounts %(codes)s are not lines of the %(year)s budget: nothing is spent outside the budget."
)
FA_CLOSING_NEGATIVE = _(
    "Actual expenditure %(expenditure)s exceeds actual income %(income)s plus the funds rolled over "
    "%(carryover)s: the closing balance would be %(closing)s yuan. Check the figures."
)
AUDIT_REPORT_NOT_NOW = _(
    "The audit report is attached while the fund audit committee audits the final accounts."
)
AUDIT_REPORT_NOT_RECORDER = _(
    "Only the fund audit committee's director or secretary, or the union's office staff, attach its audit "
    "report."
)
BUDGET_DEFICIT_AUDITED = _(
    "Total expenditure %(expenditure)s exceeds total income %(income)s plus the audited closing "
    "balance of the %(year)s final accounts %(carryover)s by %(gap)s yuan. Reduce expenditure or correct "
    "the income."
)
FA_LEDGER_EMPTY = _(
    "The expenditure ledger has no payment in %(year)s: enter or import the actual amounts instead."
)
