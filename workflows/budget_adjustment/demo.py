"""Demo: a budget adjustment in progress (S3.4), driven through the real services.

省财政厅综合处室基层工会 adjusts its budget in force whose window is still open: more for culture
and sports, paid by a subsidy from the upper-level union; the fund audit committee has consented and
the Party organisation's reply is awaited. Idempotent: a budget that already has an adjustment is left
alone.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Body, BodyKind, Seat, Union, User
from workflows.budget.models import Budget, BudgetStatus
from workflows.budget.services import LineInput
from workflows.models import Resolution, WorkItem, WorkItemState
from workflows.services.decisions import AgendaVote, meeting_record

from .models import BudgetAdjustment
from .services import adjustment_create, adjustment_save_lines, adjustment_submit, window_open

UNION = "fin-office"
REASON = "省直机关职工运动会提前至今年举办，需增加文体活动支出2万元，由上级工会专项补助解决。"


def _user(username: str) -> User:
    return User.objects.get(username=username)


@transaction.atomic
def seed_demo_adjustments(*, write: Callable[[str], object] | None = None) -> list[str]:
    made: list[str] = []
    union = Union.objects.filter(code=UNION).first()
    if union is None:
        return made
    budget = next(
        (
            b
            for b in Budget.objects.filter(union=union, status=BudgetStatus.IN_FORCE).order_by("year")
            if window_open(union=union, year=b.year)
        ),
        None,
    )
    if budget is None or BudgetAdjustment.objects.filter(budget=budget).exists():
        return made
    office = _user(f"{UNION}-office")
    adjustment = adjustment_create(actor=office, budget=budget, reason=REASON)
    lines = []
    for line in budget.current_version.lines.all():
        amount = line.amount
        if line.account_id in ("403", "50102"):
            amount += Decimal("20000.00")
        lines.append(LineInput(line.account_id, amount, line.remark))
    if not any(line.account_code == "403" for line in lines):
        lines.append(LineInput("403", Decimal("20000.00"), "上级工会专项补助"))
    adjustment_save_lines(
        actor=office,
        adjustment=adjustment,
        lines=lines,
        carryover=budget.current_version.carryover,
        carryover_is_estimate=budget.current_version.carryover_is_estimate,
        reason=REASON,
    )
    adjustment_submit(actor=office, adjustment=adjustment)
    item = WorkItem.objects.get(process=adjustment.process, state=WorkItemState.OPEN, step="audit_review")
    body = Body.objects.get(union=union, kind=BodyKind.AUDIT_COMMITTEE)
    members = [s.person for s in Seat.objects.in_force().filter(body=body).select_related("person")]
    meeting_record(
        body=body,
        recorder=_user(f"{UNION}-audit"),
        held_on=timezone.localdate(),
        place="工会会议室",
        attendee_ids=[p.pk for p in members],
        votes=[AgendaVote(item.pk, Resolution.APPROVE, votes_for=len(members))],
        minutes="经审会审查了预算调整方案，收支平衡，同意报同级党组织审定。",
    )
    made.append(f"{union.name} {budget.year}: 预算调整待同级党组织审定（{UNION}-party）")
    for line in made:
        if write is not None:
            write(f"  demo adjustment: {line}")
    return made


demo_seeders.register("budget adjustments", seed_demo_adjustments, order=70)
