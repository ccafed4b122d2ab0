"""Authentication by personal access token: ``Authorization: Bearer wuyi_<secret>`` (issue 32).

The secret is hashed and looked up; a revoked or expired token, or one of a disabled account, is
refused with 401 in the error shape. Session authentication (the signed-in browser) works alongside."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions

from api import errors
from api.models import TOKEN_PREFIX, PersonalAccessToken, hash_token

# last_used_at is written at most this often per token: one UPDATE a minute, not one per request.
LAST_USED_GRANULARITY = timedelta(minutes=1)


class PersonalAccessTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(errors.TOKEN_INVALID)
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(errors.TOKEN_INVALID) from exc
        if not raw.startswith(TOKEN_PREFIX):
            raise exceptions.AuthenticationFailed(errors.TOKEN_INVALID)
        token = (
            PersonalAccessToken.objects.usable()
            .select_related("user")
            .filter(token_hash=hash_token(raw))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(errors.TOKEN_INVALID)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(errors.TOKEN_USER_INACTIVE)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
            PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # A WWW-Authenticate header makes DRF answer 401 (not 403) to a request without credentials.
        return f'{self.keyword} realm="api"'
