"""Passwords (等保 2.0 身份鉴别): a history of hashes, no reuse of the last PASSWORD_HISTORY_COUNT, and
expiry after PASSWORD_MAX_AGE_DAYS for sessions that signed in with a password."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.security import errors
from core.security.models import PasswordHistory


def password_history_record(*, user, raw_password: str | None) -> PasswordHistory | None:
    """Keep the new hash. A rehash of the same password (a hasher upgrade at sign-in) is no change."""
    latest = PasswordHistory.objects.filter(user=user).order_by("-changed_at", "-id").first()
    if latest is not None and raw_password is not None and check_password(raw_password, latest.password):
        return None
    return PasswordHistory.objects.create(user=user, password=user.password)


def password_changed_at(user) -> datetime.datetime:
    """When the person last changed their password: the history's latest, else when they joined."""
    latest = (
        PasswordHistory.objects.filter(user=user).order_by("-changed_at").values_list("changed_at", flat=True)
    ).first()
    return latest or user.date_joined


def password_expired(user, *, now: datetime.datetime | None = None) -> bool:
    age = (now or timezone.now()) - password_changed_at(user)
    return age > datetime.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


class PasswordHistoryValidator:
    """In AUTH_PASSWORD_VALIDATORS: refuses the person's last ``count`` passwords (and the current one)."""

    def __init__(self, count: int | None = None):
        self.count = count

    @property
    def limit(self) -> int:
        return self.count or settings.PASSWORD_HISTORY_COUNT

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        hashes = list(
            PasswordHistory.objects.filter(user_id=user.pk)
            .order_by("-changed_at", "-id")
            .values_list("password", flat=True)[: self.limit]
        )
        if user.password and user.password not in hashes:
            hashes.append(user.password)  # a person from before the history kept theirs
        if any(check_password(password, hashed) for hashed in hashes):
            raise ValidationError(
                errors.PASSWORD_REUSED, code="password_reused", params={"count": self.limit}
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be one of your last %(count)s passwords.") % {"count": self.limit}
