"""Who may see an execution analysis: the union's officers always; supervisors of the unions above
once it is filed (S3.4: filing makes it visible to the upper-level union); nobody else."""

from __future__ import annotations

from decimal import Decimal

from core.selectors import union_access, union_descendants
from workflows.budget.models import AccountKind
from workflows.expenditure.selectors import live_execution, mark_against_ledger, paid_by_account

from .models import BudgetExecutionReview, ReviewStatus, execution_rate, period_end


def review_visible_to(*, user, review: BudgetExecutionReview, access=None) -> bool:
    access = access or union_access(user=user, union=review.union)
    return access.is_officer or (access.supervised and review.status == ReviewStatus.FILED)


def reviews_for_union(*, user, union, access=None):
    access = access or union_access(user=user, union=union)
    qs = (
        BudgetExecutionReview.objects.filter(union=union)
        .select_related("union")
        .order_by("-fiscal_year", "-period")
    )
    if access.is_officer:
        return qs
    if access.supervised:
        return qs.filter(status=ReviewStatus.FILED)
    return qs.none()


def reviews_filed_below(*, union):
    """The filed analyses of every union below (the upper-level union's page), newest first."""
    return (
        BudgetExecutionReview.objects.filter(
            union__in=union_descendants(union=union), status=ReviewStatus.FILED
        )
        .select_related("union", "filed_by")
        .order_by("-filed_at", "-id")
    )


def review_table(*, review: BudgetExecutionReview) -> dict:
    """Lines with variance and rate, income first, and the totals per kind (one query)."""
    lines = list(review.lines.select_related("account").order_by("account_id"))
    zero = Decimal("0")
    groups = {}
    for kind in (AccountKind.INCOME, AccountKind.EXPENDITURE):
        rows = [line for line in lines if line.account.kind == kind]
        budgeted = sum((line.budgeted for line in rows), zero)
        complete = all(line.actual is not None for line in rows)
        actual = sum((line.actual or zero for line in rows), zero)
        groups[kind] = {
            "lines": rows,
            "budgeted": budgeted,
            "actual": actual if rows else zero,
            "variance": (actual - budgeted) if complete else None,
            "rate": execution_rate(budgeted, actual) if complete else None,
        }
    return {
        "income": groups[AccountKind.INCOME],
        "expenditure": groups[AccountKind.EXPENDITURE],
        "missing": sum(1 for line in lines if line.actual is None),
        "lines": lines,
    }


def ledger_paid(*, review: BudgetExecutionReview) -> dict[str, Decimal]:
    """What the expenditure ledger paid from each line from 1 January to the period's end (one query)."""
    return paid_by_account(
        review.union_id, review.fiscal_year, until=period_end(review.fiscal_year, review.period)
    )


def ledger_comparison(*, review: BudgetExecutionReview, table: dict) -> dict:
    """The table's expenditure lines beside the ledger's paid amounts (issue 26: where typed or imported
    actuals and the ledger both exist, the difference is shown). Empty where the union paid nothing
    through Wuyi by the period's end: its books are elsewhere and there is nothing to compare."""
    paid = ledger_paid(review=review)
    if not paid:
        return {"in_use": False}
    differing = mark_against_ledger(table["lines"], paid)
    expenditure = table["expenditure"]["lines"]
    return {
        "in_use": True,
        "end": period_end(review.fiscal_year, review.period),
        "differing": differing,
        "paid_total": sum((line.ledger_paid for line in expenditure), Decimal("0")),
    }


def live_rates_below(*, union, year: int) -> list[dict]:
    """Each union below with a budget in force for ``year``: expenditure budgeted, paid so far from the
    ledger and the live execution rate (one query, whatever the number of unions)."""
    return [
        {
            "union_name": row.union_name,
            "budgeted": row.budgeted,
            "paid": row.paid,
            "rate": execution_rate(row.budgeted, row.paid),
        }
        for row in live_execution(unions=union_descendants(union=union), year=year)
    ]
