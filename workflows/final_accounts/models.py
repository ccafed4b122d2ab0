"""The final accounts (决算, S3.5): the actual income and expenditure of a year, per line of that
year's budget in force, audited by the fund audit committee and approved by the congress through the
report on budget and final accounts (经费收支预算决算情况报告), which the union submits upward.

Closing balance = funds rolled over from the previous year + actual income − actual expenditure (the
same convention as the budget's 收支差额, workflows/budget/xlsx.py). Once audited, it is next year's
audited carryover (S3.2: next year's budget may not spend more than its income plus this balance).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from workflows.budget.models import MAX_AMOUNT, Account, AccountKind, Budget, BudgetVersion
from workflows.models import Document

ZERO = Decimal("0")


class FinalAccountsStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    AUDIT_REVIEW = "audit_review", _("fund audit committee audit")
    CONGRESS_RATIFICATION = "congress_ratification", _("awaiting the congress (in the finance report)")
    RETURNED = "returned", _("returned for revision")
    IN_FORCE = "in_force", _("approved by the congress")
    WITHDRAWN = "withdrawn", _("withdrawn")


class FinalAccounts(Document):
    """A union's final accounts of a fiscal year: one document, one process, many versions."""

    status = models.CharField(
        _("status"), max_length=30, choices=FinalAccountsStatus.choices, default=FinalAccountsStatus.DRAFT
    )
    # The year's budget in force, and the version whose lines the actuals follow.
    budget = models.ForeignKey(Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="+")
    budget_version = models.ForeignKey(
        BudgetVersion, verbose_name=_("budget version"), on_delete=models.PROTECT, related_name="+"
    )
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.PROTECT, related_name="final_accounts"
    )
    current_version = models.ForeignKey(
        "FinalAccountsVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("final accounts")
        verbose_name_plural = _("final accounts")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "year"], condition=~Q(status="withdrawn"), name="final_accounts_one_live"
            ),
        ]
        indexes = [models.Index(fields=["union", "year"], name="final_accounts_union_year")]


class FinalAccountsVersion(models.Model):
    final_accounts = models.ForeignKey(FinalAccounts, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    carryover = models.DecimalField(
        _("funds rolled over from the previous year"),
        max_digits=14,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_AMOUNT)],
    )
    note = models.TextField(_("explanation"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # Set when the fund audit committee approves this version: its closing balance is then audited.
    audited_at = models.DateTimeField(_("audited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("final accounts version")
        verbose_name_plural = _("final accounts versions")
        ordering = ["final_accounts_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["final_accounts", "number"], name="final_accounts_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.final_accounts} v{self.number}"

    def totals(self) -> tuple[Decimal, Decimal]:
        """(actual income, actual expenditure); lines without an actual amount count as 0. One query."""
        rows = dict(
            self.lines.values("account__kind")
            .annotate(total=models.Sum("actual"))
            .values_list("account__kind", "total")
        )
        return rows.get(AccountKind.INCOME) or ZERO, rows.get(AccountKind.EXPENDITURE) or ZERO

    def closing_balance(self) -> Decimal:
        income, expenditure = self.totals()
        return self.carryover + income - expenditure


class FinalAccountsLine(models.Model):
    """One line of the year's budget with its budgeted amount (copied) and its actual amount."""

    version = models.ForeignKey(FinalAccountsVersion, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    budgeted = models.DecimalField(_("budgeted (yuan)"), max_digits=14, decimal_places=2)
    actual = models.DecimalField(
        _("actual (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_AMOUNT)],
    )

    class Meta:
        verbose_name = _("final accounts line")
        verbose_name_plural = _("final accounts lines")
        ordering = ["account_id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "account"], name="final_accounts_line_once"),
            models.CheckConstraint(condition=Q(actual__gte=0), name="final_accounts_actual_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.actual}"

    @property
    def difference(self) -> Decimal | None:
        return None if self.actual is None else self.actual - self.budgeted
