"""User-facing messages of the half-year budget execution analysis (S3.4), in one place for tests."""

from django.utils.translation import gettext_lazy as _

NOT_DRAFTER = _("Only those who draft the union's documents prepare the execution analysis.")
NOT_COMMITTEE = _(
    "The analysis is filed with the union committee's note: only its chair or secretary, or the office "
    "staff on its behalf, file it."
)
BUDGET_NOT_IN_FORCE = _("Execution is analysed against the budget in force; “%(budget)s” is %(status)s.")
EXISTS = _("%(union)s already has the %(year)s %(period)s execution analysis.")
FILED = _("This analysis is filed and can no longer be changed.")
PERIOD_NOT_OVER = _("The %(period)s of %(year)s ends on %(end)s; the analysis is filed after that.")
ACTUALS_MISSING = _("Enter the actual amount of every line before filing (%(count)s missing).")
NOTE_REQUIRED = _("Write the union committee's note on the budget execution before filing.")
NO_FILE = _("Choose the filled-in .xlsx file to import.")
LEDGER_EMPTY = _(
    "The expenditure ledger has no payment up to %(end)s: enter or import the actual amounts instead."
)
