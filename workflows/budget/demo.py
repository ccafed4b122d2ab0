"""Demo budgets at every step of the S3.3 chain, driven through the real services.

Idempotent: a union that already has a budget for the demo year is left alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Body, BodyKind, Seat, Union, User
from core.statutory import Obligation, ObligationCode
from notifications.models import Reminder
from notifications.services.reminders import reminders_schedule_work_item
from workflows.budget.models import Budget
from workflows.budget.services import LineInput, Recipient, budget_create, budget_save_lines, budget_submit
from workflows.models import OpinionAnswer, Resolution, WorkItem, WorkItemState
from workflows.services.decisions import AgendaVote, meeting_record, written_decision_record
from workflows.services.opinions import opinion_answer

LINES = [
    LineInput("401", Decimal("126000.00"), "会费按工资总额0.5%"),
    LineInput("402", Decimal("315000.00"), "行政拨缴2%的60%"),
    LineInput("403", Decimal("20000.00")),
    LineInput("50101", Decimal("60000.00"), "职工政治理论学习"),
    LineInput("50102", Decimal("150000.00"), "运动会、文艺汇演"),
    LineInput("50105", Decimal("90000.00"), "节日慰问"),
    LineInput("50302", Decimal("40000.00"), "职工之家设施"),
    LineInput("50405", Decimal("50000.00"), "困难职工送温暖"),
    LineInput("50502", Decimal("30000.00")),
    LineInput("507", Decimal("25000.00"), "活动室设备"),
]

# union code → the step its demo budget stops at
PLAN = {
    "fin-office": "in_force",
    "fin-centre": "audit_review_stuck",
    "edu-office": "soliciting",
    "edu-exam": "returned",
}
DEMO_YEAR = 2027
# Deadline risk (issue 24): this union's budget is still out for opinions while its S3.3 deadline is
# three weeks away, so at its steps' usual durations (65 days left) it cannot be approved in time: the
# oversight risk tab and the home page flag it. The demo's other deadlines are the statutory ones.
AT_RISK = "edu-office"
AT_RISK_DEADLINE_DAYS = 21


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _open(budget: Budget, step: str | None = None) -> list[WorkItem]:
    qs = WorkItem.objects.filter(process=budget.process, state=WorkItemState.OPEN)
    if step:
        qs = qs.filter(step=step)
    return list(qs.order_by("id"))


def _members(union: Union, kind: str) -> list[User]:
    body = Body.objects.get(union=union, kind=kind)
    return [s.person for s in Seat.objects.in_force().filter(body=body).select_related("person")]


def _age(items: list[WorkItem], days: int) -> None:
    """Move items back in time so that the demo shows overdue and stuck work."""
    now = timezone.now()
    ids = [i.pk for i in items]
    WorkItem.objects.filter(pk__in=ids).update(
        created_at=now - datetime.timedelta(days=days + 14), due_at=now - datetime.timedelta(days=days)
    )
    # the deadline moved: its pending reminders go, the next occasion (an escalation) is scheduled
    Reminder.objects.filter(subject_kind="work_item", subject_id__in=ids, state="pending").delete()
    for item in WorkItem.objects.filter(pk__in=ids).select_related("union"):
        reminders_schedule_work_item(item=item)


def _approve_at_meeting(
    union: Union, kind: str, recorder: User, item: WorkItem, place: str, minutes: str = ""
) -> None:
    """The body meets today, every member present, and approves the item unanimously."""
    members = _members(union, kind)
    meeting_record(
        body=Body.objects.get(union=union, kind=kind),
        recorder=recorder,
        held_on=timezone.localdate(),
        place=place,
        attendee_ids=[p.pk for p in members],
        votes=[AgendaVote(item.pk, Resolution.APPROVE, votes_for=len(members))],
        minutes=minutes,
    )


@transaction.atomic
def seed_demo_budgets(*, write: Callable[[str], object] = print) -> None:
    made = []
    for code, goal in PLAN.items():
        union = Union.objects.get(code=code)
        if Budget.objects.filter(union=union, year=DEMO_YEAR).exists():
            continue
        made.append(f"{union.name}: {_budget_to(union, goal)}")
        if code == AT_RISK:
            made.append(f"{union.name}: {_deadline_close(union)}")
    # a second budget in fin-office waits at the congress for the next year
    union = Union.objects.get(code="fin-office")
    if not Budget.objects.filter(union=union, year=DEMO_YEAR + 1).exists():
        made.extend(_budget_at_congress(union))
    for line in made:
        write(f"  demo budget: {line}")


def _deadline_close(union: Union) -> str:
    """The union's S3.3 of the demo year falls due in AT_RISK_DEADLINE_DAYS (the calendar's seeder,
    later, keeps an obligation that exists)."""
    due = timezone.localdate() + datetime.timedelta(days=AT_RISK_DEADLINE_DAYS)
    Obligation.objects.update_or_create(
        union=union, code=ObligationCode.BUDGET, fiscal_year=DEMO_YEAR, period="", defaults={"due_date": due}
    )
    return f"S3.3 期限 {due:%Y-%m-%d}（到期风险）"


def _budget_submitted(union: Union, office: User) -> Budget:
    """The demo year's budget, drafted and sent for opinions to three congress representatives and
    the chairs of the union's groups."""
    budget = budget_create(
        actor=office,
        union=union,
        year=DEMO_YEAR,
        carryover=Decimal("18000.00"),
        carryover_is_estimate=True,
        note="上年结转为估计数，待决算审计后更新。",
    )
    budget_save_lines(
        actor=office,
        budget=budget,
        lines=LINES,
        carryover=Decimal("18000.00"),
        carryover_is_estimate=True,
        note="上年结转为估计数，待决算审计后更新。",
    )
    reps = [
        s.person
        for s in Seat.objects.in_force()
        .filter(union=union, body__kind=BodyKind.CONGRESS)
        .select_related("person")[:3]
    ]
    recipients = [Recipient(p) for p in reps]
    group_leaders = Seat.objects.in_force().filter(union__parent=union, role="chair", body__isnull=True)
    recipients += [Recipient(s.person, s.union) for s in group_leaders.select_related("person", "union")]
    budget_submit(
        actor=office,
        budget=budget,
        recipients=recipients,
        due_at=timezone.now() + datetime.timedelta(days=5),
    )
    return budget


