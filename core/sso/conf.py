"""Single sign-on's settings as read at request time (tests change them with pytest-django's
``settings``); their defaults say what an unconfigured Wuyi does: no single sign-on, passwords on."""

from __future__ import annotations

from django.conf import settings

MATCH_FIELDS = ("employee_number", "phone", "email")


def sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", ""))


def match_field() -> str:
    """The person's field the provider's claim is matched to (OIDC_MATCH_CLAIM)."""
    field = getattr(settings, "OIDC_MATCH_CLAIM", "employee_number")
    return field if field in MATCH_FIELDS else "employee_number"


def match_claim_name() -> str:
    return getattr(settings, "OIDC_MATCH_CLAIM_NAME", "") or match_field()


def break_glass_on() -> bool:
    return getattr(settings, "LOCAL_PASSWORD_LOGIN", "on") == "break_glass"


def break_glass_usernames() -> frozenset[str]:
    return frozenset(getattr(settings, "BREAK_GLASS_USERNAMES", ()))


def logout_endpoint() -> str:
    return getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", "") or ""
