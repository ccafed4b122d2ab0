"""Settings of issue 31's sso part, read from the environment like the rest (imported at the end of
config/settings.py).

Single sign-on (mozilla-django-oidc) is on when ``OIDC_OP_AUTHORIZATION_ENDPOINT`` is set; unset, nothing
here changes how Wuyi signs people in. ``sso_authentication_backends`` is applied to the list built in
config/settings.py by its last line (this module cannot see that list: it is imported from there).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool as _env_bool
from config.env import env_int as _env_int
from config.env import env_list as _env_list
from config.env import env_str as _env_str

# --- OpenID Connect ------------------------------------------------------------------------------------
OIDC_OP_AUTHORIZATION_ENDPOINT = _env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "") or ""
SSO_ENABLED = bool(OIDC_OP_AUTHORIZATION_ENDPOINT)

OIDC_RP_CLIENT_ID = _env_str("OIDC_RP_CLIENT_ID", "") or ""
OIDC_RP_CLIENT_SECRET = _env_str("OIDC_RP_CLIENT_SECRET", "") or ""
OIDC_OP_TOKEN_ENDPOINT = _env_str("OIDC_OP_TOKEN_ENDPOINT", "") or ""
OIDC_OP_USER_ENDPOINT = _env_str("OIDC_OP_USER_ENDPOINT", "") or ""
OIDC_OP_JWKS_ENDPOINT = _env_str("OIDC_OP_JWKS_ENDPOINT", "") or None
OIDC_RP_SIGN_ALGO = _env_str("OIDC_RP_SIGN_ALGO", "RS256") or "RS256"
OIDC_RP_SCOPES = _env_str("OIDC_RP_SCOPES", "openid email profile phone") or "openid"
# The provider's end-session endpoint (RP-initiated logout); empty: signing out ends Wuyi's session only.
OIDC_OP_LOGOUT_ENDPOINT = _env_str("OIDC_OP_LOGOUT_ENDPOINT", "") or ""

# Which of a person's fields the provider's claim is matched to, and the claim's name at the provider.
SSO_MATCH_FIELDS = {"employee_number": "employee_number", "phone": "phone_number", "email": "email"}
OIDC_MATCH_CLAIM = _env_str("OIDC_MATCH_CLAIM", "employee_number") or "employee_number"
if OIDC_MATCH_CLAIM not in SSO_MATCH_FIELDS:
    raise ImproperlyConfigured(
        f"OIDC_MATCH_CLAIM={OIDC_MATCH_CLAIM!r}: use one of " + ", ".join(SSO_MATCH_FIELDS)
    )
OIDC_MATCH_CLAIM_NAME = _env_str("OIDC_MATCH_CLAIM_NAME", "") or SSO_MATCH_FIELDS[OIDC_MATCH_CLAIM]

# Fixed, not configurable: people are never created by a sign-in (their rights come from seats), the
# code flow uses PKCE and a nonce, the ID token's signature is checked against the provider's JWKS.
OIDC_CREATE_USER = False
OIDC_USE_PKCE = _env_bool("OIDC_USE_PKCE", True)
OIDC_USE_NONCE = True
OIDC_VERIFY_SSL = _env_bool("OIDC_VERIFY_SSL", True)
OIDC_TIMEOUT = _env_int("OIDC_TIMEOUT", 10, minimum=1)
# kept for the sign-out's end-session hint (core.sso.views moves it from the session to a cookie)
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:oidc_authentication_callback"
OIDC_CALLBACK_CLASS = "core.sso.views.CallbackView"
OIDC_AUTHENTICATE_CLASS = "core.sso.views.AuthenticateView"
SSO_BACKEND = "core.sso.backends.OrganOIDCBackend"

if SSO_ENABLED:
    _missing = [
        name
        for name, value in (
            ("OIDC_RP_CLIENT_ID", OIDC_RP_CLIENT_ID),
            ("OIDC_RP_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
            ("OIDC_OP_TOKEN_ENDPOINT", OIDC_OP_TOKEN_ENDPOINT),
            ("OIDC_OP_USER_ENDPOINT", OIDC_OP_USER_ENDPOINT),
        )
        if not value
    ]
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and not OIDC_OP_JWKS_ENDPOINT:
        _missing.append("OIDC_OP_JWKS_ENDPOINT")
    if _missing:
        raise ImproperlyConfigured(
            "OIDC_OP_AUTHORIZATION_ENDPOINT is set, so single sign-on is on; it also needs: "
            + ", ".join(_missing)
        )
    if OIDC_OP_LOGOUT_ENDPOINT:
        # Django's sign-out (accounts/logout/) then passes through sso:signed_out, which sends a person
        # who signed in through the provider on to the provider's end-session endpoint.
        LOGOUT_REDIRECT_URL = "sso:signed_out"

# --- Local passwords ----------------------------------------------------------------------------------
# "on": passwords work as before. "break_glass": only the usernames in BREAK_GLASS_USERNAMES sign in with
# a password (and members with their member number, who are not the organ's staff); everyone else signs
# in through the provider.
LOCAL_PASSWORD_LOGIN = _env_str("LOCAL_PASSWORD_LOGIN", "on") or "on"
BREAK_GLASS_USERNAMES = _env_list("BREAK_GLASS_USERNAMES", [])
if LOCAL_PASSWORD_LOGIN not in ("on", "break_glass"):
    raise ImproperlyConfigured(f"LOCAL_PASSWORD_LOGIN={LOCAL_PASSWORD_LOGIN!r}: use 'on' or 'break_glass'")
if LOCAL_PASSWORD_LOGIN == "break_glass" and not (SSO_ENABLED and BREAK_GLASS_USERNAMES):
    raise ImproperlyConfigured(
        "LOCAL_PASSWORD_LOGIN=break_glass needs single sign-on (OIDC_OP_AUTHORIZATION_ENDPOINT and the "
        "rest) and at least one name in BREAK_GLASS_USERNAMES, or nobody could sign in"
    )

SSO_PASSWORD_BACKEND = "core.sso.backends.LocalPasswordBackend"


def sso_authentication_backends(backends: list[str]) -> list[str]:
    """The backends of config/settings.py with single sign-on's: the OIDC backend added when it is on,
    Django's password backend swapped for the break-glass gate when local passwords are off."""
    result = list(backends)
    if LOCAL_PASSWORD_LOGIN == "break_glass":
        result = [
            SSO_PASSWORD_BACKEND if b == "django.contrib.auth.backends.ModelBackend" else b for b in result
        ]
    if SSO_ENABLED:
        result.append(SSO_BACKEND)
    return result
