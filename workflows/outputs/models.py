"""What Wuyi prints: each PDF made from recorded data, stored with its hash.

An output points at what it was made from (a document, or a meeting) and carries everything that is
fixed at the moment it was made (its kind, its date, a document number) so that rendering it again
from the same records gives the same bytes (``services.rebuild``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import uploads
from core.models import Union
from workflows.models import DocumentType, Meeting


class OutputKind(models.TextChoices):
    OFFICIAL = "official", _("official document")
    MEETING_NOTICE = "meeting_notice", _("meeting notice")
    SIGN_IN_SHEET = "sign_in_sheet", _("sign-in sheet")
    MINUTES = "minutes", _("minutes")
    RESOLUTION = "resolution", _("resolution")
    APPROVAL_SHEET = "approval_sheet", _("approval sheet")


def output_path(instance: OfficialOutput, filename: str) -> str:
    return uploads.random_path(f"outputs/{instance.union_id}")


class OfficialOutput(models.Model):
    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=OutputKind.choices)
    document_type = models.CharField(
        _("document type"), max_length=30, choices=DocumentType.choices, blank=True
    )
    document_id = models.BigIntegerField(_("document"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=300)
    # the document number (文号) printed on it, when it has one
    number = models.CharField(_("document number"), max_length=60, blank=True)
    # the date printed in it and in its metadata: rendering again on another day gives the same bytes
    made_on = models.DateField(_("date"))
    file = models.FileField(_("file"), upload_to=output_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    made_at = models.DateTimeField(_("made at"), default=timezone.now)

    class Meta:
        verbose_name = _("official output")
        verbose_name_plural = _("official outputs")
        indexes = [
            models.Index(fields=["document_type", "document_id", "kind", "-made_at"], name="output_document"),
            models.Index(fields=["meeting", "kind", "-made_at"], name="output_meeting"),
            models.Index(fields=["union", "kind", "-made_at"], name="output_union_kind"),
        ]

    def __str__(self) -> str:
        return self.title
