"""A run of the people sync from the organ's HR/OA export (issue 31): who ran it, when, on which file,
what it found — kept for dry runs and applied runs alike, so the administration shows every run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SyncRun(models.Model):
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("export file"), max_length=255, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=True)
    refused = models.BooleanField(_("refused for bad rows"), default=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("new people"), default=0)
    updated = models.PositiveIntegerField(_("people changed"), default=0)
    deactivated = models.PositiveIntegerField(_("people who left"), default=0)
    seats_ended = models.PositiveIntegerField(_("seats ended"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    problems = models.PositiveIntegerField(_("bad rows"), default=0)

    class Meta:
        verbose_name = _("people sync run")
        verbose_name_plural = _("people sync runs")
        ordering = ["-created_at", "-id"]
        permissions = [("run_people_sync", _("Run the people sync from the HR export"))]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M} {self.file_name}"
