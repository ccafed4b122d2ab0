"""The security part's messages, in one place so that tests assert on them."""

from django.utils.translation import gettext_lazy as _

ROLE_UNKNOWN = _("%(role)s is not a platform role (system, security or auditor).")
ROLE_GRANT_FORBIDDEN = _(
    "Only the security administrator (or the installation account, at installation) grants platform roles."
)
ROLE_SUPERUSER = _(
    "The installation account cannot hold a platform role; grant it to a person's own account."
)
ROLE_ALREADY_HELD = _(
    "This account is already %(role)s: one person holds one platform role (三员分立). Revoke it first."
)
AUDITORS_ONLY = _("Only the security auditor reads the audit log.")
PASSWORD_REUSED = _("This password was one of your last %(count)s passwords. Choose a new one.")
PASSWORD_EXPIRED = _("Your password is older than %(days)s days. Choose a new one to continue.")
OTP_REQUIRED = _("Enter the code from your authenticator app to continue.")
OTP_ENROL_REQUIRED = _("Your account needs a second factor. Add an authenticator app to continue.")
OTP_BAD_TOKEN = _("The code is not right or has expired. Enter the code your app shows now.")
SESSION_ENDED_ELSEWHERE = _("Your earliest sign-in on another device has been ended.")
AUDIT_BAD_DATE = _("Enter dates as YYYY-MM-DD.")
