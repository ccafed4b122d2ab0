from django.utils.translation import gettext_lazy as _

OFFSETS_LIST = _("Offsets are a list of whole days, e.g. [30, 14, 7, 3, 1, 0].")
OFFSETS_RANGE = _("Each offset must be between 0 and 366 days.")
HOUR_RANGE = _("The hour must be between 0 and 23.")
WEBHOOK_URL = _("“%(value)s” is not an http(s) address.")
URGE_TOO_SOON = _("This task was urged less than 24 hours ago (%(when)s); it can be urged again later.")
URGE_NOT_ALLOWED = _("Only the initiator or a supervisor of an upper-level union may urge this task.")
# Union robots (security review: the webhook SSRF finding). Shown on the robots page and recorded on
# the delivery attempt in the users' language.
WEBHOOK_CREDENTIALS = _("The address must not contain a user name or password.")
WEBHOOK_OFFICIAL_HOST = _("This robot's address must start with https://%(host)s/.")
WEBHOOK_HTTPS = _("This address must start with https://.")
WEBHOOK_NOT_ALLOWED = _(
    "%(host)s is not on the system administrator's list of allowed message gateways; "
    "ask the administrator to add it."
)
WEBHOOK_UNRESOLVED = _("The host name %(host)s cannot be resolved; check the address.")
WEBHOOK_INTERNAL = _(
    "This address points into an internal network (%(address)s) and cannot be a robot's address."
)
WEBHOOK_OUTSIDE_NAMED = _(
    "%(host)s resolves to %(address)s, outside the addresses the system administrator allows for it."
)
WEBHOOK_REDIRECT = _("The robot answered with a redirect (HTTP %(status)s); redirects are not followed.")
WEBHOOK_SECRET_PREFIX = _("A DingTalk signing secret starts with SEC.")
WEBHOOK_SECRET_RETYPE = _("For safety the secret is not shown again: please paste it once more.")
ALLOWED_HOST_NAME = _("Enter a host name only (for example gw.example.gov.cn), without scheme, port or path.")
ALLOWED_HOST_ADDRESS = _("Enter an IP address (10.1.2.3) or network (10.1.2.0/24).")
ALLOWED_HOST_NETWORK_TOO_WIDE = _("Name the gateway's own address or a small network, not %(address)s.")
# Personal work notices (issue 31): recorded on the delivery, shown in the admin.
NOTICE_NOT_CONFIGURED = _(
    "%(service)s is not (or no longer) set up on this site; "
    "ask the system administrator to complete its settings."
)
NOTICE_UNKNOWN_USER = _(
    "%(service)s does not know this person's user id; the people sync may be out of date."
)
NOTICE_TEMPLATE = _(
    "The SMS gateway's template (SMS_GATEWAY_TEMPLATE) does not give a JSON object once filled in: %(error)s"
)
NOTICE_GATEWAY_ANSWER = _("The SMS gateway's answer does not say %(expected)s.")
NOTICE_ANSWER = _("%(service)s answered something that is not JSON (HTTP %(status)s).")
