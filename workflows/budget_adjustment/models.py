"""The budget adjustment (S3.4): changes to the lines of the budget in force, with a reason, decided by
the same chain as the budget (fund audit committee → Party organisation → congress, or the union
committee where the union's rules say so), only until 30 September of the budget year.

An adjustment has its own versions and lines (a returned adjustment is revised into a new version, the
old one kept). When it is approved its lines become a new version of the budget, and the budget's
``current_version`` — the version in force of a budget in force — points at it: the original and the
adjusted version both stay readable on the budget's page.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from core.models import Union
from workflows.budget.models import MAX_AMOUNT, Account, AccountKind, Budget, BudgetVersion
from workflows.models import Document


class FinalBody(models.TextChoices):
    """Who finally approves an adjustment (S3.4: the congress, or the union committee if the rules say so)."""

    FOLLOW_BUDGET = "follow_budget", _("as the original budget (the congress)")
    CONGRESS = "congress", _("member (representative) congress")
    UNION_COMMITTEE = "union_committee", _("union committee")


class AdjustmentRule(models.Model):
    """How a union adjusts its budget. Nearest setting wins: the union's own row, then its department
    union's row, then the provincial default (union empty), then FOLLOW_BUDGET and once a year."""

    union = models.OneToOneField(
        Union,
        verbose_name=_("set by union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="adjustment_rule",
        help_text=_("Empty: the provincial default. A department union's row applies to its unions."),
    )
    final_body = models.CharField(
        _("final approval by"), max_length=20, choices=FinalBody.choices, default=FinalBody.FOLLOW_BUDGET
    )
    per_year = models.PositiveSmallIntegerField(
        _("adjustments allowed per year"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text=_("In principle once a year (provincial implementing rules)."),
    )

    class Meta:
        verbose_name = _("budget adjustment rule")
        verbose_name_plural = _("budget adjustment rules")
        constraints = [
            models.UniqueConstraint(
                fields=["final_body"],
                condition=Q(union__isnull=True),
                name="adjustment_rule_one_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union or _('default')}: {self.get_final_body_display()}, {self.per_year}"


class AdjustmentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    AUDIT_REVIEW = "audit_review", _("audit committee review")
    PARTY_APPROVAL = "party_approval", _("Party organisation approval")
    CONGRESS_RATIFICATION = "congress_ratification", _("congress approval")
    COMMITTEE_APPROVAL = "committee_approval", _("union committee approval")
    RETURNED = "returned", _("returned for revision")
    IN_FORCE = "in_force", _("approved and in force")
    WITHDRAWN = "withdrawn", _("withdrawn")
    LAPSED = "lapsed", _("lapsed (not approved by 30 September)")


CLOSED_STATUSES = [AdjustmentStatus.IN_FORCE, AdjustmentStatus.WITHDRAWN, AdjustmentStatus.LAPSED]
OPEN_STATUSES = [s for s in AdjustmentStatus.values if s not in CLOSED_STATUSES]
# Adjustments that count against the "once a year" rule: approved, or still on their way.
COUNTED_STATUSES = [*OPEN_STATUSES, AdjustmentStatus.IN_FORCE]


class BudgetAdjustment(Document):
    budget = models.ForeignKey(
        Budget, verbose_name=_("budget"), on_delete=models.PROTECT, related_name="adjustments"
    )
    sequence = models.PositiveSmallIntegerField(_("adjustment number"), default=1)
    status = models.CharField(
        _("status"), max_length=30, choices=AdjustmentStatus.choices, default=AdjustmentStatus.DRAFT
    )
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.PROTECT, related_name="budget_adjustment"
    )
    # The budget version in force when the adjustment started: the diff's left side.
    base_version = models.ForeignKey(
        BudgetVersion, verbose_name=_("adjusted version"), on_delete=models.PROTECT, related_name="+"
    )
    current_version = models.ForeignKey(
        "AdjustmentVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The last step, fixed when the adjustment starts (a rule changed meanwhile does not move it).
    final_body = models.CharField(
        _("final approval by"), max_length=20, choices=FinalBody.choices[1:], default=FinalBody.CONGRESS
    )
    lapsed_at = models.DateTimeField(_("lapsed at"), null=True, blank=True)
    # The budget version the approval made (the budget's version in force from then on).
    result_version = models.OneToOneField(
        BudgetVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="adjustment"
    )

    class Meta:
        verbose_name = _("budget adjustment")
        verbose_name_plural = _("budget adjustments")
        ordering = ["-year", "-sequence", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "sequence"], name="adjustment_sequence_once"),
            # One adjustment at a time per budget: a second one waits until the first is closed.
            models.UniqueConstraint(
                fields=["budget"], condition=Q(status__in=OPEN_STATUSES), name="adjustment_one_open"
            ),
        ]
        indexes = [
            # the lapse sweep: open adjustments by year.
            models.Index(fields=["year"], condition=Q(status__in=OPEN_STATUSES), name="adjustment_open_year"),
            models.Index(fields=["union", "year"], name="adjustment_union_year"),
        ]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AdjustmentVersion(models.Model):
    """One version of the adjusted budget: every line (not only the changed ones) and the reason.

    Shaped like ``BudgetVersion`` (``lines``, ``carryover``) so that the budget's S3.1/S3.2 checks and
    its diff by account code apply to it unchanged."""

    adjustment = models.ForeignKey(BudgetAdjustment, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    carryover = models.DecimalField(
        _("funds rolled over from the previous year"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
    )
    carryover_is_estimate = models.BooleanField(_("carryover is an estimate"), default=True)
    reason = models.TextField(_("reason for the adjustment"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("adjustment version")
        verbose_name_plural = _("adjustment versions")
        ordering = ["adjustment_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["adjustment", "number"], name="adjustment_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.adjustment} v{self.number}"

    @property
    def budget(self) -> Budget:
        """The budget being adjusted (the budget's checks read its union and year)."""
        return self.adjustment.budget

    def totals(self) -> tuple[Decimal, Decimal]:
        rows = dict(
            self.lines.values("account__kind")
            .annotate(total=Sum("amount"))
            .values_list("account__kind", "total")
        )
        return rows.get(AccountKind.INCOME) or Decimal("0"), rows.get(AccountKind.EXPENDITURE) or Decimal("0")


class AdjustmentLine(models.Model):
    version = models.ForeignKey(AdjustmentVersion, on_delete=models.CASCADE, related_name="lines")
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
        verbose_name = _("adjustment line")
        verbose_name_plural = _("adjustment lines")
        ordering = ["account_id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "account"], name="adjustment_line_one_per_account"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="adjustment_line_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount}"
