"""Membership dues (会费): what each member owes a month, what the finance officer recorded as paid, and
the link from a month's collection to the income the budget ledger shows on account 401.

- ``DuesRule``: the rate as data, nearest wins (the union's own row, its parent's, the provincial default
  with union empty, then the built-in 0.5 % of the basic wage). A share of the basic wage, or a fixed
  monthly amount.
- ``BasicWage``: a member's basic wage as the union enters it, from a month on; the latest month on or
  before the dues month applies.
- ``DuesStart``: the month from which the union records dues; months before it are never arrears (a
  union starting to use Wuyi does not see years of "arrears").
- ``DuesMonth``: a union's collection of one month (who recorded it, when), with ``DuesPayment`` rows,
  one per member who paid, and ``DuesPosting`` rows, the income records made on account 401 for it.

Months are stored as the first day of the month (a DateField: PostgreSQL's generate_series and date
arithmetic work on them directly, and a constraint keeps them on the first).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Union

DEFAULT_PERCENT = Decimal("0.5")  # Union Constitution: dues are 0.5 % of the member's basic wage
INCOME_ACCOUNT = "401"  # 会费收入 on the 2021 chart: where the dues received are income


class RateKind(models.TextChoices):
    PERCENT = "percent", _("a share of the basic wage")
    FIXED = "fixed", _("a fixed monthly amount")


def _first_of_month(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__day": 1}), name=name)


class DuesRule(models.Model):
    """Rules as data, nearest wins: the union's own row, its parent's, the provincial default (union
    empty), the built-in 0.5 % of the basic wage."""

    union = models.OneToOneField(
        Union,
        verbose_name=_("set by union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dues_rule",
        help_text=_("Empty: the provincial default. A department union's row applies to its unions."),
    )
    kind = models.CharField(_("dues are"), max_length=10, choices=RateKind.choices, default=RateKind.PERCENT)
    percent = models.DecimalField(
        _("per cent of the basic wage"), max_digits=5, decimal_places=2, default=DEFAULT_PERCENT
    )
    fixed_amount = models.DecimalField(
        _("fixed monthly amount (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dues rule")
        verbose_name_plural = _("dues rules")
        constraints = [
            # one provincial default: NULLs are not distinct here
            models.UniqueConstraint(fields=["union"], nulls_distinct=False, name="dues_rule_one_per_scope"),
            models.CheckConstraint(
                condition=Q(kind="fixed", fixed_amount__gt=0)
                | Q(kind="percent", percent__gt=0, percent__lte=100),
                name="dues_rule_rate_given",
            ),
        ]

    def __str__(self) -> str:
        return str(self.union) if self.union_id else str(_("provincial default"))


class BasicWage(models.Model):
    """A member's basic wage from a month on, as the union entered it."""

    member = models.ForeignKey(
        "members.Member", verbose_name=_("union member"), on_delete=models.CASCADE, related_name="basic_wages"
    )
    applies_from = models.DateField(_("applies from (month)"))
    amount = models.DecimalField(_("basic wage (yuan a month)"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("basic wage")
        verbose_name_plural = _("basic wages")
        ordering = ["member_id", "-applies_from"]
        constraints = [
            # the wages form enters one wage a member and month: entering it again corrects it
            models.UniqueConstraint(fields=["member", "applies_from"], name="basic_wage_once_a_month"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="basic_wage_positive"),
            _first_of_month("applies_from", "basic_wage_from_first_of_month"),
        ]
        # the dues queries: the latest wage of a member on or before a month (the unique index serves)

    def __str__(self) -> str:
        return f"{self.member_id} {self.applies_from:%Y-%m} {self.amount}"


class DuesStart(models.Model):
    """The month a union starts recording dues: arrears are counted from it, never before."""

    union = models.OneToOneField(Union, verbose_name=_("union"), on_delete=models.CASCADE, related_name="+")
    recorded_from = models.DateField(_("dues recorded from (month)"))

    class Meta:
        verbose_name = _("dues recorded from")
        verbose_name_plural = _("dues recorded from")
        constraints = [_first_of_month("recorded_from", "dues_start_first_of_month")]

    def __str__(self) -> str:
        return f"{self.union} {self.recorded_from:%Y-%m}"


class DuesMonth(models.Model):
    """A union's collection of one month. Locked (select_for_update) while it is recorded, so two
    officers saving the same month one after the other never post its income twice."""

    union = models.ForeignKey(Union, verbose_name=_("union"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("dues month")
        verbose_name_plural = _("dues months")
        ordering = ["union_id", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["union", "month"], name="dues_month_once"),
            _first_of_month("month", "dues_month_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.union_id} {self.month:%Y-%m}"


class DuesPayment(models.Model):
    """A member's dues of a month, paid: the amount received and the due it was measured against
    (kept as it was that day, so a later change of the rate or the wage does not rewrite the past)."""

    dues_month = models.ForeignKey(DuesMonth, on_delete=models.CASCADE, related_name="payments")
    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("union member"),
        on_delete=models.PROTECT,
        related_name="dues_payments",
    )
    amount = models.DecimalField(_("amount paid (yuan)"), max_digits=14, decimal_places=2)
    due = models.DecimalField(_("dues of the month (yuan)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["month", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_payment_once_a_month"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_payment_positive"),
        ]
        indexes = [
            # the overview's months and the arrears: a union's payments over a range of months
            models.Index(fields=["union", "month"], name="dues_payment_union_month"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m} {self.amount}"


class DuesPosting(models.Model):
    """An income record made on account 401 for a month's collection. The income service only adds
    positive records, so a month is posted by its increases: what was collected minus what its postings
    already hold (see services.month_record)."""

    dues_month = models.ForeignKey(DuesMonth, on_delete=models.PROTECT, related_name="postings")
    income = models.OneToOneField("expenditure.IncomeRecord", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("dues posted to the ledger")
        verbose_name_plural = _("dues posted to the ledger")
        ordering = ["dues_month_id", "id"]

    def __str__(self) -> str:
        return f"{self.dues_month} {self.amount}"
