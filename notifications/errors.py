from django.utils.translation import gettext_lazy as _

OFFSETS_LIST = _("Offsets are a list of whole days, e.g. [30, 14, 7, 3, 1, 0].")
OFFSETS_RANGE = _("Each offset must be between 0 and 366 days.")
HOUR_RANGE = _("The hour must be between 0 and 23.")
WEBHOOK_URL = _("“%(value)s” is not an http(s) address.")
URGE_TOO_SOON = _("This task was urged less than 24 hours ago (%(when)s); it can be urged again later.")
URGE_NOT_ALLOWED = _("Only the initiator or a supervisor of an upper-level union may urge this task.")
