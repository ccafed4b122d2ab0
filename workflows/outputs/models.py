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
    # 报送函: the letter that sends a report to the upper-level union, an official document of its own
    COVER_LETTER = "cover_letter", _("letter submitting a report upward")


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
    # an approval sheet's header lines [label, value] as they read when it was made: a request returned and
    # edited afterwards (its amount, its payees) leaves the sheet printed before as it was
    header = models.JSONField(_("header as printed"), default=list, blank=True)

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


# --- document numbers (文号), GB/T 9704-2012 7.2.5 ---------------------------------------------------


class NumberSeries(models.TextChoices):
    """Which series of numbers an official document draws from; each series has its code (代字) per organ."""

    DOCUMENT = "document", _("official documents")
    REQUEST = "request", _("requests for instructions and reports to the Party organisation")
    LETTER = "letter", _("letters")


# The code of a series an organ has no row for: its organ code followed by this (机工, 机工函).
DEFAULT_SERIES_SUFFIX = {NumberSeries.DOCUMENT: "", NumberSeries.REQUEST: "", NumberSeries.LETTER: "函"}


class IssuingOrgan(models.Model):
    """What a union prints at the head of its official documents and in their numbers: the issuing organ's
    mark (发文机关标志, printed in red) and its code (机关代字). Data, set in the admin for each union."""

    union = models.OneToOneField(
        Union, verbose_name=_("union"), on_delete=models.CASCADE, related_name="issuing_organ"
    )
    name = models.CharField(
        _("issuing organ's mark"),
        max_length=40,
        help_text=_(
            "Printed in red at the head of its official documents, e.g. ××厅机关工会 or ××厅机关工会文件."
        ),
    )
    code = models.CharField(
        _("organ code"),
        max_length=12,
        help_text=_("The code in its document numbers, e.g. 机工 in 机工〔2027〕3号."),
    )
    signature = models.CharField(
        _("signed as"),
        max_length=60,
        blank=True,
        help_text=_("The organ's name above the date (发文机关署名); empty: the union's name."),
    )

    class Meta:
        verbose_name = _("issuing organ")
        verbose_name_plural = _("issuing organs")

    def __str__(self) -> str:
        return self.name

    def code_for(self, series: str) -> str:
        """The code (代字) of one series: the organ's row for it, else the organ code with the default suffix.
        Reads ``series_codes`` (prefetched where several are read)."""
        for row in self.series_codes.all():
            if row.series == series:
                return row.code
        return self.code + DEFAULT_SERIES_SUFFIX[NumberSeries(series)]


class SeriesCode(models.Model):
    """An organ's own code for one series (机工请 for its requests, 机工函 for its letters): rules as data."""

    organ = models.ForeignKey(IssuingOrgan, on_delete=models.CASCADE, related_name="series_codes")
    series = models.CharField(_("series"), max_length=10, choices=NumberSeries.choices)
    code = models.CharField(_("series code"), max_length=16)

    class Meta:
        verbose_name = _("code of a series")
        verbose_name_plural = _("codes of the series")
        constraints = [models.UniqueConstraint(fields=["organ", "series"], name="outputs_series_code_once")]

    def __str__(self) -> str:
        return self.code


class NumberCounter(models.Model):
    """The last number given in one series (union, code, year). Taken with SELECT … FOR UPDATE in the
    transaction that issues the document, so numbers are gap-free: a rolled-back issue gives its number
    back with the rest of its transaction."""

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["union", "code", "year"], name="outputs_counter_one_per_series")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.year}: {self.last}"


class IssuedNumber(models.Model):
    """A document number (文号) given when a document was signed and issued (签发), and the text signed.

    Never deleted: a revoked document keeps its number (``revoked_at``), and no other document gets it
    (unique union, code, year, sequence). A document gets one number per kind (its official document, its
    letter submitting it upward), once. ``content`` is the text as it was signed — the kind's
    ``official_text`` read from the records at that moment, with the organ's mark, the number and the date
    — from which the PDF is made and made again byte for byte, whatever later happens to the document.
    """

    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("series code"), max_length=16)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("document number"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=OutputKind.choices)
    document_type = models.CharField(_("document type"), max_length=30, choices=DocumentType.choices)
    document_id = models.BigIntegerField(_("document"))
    output = models.OneToOneField(
        OfficialOutput, on_delete=models.PROTECT, null=True, blank=True, related_name="issued_number"
    )
    content = models.JSONField(_("text as signed"))
    issued_at = models.DateTimeField(_("signed and issued at"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed and issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["union", "code", "year", "sequence"], name="outputs_number_never_reused"
            ),
            models.UniqueConstraint(
                fields=["document_type", "document_id", "kind"], name="outputs_number_once_per_document"
            ),
        ]

    def __str__(self) -> str:
        return self.number
