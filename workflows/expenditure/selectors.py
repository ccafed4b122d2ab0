"""Reading expenditure rules, routes, step holders and the ledger (S3.1, S5.3)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.db.models import Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.models import BodyKind, Role, Seat, Union
from workflows.budget.models import Budget, BudgetLine, BudgetStatus

from .models import (
    COLLECTIVE_ABOVE,
    ON_ITS_WAY,
    SMALL_LIMIT,
    ExpenditureRequest,
    ExpenditureRule,
    ExpenditureStatus,
    LedgerLine,
    Route,
)


@dataclass(frozen=True)
class Thresholds:
    chair_limit: Decimal
    collective_above: Decimal
    chairs_request_to_vice_chair: bool = False
    party_above: Decimal | None = None
    provisional_twelfths: int = 1


def thresholds_for(union: Union) -> Thresholds:
    """S5.3, rules as data. Nearest setting wins: the union's own row, its department union's, the
    provincial default, the built-in ¥5,000 / ¥50,000."""
    scopes = [pk for pk in (union.pk, union.parent_id) if pk is not None]
    rows = {
        r.union_id: r for r in ExpenditureRule.objects.filter(Q(union__isnull=True) | Q(union_id__in=scopes))
    }
    for scope in (union.pk, union.parent_id, None):  # a union without a parent: its own, the default
        row = rows.get(scope)
        if row is not None:
            return Thresholds(
                chair_limit=row.chair_limit,
                collective_above=row.collective_above,
                chairs_request_to_vice_chair=row.chairs_request_to_vice_chair,
                party_above=row.party_above,
                provisional_twelfths=row.provisional_twelfths,
            )
    return Thresholds(chair_limit=SMALL_LIMIT, collective_above=COLLECTIVE_ABOVE)


def route_for(*, thresholds: Thresholds, amount: Decimal, major: bool, requester_is_chair: bool) -> str:
    """S5.3: up to the chair's limit the chair approves after the finance officer's check; up to the
    collective threshold the chair and one more union committee member sign (会签); above it, or for
    a major expenditure, the union committee decides at a meeting. A chair's own request goes to the
    union committee (or, where the rules say so, a vice chair approves it in the chair's place): the
    requester never approves their own request."""
    chair_steps_open = not requester_is_chair or thresholds.chairs_request_to_vice_chair
    if major or amount > thresholds.collective_above or not chair_steps_open:
        return Route.COLLECTIVE
    if amount > thresholds.chair_limit:
        return Route.COUNTERSIGN
    return Route.CHAIR


def party_approves(*, thresholds: Thresholds, route: str, amount: Decimal) -> bool:
    """Whether the same-level Party organisation approves after the union committee (as data)."""
    return (
        route == Route.COLLECTIVE and thresholds.party_above is not None and amount > thresholds.party_above
    )


def _in_force(union_id: int, **filters):
    return Seat.objects.in_force(timezone.localdate()).filter(union_id=union_id, **filters)


def chair_id(union_id: int) -> int | None:
    seat = _in_force(union_id, role=Role.CHAIR, body__kind=BodyKind.UNION_COMMITTEE).order_by(
        "start_date", "id"
    )
    return seat.values_list("person_id", flat=True).first()


def vice_chair_id(union_id: int) -> int | None:
    seat = _in_force(union_id, role=Role.VICE_CHAIR, body__kind=BodyKind.UNION_COMMITTEE).order_by(
        "start_date", "id"
    )
    return seat.values_list("person_id", flat=True).first()


def finance_officer_id(union_id: int, *, other_than: int | None = None) -> int | None:
    """The union's finance officer; when the requester is the finance officer, another one, else the
    chair checks in their place (nobody checks their own request)."""
    officers = _in_force(union_id, role=Role.FINANCE_OFFICER, body__isnull=True).order_by("start_date", "id")
    if other_than is not None:
        officers = officers.exclude(person_id=other_than)
    found = officers.values_list("person_id", flat=True).first()
    return found if found is not None else chair_id(union_id)


def countersigner_choices(union_id: int, *, requester_id: int) -> list[Seat]:
    """Union committee members who may countersign: in office, neither the requester nor the chair."""
    chair = chair_id(union_id)
    return list(
        _in_force(union_id, body__kind=BodyKind.UNION_COMMITTEE)
        .exclude(person_id__in=[p for p in (requester_id, chair) if p is not None])
        .select_related("person")
        .order_by("role", "person_id")
    )


def budget_in_force(union_id: int, year: int) -> Budget | None:
    return (
        Budget.objects.filter(union_id=union_id, year=year, status=BudgetStatus.IN_FORCE)
        .select_related("current_version")
        .first()
    )


def budget_year_for(union: Union) -> int:
    """The year requests are made for: this year in the union's calendar."""
    return timezone.localtime(timezone.now(), union.tz).year


@dataclass(frozen=True)
class SpendingBasis:
    """What the year's spending is measured against: the budget in force (share 1), or, while the
    year's budget is not yet approved (January, February), last year's lines at a share that grows
    each month (provisional spending, by default one twelfth a month: ExpenditureRule)."""

    version_id: int | None
    share: Decimal
    provisional: bool

    def amount(self, line_amount: Decimal) -> Decimal:
        return (line_amount * self.share).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def _provisional_twelfths(union_id: int) -> int:
    """The union's rule (nearest wins, as for the thresholds): read only while spending provisionally."""
    return thresholds_for(Union.objects.only("id", "parent_id").get(pk=union_id)).provisional_twelfths


def spending_basis(union_id: int, year: int) -> SpendingBasis:
    """S3.1: the budget in force for the year; before it, last year's budget in force, a share of each
    line per month of the year gone by; neither: nothing may be spent."""
    budget = budget_in_force(union_id, year)
    if budget is not None:
        return SpendingBasis(version_id=budget.current_version_id, share=Decimal(1), provisional=False)
    last = budget_in_force(union_id, year - 1)
    if last is None:
        return SpendingBasis(version_id=None, share=Decimal(0), provisional=False)
    today = timezone.localdate()
    months = 0 if today.year < year else (today.month if today.year == year else 12)
    share = min(Decimal(_provisional_twelfths(union_id) * months) / 12, Decimal(1))
    return SpendingBasis(version_id=last.current_version_id, share=share, provisional=True)


def spendable_lines(union_id: int, year: int, basis: SpendingBasis | None = None) -> list[BudgetLine]:
    """The expenditure lines spending is measured against, in chart order (S3.1: nothing off-budget)."""
    basis = basis or spending_basis(union_id, year)
    if basis.version_id is None:
        return []
    return list(
        BudgetLine.objects.filter(version_id=basis.version_id, account__kind="expenditure")
        .select_related("account")
        .order_by("account_id")
    )


@dataclass(frozen=True)
class LineFigures:
    account_id: str
    budgeted: Decimal
    committed: Decimal
    paid: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.budgeted - self.committed - self.paid


def budgeted(union_id: int, year: int, account_id: str) -> Decimal | None:
    """The line's amount in the budget version in force (adjustments included) — before the year's
    budget, the provisional share of last year's line — or None off-budget."""
    basis = spending_basis(union_id, year)
    if basis.version_id is None:
        return None
    amount = (
        BudgetLine.objects.filter(version_id=basis.version_id, account_id=account_id)
        .values_list("amount", flat=True)
        .first()
    )
    return None if amount is None else basis.amount(amount)


def line_figures(union_id: int, year: int, account_id: str, *, row: LedgerLine | None = None) -> LineFigures:
    amount = budgeted(union_id, year, account_id) or Decimal("0")
    if row is None:
        row = LedgerLine.objects.filter(union_id=union_id, year=year, account_id=account_id).first()
    return LineFigures(
        account_id=account_id,
        budgeted=amount,
        committed=row.committed if row else Decimal("0"),
        paid=row.paid if row else Decimal("0"),
    )


def ledger(
    union_id: int, year: int, basis: SpendingBasis | None = None
) -> list[tuple[BudgetLine, LineFigures]]:
    """Every expenditure line spending is measured against, with its figures (two queries with the
    basis given)."""
    basis = basis or spending_basis(union_id, year)
    lines = spendable_lines(union_id, year, basis)
    rows = {r.account_id: r for r in LedgerLine.objects.filter(union_id=union_id, year=year)}
    return [
        (
            line,
            LineFigures(
                account_id=line.account_id,
                budgeted=basis.amount(line.amount),
                committed=rows[line.account_id].committed if line.account_id in rows else Decimal("0"),
                paid=rows[line.account_id].paid if line.account_id in rows else Decimal("0"),
            ),
        )
        for line in lines
    ]


def requests_of_union(union_id: int):
    return ExpenditureRequest.objects.filter(union_id=union_id).select_related("account", "drafter")


def pending_total(union_id: int, year: int, account_id: str, *, excluding: int | None = None) -> Decimal:
    """What requests on their way (submitted, not yet approved) ask of the line: shown beside the
    remaining amount, never reserved (only an approval commits money)."""
    qs = ExpenditureRequest.objects.filter(
        union_id=union_id, year=year, account_id=account_id, status__in=ON_ITS_WAY
    )
    if excluding is not None:
        qs = qs.exclude(pk=excluding)
    return qs.aggregate(total=Sum("amount"))["total"] or Decimal("0")


# --- the ledger as actuals (issue 26): execution analysis, final accounts, oversight ---------------------


def paid_by_account(union_id: int, year: int, *, until: datetime.date | None = None) -> dict[str, Decimal]:
    """What was paid from each line of the year, by account code, counting payments made on or before
    ``until`` (a period's or the year's last day). Summed from the paid requests, not LedgerLine.paid:
    the ledger row has no date, and a half-year must not count what was paid after it. One query."""
    paid = ExpenditureRequest.objects.filter(union_id=union_id, year=year, status=ExpenditureStatus.PAID)
    if until is not None:
        paid = paid.filter(paid_on__lte=until)
    return dict(
        paid.order_by().values("account_id").annotate(total=Sum("amount")).values_list("account_id", "total")
    )


def mark_against_ledger(lines, paid: dict[str, Decimal]) -> int:
    """Set ``ledger_paid`` and ``ledger_difference`` (actual − paid, None when equal or not entered) on
    each expenditure line (None on the others), for pages that show typed or imported actuals beside the
    ledger. Returns how many lines differ."""
    differing = 0
    for line in lines:
        if line.account.kind != "expenditure":
            line.ledger_paid = line.ledger_difference = None
            continue
        line.ledger_paid = paid.get(line.account_id, Decimal("0"))
        differs = line.actual is not None and line.actual != line.ledger_paid
        line.ledger_difference = line.actual - line.ledger_paid if differs else None
        differing += differs
    return differing


@dataclass(frozen=True)
class LiveExecution:
    """A union's expenditure of a year so far: budgeted in the version in force, paid from the ledger."""

    union_id: int
    union_name: str
    budgeted: Decimal
    paid: Decimal


def live_execution(*, unions, year: int) -> list[LiveExecution]:
    """Each of ``unions`` (a queryset, e.g. the unions below an upper-level union) with a budget in force
    for ``year``, by name: one query whatever the number of unions (oversight, read-only)."""
    in_force = Budget.objects.filter(union_id=OuterRef("pk"), year=year, status=BudgetStatus.IN_FORCE)
    budgeted = (
        BudgetLine.objects.filter(
            version__budget__union_id=OuterRef("pk"),
            version__budget__year=year,
            version__budget__status=BudgetStatus.IN_FORCE,
            version__budget__current_version_id=F("version_id"),  # the version in force, adjustments included
            account__kind="expenditure",
        )
        .order_by()
        .values("version_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    paid = (
        LedgerLine.objects.filter(union_id=OuterRef("pk"), year=year, account__kind="expenditure")
        .order_by()
        .values("union_id")
        .annotate(total=Sum("paid"))
        .values("total")
    )
    zero = Value(Decimal("0"))
    rows = (
        Union.objects.filter(pk__in=unions)
        .filter(Exists(in_force))
        .annotate(budgeted=Coalesce(Subquery(budgeted), zero), paid=Coalesce(Subquery(paid), zero))
        .order_by("name", "pk")
        .values_list("pk", "name", "budgeted", "paid")
    )
    return [LiveExecution(union_id=pk, union_name=name, budgeted=b, paid=p) for pk, name, b, p in rows]


def unbudgeted_spending(union_id: int, year: int, basis: SpendingBasis | None = None) -> list[LedgerLine]:
    """Money committed or paid on lines the budget in force does not hold: provisional spending
    (before the budget) on a line the approved budget dropped, to reconcile (S3.1). One query with
    the basis given."""
    basis = basis or spending_basis(union_id, year)
    if basis.provisional or basis.version_id is None:
        return []
    lines = BudgetLine.objects.filter(version_id=basis.version_id).values("account_id")
    return list(
        LedgerLine.objects.filter(union_id=union_id, year=year)
        .filter(Q(committed__gt=0) | Q(paid__gt=0))
        .exclude(account_id__in=lines)
        .select_related("account")
        .order_by("account_id")
    )
