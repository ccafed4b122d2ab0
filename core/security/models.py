"""等保 2.0 administration: the three platform administrators (三员分立), the audit log, password history
and the sessions a person holds.

The audit log's table is partitioned by month in PostgreSQL (migration 0001): its primary key there is
(id, at), as a partitioned table's must include the partition key; Django's state keeps ``id`` as the
primary key so that the admin (which refuses composite keys) and the ORM work on it as on any table.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlatformRoleKind(models.TextChoices):
    SYSTEM = "system", _("system administrator")
    SECURITY = "security", _("security administrator")
    AUDITOR = "auditor", _("security auditor")


class PlatformRole(models.Model):
    """One platform administrator role per account, by construction (the one-to-one user)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="platform_role",
    )
    role = models.CharField(_("platform role"), max_length=20, choices=PlatformRoleKind.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_on = models.DateTimeField(_("granted on"), default=timezone.now)

    class Meta:
        verbose_name = _("platform administrator")
        verbose_name_plural = _("platform administrators")
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class AuditKind(models.TextChoices):
    SIGN_IN = "sign_in", _("sign-in")
    SIGN_IN_FAILED = "sign_in_failed", _("failed sign-in")
    SIGN_OUT = "sign_out", _("sign-out")
    REFUSAL = "refusal", _("permission refused")
    ADMIN_ACTION = "admin_action", _("administrator action")
    PERSONAL_DATA_VIEW = "personal_data_view", _("view of personal data")
    SUPERUSER_USE = "superuser_use", _("use of the installation account")
    AUDIT_READ = "audit_read", _("audit log read")
    EVENT = "event", _("system event")


class AuditEntry(models.Model):
    """Append-only: a trigger on the partitioned table (and so on every partition) refuses UPDATE and
    DELETE. Old months leave as whole partitions, exported first (core.security.partitions)."""

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=30, choices=AuditKind.choices)
    # no database constraint: a partitioned log must never block anything done to the people table
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # the name as it was then, and what the search matches on
    actor_name = models.CharField(_("who"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("address requested"), max_length=300, blank=True)
    object = models.CharField(_("object"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.actor_name}"


class PasswordHistory(models.Model):
    """Each password a person has had (its hash), for expiry and for refusing the last ones again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField(_("password hash"), max_length=128)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("password history entry")
        verbose_name_plural = _("password history")
        ordering = ["-changed_at", "-id"]
        indexes = [
            # the validator and the expiry check: a person's latest passwords
            models.Index(fields=["user", "-changed_at"], name="pwhistory_user_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {timezone.localtime(self.changed_at):%Y-%m-%d %H:%M}"


class PersonSession(models.Model):
    """A signed-in session of a person, so that no one holds more than MAX_SESSIONS_PER_PERSON."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="person_sessions",
    )
    session_key = models.CharField(_("session"), max_length=40, unique=True)
    created = models.DateTimeField(_("signed in at"), default=timezone.now)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["user_id", "created", "id"]
        indexes = [models.Index(fields=["user", "created"], name="personsession_user_created")]

    def __str__(self) -> str:
        return f"{self.user} · {timezone.localtime(self.created):%Y-%m-%d %H:%M}"
