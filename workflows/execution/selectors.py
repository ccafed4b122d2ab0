"""Who may see an execution analysis: the union's officers always; supervisors of the unions above
once it is filed (S3.4: filing makes it visible to the upper-level union); nobody else."""

from __future__ import annotations

from decimal import Decimal

from core.selectors import union_access, union_descendants
from workflows.budget.models import AccountKind

from .models import BudgetExecutionReview, ReviewStatus, execution_rate


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
