"""Signing in through the organ's OpenID Connect provider, and the break-glass gate on passwords.

``OrganOIDCBackend`` matches the provider's claim (OIDC_MATCH_CLAIM: employee number, phone or e-mail)
to exactly one active person already in Wuyi. It never creates a person and changes nothing about one:
what a person may see and do comes from their seats (and, for the members' pages, their membership),
never from the sign-in. Why a sign-in was refused is left on the request for the callback's page.

``LocalPasswordBackend`` takes the place of Django's ModelBackend when LOCAL_PASSWORD_LOGIN=break_glass:
only the break-glass administrators (BREAK_GLASS_USERNAMES) sign in with a Wuyi password. Members keep
signing in with their member number (workflows.memberpages.backends, left as it is): they are not the
organ's staff and may have no account at the organ's provider; their accounts are their own, made by
their invitation, and hold no seat.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import conf
from .fields import normalize_phone

User = get_user_model()

# why the sign-in was refused, for core.sso.views.CallbackView
REFUSAL_ATTRIBUTE = "wuyi_sso_refusal"
UNKNOWN, DISABLED, SEVERAL = "unknown", "disabled", "several"
# set when the break-glass gate refused a password, for the sign-in page's message
PASSWORD_REFUSED_ATTRIBUTE = "wuyi_local_password_refused"


def _claim_value(claims: dict) -> str:
    value = claims.get(conf.match_claim_name())
    if value is None or isinstance(value, (dict, list)):
        return ""
    text = str(value).strip()
    return normalize_phone(text) if conf.match_field() == "phone" else text


def people_matching(value: str):
    """Everyone (active or not) whose matched field holds ``value``; e-mail ignores case."""
    field = conf.match_field()
    lookup = "email__iexact" if field == "email" else field
    return User.objects.filter(**{lookup: value})


class OrganOIDCBackend(OIDCAuthenticationBackend):
    def _refuse(self, reason: str) -> None:
        setattr(self.request, REFUSAL_ATTRIBUTE, reason)

    def verify_claims(self, claims: dict) -> bool:
        if _claim_value(claims):
            return True
        self._refuse(UNKNOWN)  # the provider did not send the claim people are matched by
        return False

    def filter_users_by_claims(self, claims: dict):
        matches = list(people_matching(_claim_value(claims)).order_by("pk")[:3])
        active = [person for person in matches if person.is_active]
        if len(active) > 1:
            self._refuse(SEVERAL)
        elif not active:
            self._refuse(DISABLED if matches else UNKNOWN)
        return active

    def create_user(self, claims: dict):
        # OIDC_CREATE_USER is False, so the library never asks; refused here too should that change
        raise SuspiciousOperation("Wuyi never creates a person at sign-in")

    def update_user(self, user, claims: dict):
        # rights come from seats: nothing the provider says changes the person
        return user

    def get_user(self, user_id):
        # a person disabled since signing in loses the session at their next request
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class LocalPasswordBackend(ModelBackend):
    """Django's ModelBackend, refusing everyone but the break-glass administrators while local passwords
    are off. The password is not even checked for the others: the refusal says nothing about it."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        if conf.break_glass_on() and username not in conf.break_glass_usernames():
            if request is not None:
                setattr(request, PASSWORD_REFUSED_ATTRIBUTE, True)
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
