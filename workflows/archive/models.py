"""The union's archive (S5.3 档案管理): every record approved or recorded, classified and kept for its period.

- ``ArchiveRule``: the retention period of a category, as data: a provincial default row (union empty),
  overridden by a department union's row or a union's own; the nearest union wins (``rules.py``).
- ``ArchiveRecord``: one filed source (a document in force with all its versions, a body's written
  decision, a meeting's minutes, one of its resolutions, an attachment, an official output), pointing at
  its stored file (never a copy of the bytes), with its category, year, retention end and the tokens
  jieba segmented from its text (``search_vector``). Deleted only after its retention ends, and then only
  marked (the row stays as the trace; the file goes); a transfer to the upper union is recorded on it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Union


class Category(models.TextChoices):
    """The archive's classes (分类), each with its own retention rule."""

    MEETINGS = "meetings", _("meetings and resolutions")
    PLANS_REPORTS = "plans_reports", _("plans, summaries and work reports")
    BUDGET_ACCOUNTS = "budget_accounts", _("budgets and final accounts")
    FINANCE_RECORDS = "finance_records", _("expenditure and budget execution")
    INSTITUTIONS = "institutions", _("rules and institutions")
    PARTY = "party", _("requests, replies and hearings")
    OTHER = "other", _("other records")


class Retention(models.TextChoices):
    """S5.3: the three retention periods of Chinese archives (永久 / 定期30年 / 定期10年)."""

    PERMANENT = "permanent", _("permanent")
    YEARS_30 = "30", _("30 years")
    YEARS_10 = "10", _("10 years")


RETENTION_YEARS = {Retention.PERMANENT: None, Retention.YEARS_30: 30, Retention.YEARS_10: 10}


class ArchiveRule(models.Model):
    """S5.3, rules as data: how long a category is kept. A union's own row beats its department union's,
    which beats the provincial default (union empty); the defaults come with migration 0002."""

    union = models.ForeignKey(
        Union, verbose_name=_("union"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    retention = models.CharField(_("retention period"), max_length=10, choices=Retention.choices)

    class Meta:
        verbose_name = _("archive retention rule")
        verbose_name_plural = _("archive retention rules")
        constraints = [
            models.UniqueConstraint(fields=["union", "category"], name="archive_rule_once"),
            models.UniqueConstraint(
                fields=["category"], condition=Q(union__isnull=True), name="archive_rule_default_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union or '—'} {self.get_category_display()}: {self.get_retention_display()}"


class Source(models.TextChoices):
    DOCUMENT = "document", _("document")
    DECISION = "decision", _("written decision")
    MINUTES = "minutes", _("meeting minutes")
    RESOLUTION = "resolution", _("meeting resolution")
    ATTACHMENT = "attachment", _("attachment")
    OUTPUT = "output", _("official output")


class ArchiveRecord(models.Model):
    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    number = models.CharField(_("document number"), max_length=100, blank=True)
    # what was filed: ``source`` says which of the references below is set (one per row, unique together)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    document_type = models.CharField(_("document type"), max_length=30, blank=True)
    document_id = models.BigIntegerField(_("document"), null=True, blank=True)
    source_id = models.BigIntegerField(_("source record"), null=True, blank=True)
    # the stored file it points at (an attachment's or an output's), by its storage name: never a copy
    file = models.FileField(_("stored file"), max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=300, blank=True)
    retention = models.CharField(_("retention period"), max_length=10, choices=Retention.choices)
    # the last day it must be kept (31 December of its year + the period); empty: kept permanently
    retention_ends_on = models.DateField(_("kept until"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed in the archive at"), default=timezone.now)
    transferred_to = models.ForeignKey(
        Union,
        verbose_name=_("transferred to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # jieba's segmentation of the title (weight A), the number (B) and the text (D), stored with
    # to_tsvector('simple', …): the page's full-text search (selectors.search)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("archive record")
        verbose_name_plural = _("archive records")
        constraints = [
            # filing is idempotent: a source is filed once (collect() inserts with ignore_conflicts)
            models.UniqueConstraint(
                fields=["source", "document_type", "document_id", "source_id"],
                name="archive_source_once",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            # selectors.search: the tokens of a title / number / full-text query (@@), two-character
            # Chinese words included (pg_trgm's index cannot serve those)
            GinIndex(fields=["search_vector"], name="archive_search_tokens"),
            # selectors.search: a union's records, newest year first (the page's order and keyset)
            models.Index(fields=["union", "-year", "-id"], name="archive_union_year"),
            # selectors.search: the year and category filters within a union; the dossier's records
            models.Index(fields=["union", "year", "category"], name="archive_union_year_category"),
            # selectors.search: a document number typed from its start (文号 prefix)
            models.Index(
                fields=["union", "number"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="archive_number",
            ),
            # the upper union's "received" list (移交)
            models.Index(
                fields=["transferred_to", "-year", "-id"],
                condition=Q(transferred_to__isnull=False),
                name="archive_received",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
