"""User-facing messages of the final accounts and the finance report (S3.5), in one place for tests."""

from django.utils.translation import gettext_lazy as _

FA_NEEDS_BUDGET = _(
    "S3.5: the final accounts follow the lines of the %(year)s budget in force; %(union)s has no budget "
    "in force for %(year)s."
)
FA_EXISTS = _("%(union)s already has final accounts for %(year)s (%(status)s); a second one is refused.")
FA_NOT_EDITABLE = _("The final accounts can be edited only by their drafter while they are with the drafter.")
FA_NOT_WITHDRAWABLE = _("The final accounts can no longer be withdrawn: a body has already decided on them.")
FA_ACTUAL_MISSING = _("Account %(code)s %(name)s has no actual amount yet.")
FA_UNKNOWN_LINES = _("Accounts %(codes)s are not lines of the %(year)s budget (S3.1).")
FA_CLOSING_NEGATIVE = _(
    "S3.2: actual expenditure %(expenditure)s exceeds actual income %(income)s plus the funds rolled over "
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
    "S3.2: total expenditure %(expenditure)s exceeds total income %(income)s plus the audited closing "
    "balance of the %(year)s final accounts %(carryover)s by %(gap)s yuan. Reduce expenditure or correct "
    "the income."
)
FINANCE_REPORT_EXISTS = _("%(union)s already has a report on budget and final accounts for %(year)s.")
FINANCE_REPORT_NEEDS_FA = _(
    "S3.5: the report binds the %(year)s final accounts audited by the fund audit committee; they are not "
    "audited yet."
)
FINANCE_REPORT_NEEDS_AUDIT_REPORT = _(
    "S3.5: the fund audit committee's audit report on the %(year)s final accounts is not attached."
)
FINANCE_REPORT_NEEDS_BUDGET = _("S3.5: the report binds the %(year)s budget; start that budget first.")
FINANCE_REPORT_BUDGET_NOT_BEFORE_CONGRESS = _(
    "The %(year)s budget is not yet before the congress (its earlier steps come first, S3.3); the congress "
    "decides both together."
)
FINANCE_REPORT_FA_NOT_BEFORE_CONGRESS = _(
    "The %(year)s final accounts are not waiting for the congress (returned or not yet audited)."
)
FINANCE_REPORT_EMPTY = _("Write the report before sending it to the congress.")
