"""User-facing messages of the report on budget and final accounts (S3.5), in one place for tests."""

from django.utils.translation import gettext_lazy as _

FINANCE_REPORT_EXISTS = _("%(union)s already has a report on budget and final accounts for %(year)s.")
FINANCE_REPORT_NEEDS_FA = _(
    "The report binds the %(year)s final accounts audited by the fund audit committee; they are not "
    "audited yet."
)
FINANCE_REPORT_NEEDS_AUDIT_REPORT = _(
    "The fund audit committee's audit report on the %(year)s final accounts is not attached."
)
FINANCE_REPORT_NEEDS_BUDGET = _("The report binds the %(year)s budget; start that budget first.")
FINANCE_REPORT_BUDGET_NOT_BEFORE_CONGRESS = _(
    "The %(year)s budget is not yet before the congress (its earlier steps come first); the congress "
    "decides both together."
)
FINANCE_REPORT_FA_NOT_BEFORE_CONGRESS = _(
    "The %(year)s final accounts are not waiting for the congress (returned or not yet audited)."
)
FINANCE_REPORT_EMPTY = _("Write the report before sending it to the congress.")
