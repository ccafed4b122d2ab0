"""Demo: half-year budget execution analyses (S3.4), through the real services.

省财政厅信息中心基层工会 (its 2026 budget in force): the first half-year analysis filed with the union
committee's note (visible to 省财政厅机关工会's supervisor), the second half-year's started and due.
Idempotent: an analysis that exists is left alone.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Union, User
from workflows.budget.models import AccountKind, Budget, BudgetStatus

from .models import BudgetExecutionReview, Period, period_end
from .services import review_create, review_file, review_save_actuals

UNION = "fin-centre"
NOTE = (
    "工会委员会第三次会议研究：上半年会费和拨缴经费按进度到位；职工活动支出执行偏慢，"
    "下半年按计划组织运动会和送温暖活动，确保全年预算执行率不低于90%。"
)
# Share of each line received or spent in the first half-year (income on schedule, spending behind).
H1_SHARE = {AccountKind.INCOME: Decimal("0.52"), AccountKind.EXPENDITURE: Decimal("0.38")}


def _user(username: str) -> User:
    return User.objects.get(username=username)


@transaction.atomic
def seed_demo_execution(*, write: Callable[[str], object] | None = None) -> list[str]:
    made: list[str] = []
    union = Union.objects.filter(code=UNION).first()
    today = timezone.localdate()
    budget = (
        Budget.objects.filter(union=union, status=BudgetStatus.IN_FORCE, year__lte=today.year)
        .order_by("-year")
        .first()
        if union is not None
        else None
    )
    if budget is None:
        return made
    office = _user(f"{UNION}-office")
    reviews = BudgetExecutionReview.objects.filter(union=union, fiscal_year=budget.year)
    if not reviews.filter(period=Period.H1).exists() and today > period_end(budget.year, Period.H1):
        review = review_create(actor=office, budget=budget, period=Period.H1)
        actuals = {
            line.account_id: (line.budgeted * H1_SHARE[line.account.kind]).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            for line in review.lines.select_related("account")
        }
        review_save_actuals(actor=office, review=review, actuals=actuals)
        review_file(actor=_user(f"{UNION}-chair"), review=review, note=NOTE)
        made.append(f"{union.name} {budget.year} 上半年预算执行分析：已报送（上级工会可见）")
    if not reviews.filter(period=Period.H2).exists():
        review_create(actor=office, budget=budget, period=Period.H2)
        made.append(f"{union.name} {budget.year} 下半年预算执行分析：待填报实际数（次年1月31日前）")
    for line in made:
        if write is not None:
            write(f"  demo execution analysis: {line}")
    return made


demo_seeders.register("execution analyses", seed_demo_execution, order=80)
