"""Expenditure approval (经费支出申请, S3.1, S5.3): every yuan spent is requested against a line of the
budget in force, approved along a route that depends on the amount, and booked to the line's ledger.

The routing thresholds are rules as data (``ExpenditureRule``: the union's own row, its department
union's, the provincial default). The ledger of a line (``LedgerLine``: one row per union, year and
account) holds what approved requests have committed and what has been paid; what was budgeted is read
from the budget version in force, so an adjustment changes it without a copy. The row is locked when an
approval commits money to it, so two approvals racing for the last yuan cannot both pass.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from core.models import Union
from workflows.models import Document

SMALL_LIMIT = Decimal("5000.00")
COLLECTIVE_ABOVE = Decimal("50000.00")


class ExpenditureStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    FINANCE_CHECK = "finance_check", _("with the finance officer for checking")
    CHAIR_APPROVAL = "chair_approval", _("with the chair for approval")
    COUNTERSIGN = "countersign", _("with a committee member for countersigning")
    COMMITTEE_APPROVAL = "committee_approval", _("before the union committee")
    PARTY_APPROVAL = "party_approval", _("before the same-level Party organisation")
    RETURNED = "returned", _("returned for revision")
    APPROVED = "approved", _("approved, awaiting payment")
    PAID = "paid", _("paid")
    WITHDRAWN = "withdrawn", _("withdrawn")


# On its way: sent, not yet approved (what it asks of its line is shown, never reserved).
ON_ITS_WAY = [
    ExpenditureStatus.FINANCE_CHECK,
    ExpenditureStatus.CHAIR_APPROVAL,
    ExpenditureStatus.COUNTERSIGN,
    ExpenditureStatus.COMMITTEE_APPROVAL,
    ExpenditureStatus.PARTY_APPROVAL,
]


class Route(models.TextChoices):
    """Who approves a request, by amount (ExpenditureRule) or because it is marked major."""

    CHAIR = "chair", _("the finance officer checks, the chair approves")
    COUNTERSIGN = "countersign", _("the finance officer checks, the chair and a committee member sign")
    COLLECTIVE = "collective", _("the finance officer checks, the union committee decides at a meeting")


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("bank transfer")
    CARD = "card", _("official card")
    CASH = "cash", _("cash")


class ExpenditureRule(models.Model):
    """The routing thresholds of a union's expenditure-approval rules (经费审批制度, S5.3). Nearest
    setting wins: the union's own row, its department union's, then the provincial default (union
    empty), then the built-in defaults (¥5,000 and ¥50,000)."""

    union = models.OneToOneField(
        Union,
        verbose_name=_("set by union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="expenditure_rule",
        help_text=_("Empty: the provincial default. A department union's row applies to its unions."),
    )
    chair_limit = models.DecimalField(
        _("the chair alone approves up to (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=SMALL_LIMIT,
        validators=[MinValueValidator(Decimal("0"))],
    )
    collective_above = models.DecimalField(
        _("the union committee decides above (yuan)"),
        max_digits=14,
        decimal_places=2,
        default=COLLECTIVE_ABOVE,
        validators=[MinValueValidator(Decimal("0"))],
    )
    # S5.3: the requester never approves their own request; a chair's own goes to the union committee,
    # or, where the union's rules say so, to a vice chair in the chair's place
    chairs_request_to_vice_chair = models.BooleanField(
        _("a chair's own request is approved by a vice chair (else by the union committee)"), default=False
    )
    party_above = models.DecimalField(
        _("the same-level Party organisation also approves above (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Empty: the union committee's decision is the last. Applies to collective decisions."),
    )
    provisional_twelfths = models.PositiveSmallIntegerField(
        _("before the budget is approved, twelfths of last year's line per month"),
        default=1,
        validators=[MaxValueValidator(12)],
        help_text=_("Spending before this year's budget is in force, as a share of last year's line."),
    )

    class Meta:
        verbose_name = _("expenditure approval rule")
        verbose_name_plural = _("expenditure approval rules")
        constraints = [
            models.UniqueConstraint(
                fields=["chair_limit"], condition=Q(union__isnull=True), name="expenditure_rule_one_default"
            ),
            models.CheckConstraint(
                condition=Q(collective_above__gte=models.F("chair_limit")),
                name="expenditure_rule_thresholds_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.union) if self.union_id else str(_("provincial default"))


class StandardBasis(models.TextChoices):
    PER_CASE = "case", _("per case")
    PER_PERSON = "person", _("per person each time")
    PER_PERSON_YEAR = "person_year", _("per person per year")


class SpendingStandard(models.Model):
    """A spending standard (开支标准), as data: a cap per case, per person each time, or per person
    per year (festival gifts to members, condolence visits, meals). The union's own row for a kind of
    spending wins over its department union's, which wins over the provincial default (union empty)."""

    union = models.ForeignKey(
        Union,
        verbose_name=_("set by union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty: the provincial default. A department union's row applies to its unions."),
    )
    code = models.SlugField(_("kind of spending"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    basis = models.CharField(_("counted"), max_length=20, choices=StandardBasis.choices)
    cap = models.DecimalField(
        _("at most (yuan)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = _("spending standard")
        verbose_name_plural = _("spending standards")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["union", "code"], name="standard_one_per_union_and_kind"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(union__isnull=True), name="standard_one_default_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExpenditureRequest(Document):
    """One request to spend from a line of the budget in force (the year is the budget's)."""

    status = models.CharField(
        _("status"), max_length=30, choices=ExpenditureStatus.choices, default=ExpenditureStatus.DRAFT
    )
    process = models.OneToOneField(
        Process, null=True, blank=True, on_delete=models.PROTECT, related_name="expenditure"
    )
    account = models.ForeignKey(
        "budget.Account", verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    purpose = models.TextField(_("purpose"))
    activity_date = models.DateField(_("activity date"))
    major = models.BooleanField(
        _("major expenditure"),
        default=False,
        help_text=_("Major expenditure (重大支出) is decided by the union committee whatever the amount."),
    )
    # spent before this year's budget was in force, against last year's line (S3.1 in practice): set
    # when sent, and reconciled against this year's line once the budget is in force
    provisional = models.BooleanField(_("provisional"), default=False)
    # after the union committee, the Party organisation approves too (ExpenditureRule.party_above): set
    # when sent. This approval is the request for instructions on the spending: never asked twice.
    with_party = models.BooleanField(_("the Party organisation approves too"), default=False)
    # S1.3: a major expenditure whose route has no Party step starts only on an agreed request for
    # instructions on the matter (the catalogue gate at submit), which it then uses up
    instruction = models.ForeignKey(
        "party.InstructionRequest",
        verbose_name=_("the agreed request for instructions"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # the kind of spending whose standard applies (SpendingStandard.code), "" where none does
    standard = models.SlugField(_("spending standard"), max_length=40, blank=True)
    # set at submit from the rules in force then; shown on the request before it is sent
    route = models.CharField(_("route"), max_length=20, choices=Route.choices, blank=True)
    countersigner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("countersigning committee member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    voucher_number = models.CharField(_("voucher number"), max_length=40, blank=True)
    payment_method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("expenditure request")
        verbose_name_plural = _("expenditure requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the union's list of requests, newest first
            models.Index(fields=["union", "-created_at"], name="expenditure_union_recent"),
            # the ledger: a line's requests of a year
            models.Index(fields=["union", "year", "account"], name="expenditure_union_year_line"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_amount_positive"),
            # a voucher number is used once per union and year (凭证号)
            models.UniqueConstraint(
                fields=["union", "year", "voucher_number"],
                condition=~Q(voucher_number=""),
                name="expenditure_voucher_once_a_year",
            ),
        ]

    @property
    def pays_individuals(self) -> bool:
        """A request pays individuals when it has a real-name list of payees."""
        return self.payees.exists()


def mask_account(account: str) -> str:
    """A bank account as everyone but the finance officer sees it: only its last four digits, in a shape
    that does not tell its length ("**** **** **** 1234")."""
    digits = "".join(ch for ch in account if ch.isdigit())
    return f"**** **** **** {digits[-4:]}" if digits else ""


class ExpenditurePayee(models.Model):
    """One person on a request's real-name list (实名发放名单): a request with payees pays individuals,
    and their amounts add up to the request's. The account is kept as typed; screens and exports mask it
    for everyone but the union's finance officer (personal information)."""

    request = models.ForeignKey(
        ExpenditureRequest,
        on_delete=models.CASCADE,
        related_name="payees",
        verbose_name=_("expenditure request"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("payee's name"), max_length=100)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("payee")
        verbose_name_plural = _("payees")
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="expenditure_payee_position_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_payee_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_account(self) -> str:
        return mask_account(self.bank_account)


class LedgerLine(models.Model):
    """What approved requests have committed on a budget line, and what has been paid from it. The row
    is locked (SELECT … FOR UPDATE) whenever money is committed or paid: S3.1, no spending beyond the
    budget."""

    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    account = models.ForeignKey("budget.Account", on_delete=models.PROTECT, related_name="+")
    committed = models.DecimalField(_("committed (yuan)"), max_digits=14, decimal_places=2, default=0)
    paid = models.DecimalField(_("paid (yuan)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("ledger line")
        verbose_name_plural = _("ledger lines")
        constraints = [
            models.UniqueConstraint(fields=["union", "year", "account"], name="ledger_one_row_per_line"),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(paid__gte=0), name="ledger_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union} {self.year} {self.account_id}"

    @property
    def spent(self) -> Decimal:
        return self.committed + self.paid


class IncomeRecord(models.Model):
    """Income received on an income line of the budget in force (membership dues, allocations from
    the administration or the upper union): the ledger shows execution on both sides."""

    union = models.ForeignKey(Union, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("fiscal year"))
    account = models.ForeignKey(
        "budget.Account", verbose_name=_("budget line"), on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("income record")
        verbose_name_plural = _("income records")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["union", "year", "account"], name="income_union_year_line")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="income_amount_positive")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount}"
