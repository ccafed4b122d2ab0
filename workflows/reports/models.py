"""The year-end summary and the congress reports (S2.3; the finance report of S3.5 comes next).

A congress report is a stored, versioned artefact that binds exact versions of its documents (the
work report binds the year's summary and next year's plan). It is the congress's agenda item: its
resolution completes the congress step of every document it binds. It owns the submission upward.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from core.models import Union
from workflows.models import Document


class SummaryStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PARTY_REPORT = "party_report", _("reported to the Party organisation")
    RETURNED = "returned", _("returned for revision")
    IN_FORCE = "in_force", _("acknowledged by the Party organisation")
    WITHDRAWN = "withdrawn", _("withdrawn")


class YearEndSummary(Document):
    status = models.CharField(
        _("status"), max_length=30, choices=SummaryStatus.choices, default=SummaryStatus.DRAFT
    )
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.PROTECT, related_name="summary"
    )
    current_version = models.ForeignKey(
        "SummaryVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("year-end summary")
        verbose_name_plural = _("year-end summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["union", "year"], condition=~Q(status="withdrawn"), name="summary_one_live_per_year"
            ),
        ]


class SummaryVersion(models.Model):
    summary = models.ForeignKey(YearEndSummary, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("summary"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("summary version")
        verbose_name_plural = _("summary versions")
        constraints = [models.UniqueConstraint(fields=["summary", "number"], name="summary_version_number")]

    def __str__(self) -> str:
        return f"{self.summary} v{self.number}"


class ReportKind(models.TextChoices):
    WORK_REPORT = "work_report", _("work report")
    FINANCE_REPORT = "finance_report", _("report on budget and final accounts")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    CONGRESS_RATIFICATION = "congress_ratification", _("congress approval")
    RETURNED = "returned", _("returned for revision")
    SUBMITTING = "submitting", _("to be submitted upward")
    IN_FORCE = "in_force", _("submitted to the upper-level union")
    CORRECTION = "correction", _("returned by the upper-level union for correction")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CongressReport(Document):
    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    status = models.CharField(
        _("status"), max_length=30, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.PROTECT, related_name="congress_report"
    )
    current_version = models.ForeignKey(
        "ReportVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("congress report")
        verbose_name_plural = _("congress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["union", "kind", "year"],
                condition=~Q(status="withdrawn"),
                name="report_one_live_per_year",
            ),
        ]


class ReportVersion(models.Model):
    report = models.ForeignKey(CongressReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("report"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_number")]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class ReportBinding(models.Model):
    """An exact version of a document that a report version binds."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="bindings")
    document_type = models.CharField(max_length=30)
    document_id = models.BigIntegerField()
    document_version = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("bound document")
        verbose_name_plural = _("bound documents")
        constraints = [
            models.UniqueConstraint(fields=["version", "document_type", "document_id"], name="binding_once"),
        ]

    def __str__(self) -> str:
        return f"{self.document_type}:{self.document_id} v{self.document_version}"


class SubmissionState(models.TextChoices):
    SUBMITTED = "submitted", _("submitted")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RETURNED = "returned", _("returned for correction")


class Submission(models.Model):
    """A report submitted to an upper-level union, which acknowledges it or returns it with opinions."""

    report = models.ForeignKey(CongressReport, on_delete=models.PROTECT, related_name="submissions")
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="+")
    to_union = models.ForeignKey(
        Union, verbose_name=_("to"), on_delete=models.PROTECT, related_name="received_reports"
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=15, choices=SubmissionState.choices, default=SubmissionState.SUBMITTED
    )
    opinions = models.TextField(_("opinions"), blank=True)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [
            # received reports: what reached an upper-level union, newest first.
            models.Index(fields=["to_union", "-submitted_at"], name="submission_to_union"),
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.to_union} ({self.state})"
