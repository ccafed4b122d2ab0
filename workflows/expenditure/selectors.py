"""Reading expenditure rules, routes, step holders and the ledger (S3.1, S5.3)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from core.models import BodyKind, Role, Seat, Union
from workflows.budget.models import Budget, BudgetLine, BudgetStatus

from .models import COLLECTIVE_ABOVE, SMALL_LIMIT, ExpenditureRequest, ExpenditureRule, LedgerLine, Route


@dataclass(frozen=True)
class Thresholds:
    chair_limit: Decimal
    collective_above: Decimal


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
            return Thresholds(chair_limit=row.chair_limit, collective_above=row.collective_above)
    return Thresholds(chair_limit=SMALL_LIMIT, collective_above=COLLECTIVE_ABOVE)


def route_for(*, thresholds: Thresholds, amount: Decimal, major: bool, requester_is_chair: bool) -> str:
    """S5.3: up to the chair's limit the chair approves after the finance officer's check; up to the
    collective threshold the chair and one more union committee member sign (会签); above it, or for
    a major expenditure, the union committee decides at a meeting. A chair's own request goes to the
    union committee: the requester never approves their own request."""
    if major or amount > thresholds.collective_above or requester_is_chair:
        return Route.COLLECTIVE
    if amount > thresholds.chair_limit:
        return Route.COUNTERSIGN
    return Route.CHAIR


def _in_force(union_id: int, **filters):
    return Seat.objects.in_force(timezone.localdate()).filter(union_id=union_id, **filters)


def chair_id(union_id: int) -> int | None:
    seat = _in_force(union_id, role=Role.CHAIR, body__kind=BodyKind.UNION_COMMITTEE).order_by(
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


def spendable_lines(union_id: int, year: int) -> list[BudgetLine]:
    """The expenditure lines of the budget in force, in chart order (S3.1: nothing off-budget)."""
    budget = budget_in_force(union_id, year)
    if budget is None:
        return []
    return list(
        BudgetLine.objects.filter(version_id=budget.current_version_id, account__kind="expenditure")
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
    """The line's amount in the budget version in force (adjustments included), or None off-budget."""
    budget = budget_in_force(union_id, year)
    if budget is None:
        return None
    return (
        BudgetLine.objects.filter(version_id=budget.current_version_id, account_id=account_id)
        .values_list("amount", flat=True)
        .first()
    )


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


def ledger(union_id: int, year: int) -> list[tuple[BudgetLine, LineFigures]]:
    """Every expenditure line of the budget in force with its figures (two queries)."""
    lines = spendable_lines(union_id, year)
    rows = {r.account_id: r for r in LedgerLine.objects.filter(union_id=union_id, year=year)}
    return [
        (
            line,
            LineFigures(
                account_id=line.account_id,
                budgeted=line.amount,
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
    open_statuses = ["finance_check", "chair_approval", "countersign", "committee_approval"]
    qs = ExpenditureRequest.objects.filter(
        union_id=union_id, year=year, account_id=account_id, status__in=open_statuses
    )
    if excluding is not None:
        qs = qs.exclude(pk=excluding)
    return qs.aggregate(total=Sum("amount"))["total"] or Decimal("0")