def _budget_to(union: Union, goal: str) -> str:
    """Drive the union's demo budget to ``goal`` (a value of PLAN); what the demo list says of it."""
    code = union.code
    office = _user(f"{code}-office")
    budget = _budget_submitted(union, office)
    opinions = _open(budget, "give_opinion")
    if goal == "soliciting":
        opinion_answer(
            work_item=opinions[0],
            actor=opinions[0].assignee,
            answer=OpinionAnswer.OPINION,
            text="建议适当提高送温暖经费。",
        )
        _age(opinions[1:2], 2)  # one recipient is late: reminders and escalation have something to do
        return "征求意见中"
    for item in opinions:
        opinion_answer(work_item=item, actor=item.assignee, answer=OpinionAnswer.NO_OPINION)
    budget_submit(actor=office, budget=budget)  # consolidation done
    (audit_item,) = _open(budget, "audit_review")
    if goal == "audit_review_stuck":
        _age([audit_item], 12)
        return "经审会审查（已逾期12天）"
    _approve_at_meeting(
        union,
        BodyKind.AUDIT_COMMITTEE,
        _user(f"{code}-audit"),
        audit_item,
        "工会会议室",
        "经审会审查了预算草案，同意提交同级党组织审定。",
    )
    (party_item,) = _open(budget, "party_approval")
    if goal == "returned":
        written_decision_record(
            work_item=party_item,
            recorder=_user(f"{code}-party"),
            resolution=Resolution.RETURN,
            reference_number="机党〔2026〕31号",
            decided_on=timezone.localdate(),
            opinions="文体活动支出占比偏高，请压减后重新报送。",
        )
        return "党组织退回修改"
    written_decision_record(
        work_item=party_item,
        recorder=_user(f"{code}-party"),
        resolution=Resolution.APPROVE,
        reference_number="机党〔2026〕28号",
        decided_on=timezone.localdate(),
    )
    (congress_item,) = _open(budget, "congress_ratification")
    _approve_at_meeting(
        union, BodyKind.CONGRESS, office, congress_item, "机关礼堂", "会员代表大会审议批准了预算草案。"
    )
    return "已生效"


def _budget_at_congress(union: Union) -> list[str]:
    code = union.code
    office = _user(f"{code}-office")
    budget = budget_create(
        actor=office,
        union=union,
        year=DEMO_YEAR + 1,
        carryover=Decimal("30000.00"),
        carryover_is_estimate=True,
    )
    budget_save_lines(
        actor=office, budget=budget, lines=LINES, carryover=Decimal("30000.00"), carryover_is_estimate=True
    )
    budget_submit(
        actor=office,
        budget=budget,
        recipients=[Recipient(_user(f"{code}-rep1"))],
        due_at=timezone.now() + datetime.timedelta(days=3),
    )
    for item in _open(budget, "give_opinion"):
        opinion_answer(work_item=item, actor=item.assignee, answer=OpinionAnswer.NO_OPINION)
    budget_submit(actor=office, budget=budget)
    (audit_item,) = _open(budget, "audit_review")
    _approve_at_meeting(union, BodyKind.AUDIT_COMMITTEE, _user(f"{code}-audit"), audit_item, "工会会议室")
    (party_item,) = _open(budget, "party_approval")
    written_decision_record(
        work_item=party_item,
        recorder=_user(f"{code}-party"),
        resolution=Resolution.APPROVE,
        reference_number="机党〔2026〕40号",
        decided_on=timezone.localdate(),
    )
    return [f"{union.name} {DEMO_YEAR + 1}: 待会员代表大会审议"]


demo_seeders.register("budgets", seed_demo_budgets, order=20)
