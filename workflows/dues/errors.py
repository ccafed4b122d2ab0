"""What the users of the dues pages are told when something is refused, in one place for tests."""

from django.utils.translation import gettext_lazy as _

NOT_RECORDER = _("Membership dues are recorded by the union's finance officer or office staff.")
MONTH_INVALID = _("Give the month as year and month, for example 2026-03.")
MONTH_IN_FUTURE = _("The dues of %(month)s cannot be recorded yet: that month has not begun.")
MEMBER_NOT_IN_UNION = _(
    "A member ticked was not a member of this union in %(month)s: reload the page and tick again."
)
WAGE_MISSING = _(
    "No basic wage is entered for %(names)s, and the dues are %(percent)s%% of it: enter the basic wage "
    "on the wages page first."
)
AMOUNT_PROBLEM = _("%(name)s: %(problem)s")
AMOUNT_NOT_POSITIVE = _("%(name)s: the amount paid must be more than zero.")
AMOUNT_DECIMALS = _("%(name)s: amounts have at most two decimals (fen).")
AMOUNT_ABSURD = _(
    "%(name)s: %(amount)s yuan is more than %(times)s times the dues of the month (%(due)s yuan): check "
    "the amount."
)
AMOUNT_TOO_LARGE = _("%(name)s: %(amount)s yuan is more than a month's dues can be (at most %(max)s yuan).")
WAGES_NOTHING = _("Enter at least one basic wage.")
WAGE_NOT_POSITIVE = _("%(name)s: the basic wage must be more than zero.")
WAGE_TOO_LARGE = _(
    "%(name)s: a basic wage of %(amount)s yuan a month is not plausible (at most %(max)s yuan)."
)
WAGE_MONTH_IN_FUTURE = _("A basic wage applies from this month at the latest, not from a month to come.")
WAGE_MEMBER_NOT_IN_UNION = _(
    "A member whose wage was entered was not a member of this union in %(month)s: reload the page."
)
RULE_PERCENT = _("The share of the basic wage must be more than 0 and at most %(max)s per cent.")
RULE_FIXED = _("A fixed monthly amount must be more than zero and at most %(max)s yuan.")
START_IN_FUTURE = _("Dues cannot be recorded from a month that has not begun.")
