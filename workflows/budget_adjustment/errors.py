"""User-facing messages of the budget adjustment (S3.4), in one place for tests."""

from django.utils.translation import gettext_lazy as _

# S3.4: the window closes at the end of its last day in the union's time zone (selectors.window_params
# gives the words: "2027年9月30日24时").
WINDOW_CLOSED_START = _(
    "A budget adjustment for %(year)s can be started and approved only before %(deadline)s. It is now "
    "%(moment)s: no adjustment can be started."
)
WINDOW_CLOSED_DECISION = _(
    "A budget adjustment for %(year)s can be approved only before %(deadline)s. It is now %(moment)s: "
    "the decision on “%(document)s” was not recorded, and the adjustment has lapsed."
)
WINDOW_CLOSED_SUBMIT = _(
    "A budget adjustment for %(year)s can be submitted and approved only before %(deadline)s. It is now "
    "%(moment)s: the adjustment has lapsed."
)
BUDGET_NOT_IN_FORCE = _("Only a budget in force can be adjusted; “%(budget)s” is %(status)s.")
ONE_OPEN = _("“%(document)s” is still open: finish or withdraw it before starting another adjustment.")
PER_YEAR_REACHED = _(
    "The %(year)s budget has already been adjusted %(count)s time(s); the union's rules allow %(allowed)s "
    "adjustment(s) a year."
)
# S3.4: an adjustment only where the work truly requires it
REASON_REQUIRED = _("Give the reason for the adjustment: adjust only where the work truly requires it.")
NO_CHANGE = _("The adjusted lines are the same as the budget in force: change at least one amount.")
NOT_EDITABLE = _("The adjustment can be edited only by its drafter while it is with the drafter.")
NOT_WITHDRAWABLE = _("The adjustment can no longer be withdrawn: a body has already decided on it.")
NOT_DRAFTER = _(
    "Only those who draft the union's documents (office staff, finance officer, chair or vice chair) "
    "start a budget adjustment."
)
