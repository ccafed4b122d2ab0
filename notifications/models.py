"""In-app notifications (the bell). Reminder rules and channels come with the calendar issue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="notifications",
    )
    union = models.ForeignKey(
        "core.Union",
        verbose_name=_("union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # One notification per recipient and occasion (rule, subject, occurrence): the key makes a
    # second insert of the same occasion a no-op, whatever worker or retry attempts it.
    dedupe_key = models.CharField(_("occasion key"), max_length=200, null=True, blank=True)  # noqa: DJ001 (NULL: no dedupe)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=Q(dedupe_key__isnull=False),
                name="notification_one_per_occasion",
            ),
        ]
        indexes = [
            # the bell: unread count of one recipient.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            # the notifications page: a recipient's newest first (keyset on created_at, id).
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_time"),
        ]

    def __str__(self) -> str:
        return self.title
