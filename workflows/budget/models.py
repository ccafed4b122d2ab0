"""The budget (draft) document, its versions and lines on the 2021 chart of accounts (S3.1–S3.3)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from workflows.models import Document

MAX_AMOUNT = Decimal("999999999999.99")  # NUMERIC(14,2): below 10^12 yuan


class AccountKind(models.TextChoices):
    INCOME = "income", _("income")
    EXPENDITURE = "expenditure", _("expenditure")
    NET_ASSETS = "net_assets", _("net assets")


class Account(models.Model):
    """An account of the 2021 Trade Union Accounting System (财会〔2021〕7号), shipped as a fixture.

    Budget lines go on postable accounts (those without sub-accounts) of kind income or
    expenditure (S3.1).
    """

    code = models.CharField(_("account code"), max_length=10, primary_key=True)
    name = models.CharField(_("account name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=AccountKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    postable = models.BooleanField(_("lines may be entered"), default=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("chart of accounts")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SOLICITING = "soliciting", _("soliciting opinions")
    CONSOLIDATING = "consolidating", _("consolidating opinions")
    AUDIT_REVIEW = "audit_review", _("audit committee review")
    PARTY_APPROVAL = "party_approval", _("Party organisation approval")
    CONGRESS_RATIFICATION = "congress_ratification", _("congress approval")
    RETURNED = "returned", _("returned for revision")
    IN_FORCE = "in_force", _("in force")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STATUSES = [s for s in BudgetStatus.values if s not in (BudgetStatus.IN_FORCE, BudgetStatus.WITHDRAWN)]
# The title a budget is created with ends in （草案）: it is a draft until submitted.
DRAFT_MARK = "（草案）"


class Budget(Document):
    """The budget of a union for a fiscal year: one document, one process, many versions."""

    status = models.CharField(
        _("status"), max_length=30, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT
    )
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.PROTECT, related_name="budget"
    )
    current_version = models.ForeignKey(
        "BudgetVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "-id"]
        constraints = [
            # A union has one live budget per year: a second one is refused unless the first
            # was withdrawn.
            models.UniqueConstraint(
                fields=["union", "year"], condition=~Q(status="withdrawn"), name="budget_one_live_per_year"
            ),
        ]
        indexes = [models.Index(fields=["union", "year"], name="budget_union_year")]

    @property
    def display_title(self) -> str:
        """The title as its status has it: "（草案）" only while a draft. A budget is created with the mark
        and loses it when submitted (services.budget_submit); a title stored with it before that rule
        drops it here once the budget has left the draft."""
        return self.title if self.status == BudgetStatus.DRAFT else self.title.removesuffix(DRAFT_MARK)

    def __str__(self) -> str:
        # work items, notices and messages take the document's title from here
        return self.display_title


class BudgetVersion(models.Model):
    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    carryover = models.DecimalField(
        _("funds rolled over from the previous year"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
    )
    carryover_is_estimate = models.BooleanField(
        _("carryover is an estimate"),
        default=True,
        help_text=_("Until the previous year's final accounts are audited, the drafter enters an estimate."),
    )
    note = models.TextField(_("explanation"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Set when the version leaves the drafter (submitted): a later edit makes a new version.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("budget version")
        verbose_name_plural = _("budget versions")
        ordering = ["budget_id", "number"]
        constraints = [models.UniqueConstraint(fields=["budget", "number"], name="budget_version_number")]

    def __str__(self) -> str:
        return f"{self.budget} v{self.number}"

    def totals(self) -> tuple[Decimal, Decimal]:
        """(total income, total expenditure) in one query."""
        rows = dict(
            self.lines.values("account__kind")
            .annotate(total=Sum("amount"))
            .values_list("account__kind", "total")
        )
        return rows.get(AccountKind.INCOME) or Decimal("0"), rows.get(AccountKind.EXPENDITURE) or Decimal("0")


class BudgetLine(models.Model):
    version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
    )
    remark = models.CharField(_("remark"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["account_id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "account"], name="budget_line_one_per_account"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount}"
