"""The half-year budget execution analysis (S3.4): the budget in force against the actual amounts,
line by line, with the union committee's note. Filing it meets the half-year obligation
(S3.4-analysis, periods H1 and H2) and makes it visible to the upper-level union."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Union
from workflows.budget.models import MAX_AMOUNT, Account, Budget, BudgetVersion


class Period(models.TextChoices):
    """The obligation periods of S3.4-analysis (statutory defaults: H1 due 31 July, H2 due 31 January)."""

    H1 = "H1", _("first half-year (January–June)")
    H2 = "H2", _("second half-year (the whole year)")


def period_end(year: int, period: str) -> datetime.date:
    """The last day the period's actual amounts cover (cumulative from 1 January)."""
    return datetime.date(year, 6, 30) if period == Period.H1 else datetime.date(year, 12, 31)


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    FILED = "filed", _("filed")


class BudgetExecutionReview(models.Model):
    union = models.ForeignKey(
        Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="execution_reviews"
    )
    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="execution_reviews"
    )
    # The budget version in force the actuals are compared with (an approved adjustment moves it
    # while the analysis is a draft; filing freezes it).
    version = models.ForeignKey(
        BudgetVersion, verbose_name=_("budget version"), on_delete=models.PROTECT, related_name="+"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    period = models.CharField(_("period"), max_length=2, choices=Period.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    note = models.TextField(_("the union committee's note"), blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    actuals_saved_at = models.DateTimeField(_("actuals saved at"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("budget execution analysis")
        verbose_name_plural = _("budget execution analyses")
        ordering = ["-fiscal_year", "-period", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["union", "fiscal_year", "period"], name="execution_review_once"),
        ]
        indexes = [
            # the upper-level union's page: filed analyses of the unions below, newest first.
            models.Index(
                fields=["union", "-filed_at"], condition=Q(status="filed"), name="execution_review_filed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union.name}{self.fiscal_year}年{self.get_period_display()}预算执行分析"

    @property
    def is_filed(self) -> bool:
        return self.status == ReviewStatus.FILED


class ExecutionLine(models.Model):
    review = models.ForeignKey(BudgetExecutionReview, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    budgeted = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(
        _("actual (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
    )

    class Meta:
        verbose_name = _("execution line")
        verbose_name_plural = _("execution lines")
        ordering = ["account_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "account"], name="execution_line_one_per_account"),
            models.CheckConstraint(
                condition=Q(actual__isnull=True) | Q(actual__gte=0), name="execution_line_actual_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.budgeted} / {self.actual}"

    @property
    def variance(self) -> Decimal | None:
        """Actual minus budget (negative: under budget)."""
        return None if self.actual is None else self.actual - self.budgeted

    @property
    def rate(self) -> Decimal | None:
        """Execution rate in per cent, one decimal; None without a budget or an actual."""
        return execution_rate(self.budgeted, self.actual)


def execution_rate(budgeted: Decimal, actual: Decimal | None) -> Decimal | None:
    if actual is None or not budgeted:
        return None
    return (actual * 100 / budgeted).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
