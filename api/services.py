"""Personal access tokens: created and revoked by their person (issue 32)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from api import errors
from api.models import TOKEN_PREFIX, PersonalAccessToken, hash_token
from core.services.events import event_record


@transaction.atomic
def token_create(*, user, name: str, days: int | None = None) -> tuple[PersonalAccessToken, str]:
    """A new token of ``user``; returns it and its secret, which is shown this once and never kept."""
    days = settings.API_TOKEN_DEFAULT_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"days": errors.TOKEN_DAYS % {"max": settings.API_TOKEN_MAX_DAYS}})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken(
        user=user,
        name=name.strip(),
        token_hash=hash_token(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + timedelta(days=days),
    )
    token.full_clean()
    token.save()
    event_record(verb="api_token_created", actor=user, subject=token, detail={"days": days})
    return token, raw


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken, user) -> None:
    """Only the token's own person revokes it; revoking twice changes nothing."""
    if token.user_id != user.pk:
        raise PermissionDenied
    if PersonalAccessToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now()):
        event_record(verb="api_token_revoked", actor=user, subject=token)
