"""Demo final accounts (S3.5), driven through the real services.

- fin-office (省财政厅综合处室基层工会): the 2027 final accounts (actuals on every line of its 2027 budget in
  force), audited by the fund audit committee with its audit report attached, bound with the 2028 budget
  into the report on budget and final accounts, which waits for the congress (record the meeting as
  ``fin-office-office`` or the congress chair; the resolution decides all three, then submit upward).
- fin-centre (省财政厅信息中心基层工会): its 2026 budget put in force, and the 2026 final accounts at the
  fund audit committee (``fin-centre-audit`` attaches the audit report and records the meeting).
- edu-exam (省教育考试院基层工会): its 2026 budget put in force, and the 2026 final accounts waiting for
  nine days at a fund audit committee whose members all left yesterday: nobody can act (issue 24).
  ``edu-exam-chair``, ``edu-supervisor`` and ``prov-supervisor`` are told; the stuck page marks it
  "无人可办理"; seating a new member (the union's seats page) lets the committee act again.

Idempotent: a union that already has final accounts for the demo year is left alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Body, BodyKind, Seat, Union, User
from core.services.seats import seat_end
from workflows.budget.demo import LINES
from workflows.budget.models import Budget, BudgetStatus
from workflows.budget.services import Recipient, budget_create, budget_save_lines, budget_submit
from workflows.models import OpinionAnswer, Resolution, WorkItem, WorkItemState
from workflows.reports.finance_report import finance_report_create
from workflows.reports.services import work_report_submit
from workflows.services.decisions import AgendaVote, meeting_record, written_decision_record
from workflows.services.opinions import opinion_answer

from .models import FinalAccounts
from .services import audit_report_attach, final_accounts_create, final_accounts_save, final_accounts_submit

REPORT_UNION, REPORT_YEAR = "fin-office", 2027
AUDIT_UNION, AUDIT_YEAR = "fin-centre", 2026
VACANT_UNION, VACANT_YEAR, VACANT_WAITING_DAYS = "edu-exam", 2026, 9
# actual / budgeted per account: a little under on most lines, over on a few (within the balance)
RATES = {"401": "1.02", "402": "1.00", "403": "1.00", "50102": "1.05", "50405": "1.10"}
DEFAULT_RATE = "0.94"
AUDIT_REPORT_TEXT = (
    "经费审查委员会审查报告\n\n经审查，{union}{year}年度经费收支决算真实、完整，收支符合预算，"
    "未发现预算外支出。同意提交会员代表大会审议。\n"
)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _open(document, step: str) -> list[WorkItem]:
    return list(
        WorkItem.objects.filter(process=document.process, state=WorkItemState.OPEN, step=step).order_by("id")
    )


def _members(union: Union, kind: str) -> tuple[Body, list[User]]:
    body = Body.objects.get(union=union, kind=kind)
    seats = Seat.objects.in_force().filter(body=body).select_related("person").order_by("person_id")
    return body, list({s.person_id: s.person for s in seats}.values())


def _meeting(union: Union, kind: str, recorder: User, item: WorkItem, minutes: str) -> None:
    body, people = _members(union, kind)
    meeting_record(
        body=body,
        recorder=recorder,
        held_on=timezone.localdate(),
        place="工会会议室",
        attendee_ids=[p.pk for p in people],
        votes=[AgendaVote(item.pk, Resolution.APPROVE, votes_for=len(people))],
        minutes=minutes,
    )


def _actuals(budget: Budget) -> dict[str, Decimal]:
    return {
        line.account_id: (line.amount * Decimal(RATES.get(line.account_id, DEFAULT_RATE))).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        for line in budget.current_version.lines.all()
    }


def _budget_in_force(union: Union, year: int) -> Budget:
    """The union's budget of ``year`` through the whole S3.3 chain (for the final accounts to follow)."""
    office = _user(f"{union.code}-office")
    budget = budget_create(
        actor=office, union=union, year=year, carryover=Decimal("15000.00"), carryover_is_estimate=False
    )
    budget_save_lines(
        actor=office, budget=budget, lines=LINES, carryover=Decimal("15000.00"), carryover_is_estimate=False
    )
    _body, reps = _members(union, BodyKind.CONGRESS)
    budget_submit(
        actor=office,
        budget=budget,
        recipients=[Recipient(p) for p in reps[:2]],
        due_at=timezone.now() + datetime.timedelta(days=5),
    )
    for item in _open(budget, "give_opinion"):
        opinion_answer(work_item=item, actor=item.assignee, answer=OpinionAnswer.NO_OPINION)
    budget_submit(actor=office, budget=budget)
    (audit_item,) = _open(budget, "audit_review")
    _meeting(union, BodyKind.AUDIT_COMMITTEE, _user(f"{union.code}-audit"), audit_item, "同意预算草案。")
    (party_item,) = _open(budget, "party_approval")
    written_decision_record(
        work_item=party_item,
        recorder=_user(f"{union.code}-party"),
        resolution=Resolution.APPROVE,
        reference_number=f"机党〔{year - 1}〕9号",
        decided_on=timezone.localdate(),
    )
    (congress_item,) = _open(budget, "congress_ratification")
    _meeting(union, BodyKind.CONGRESS, office, congress_item, "会员代表大会审议批准了预算。")
    budget.refresh_from_db()
    return budget


def _final_accounts_submitted(union: Union, year: int, budget: Budget) -> FinalAccounts:
    office = _user(f"{union.code}-office")
    fa = final_accounts_create(actor=office, union=union, year=year, note="按预算科目逐项填报实际收支。")
    final_accounts_save(actor=office, final_accounts=fa, actuals=_actuals(budget), source="xlsx")
    final_accounts_submit(actor=office, final_accounts=fa)
    fa.refresh_from_db()
    return fa


def _report_awaiting_congress(union: Union) -> str | None:
    budget = Budget.objects.filter(union=union, year=REPORT_YEAR, status=BudgetStatus.IN_FORCE).first()
    following = Budget.objects.filter(union=union, year=REPORT_YEAR + 1).first()
    if budget is None or following is None or not _open(following, "congress_ratification"):
        return None  # the budget demo did not leave what the report binds
    fa = _final_accounts_submitted(union, REPORT_YEAR, budget)
    auditor = _user(f"{union.code}-audit")
    upload = ContentFile(
        AUDIT_REPORT_TEXT.format(union=union.name, year=REPORT_YEAR).encode(), name="审查报告.txt"
    )
    audit_report_attach(actor=auditor, final_accounts=fa, upload=upload)
    (audit_item,) = _open(fa, "audit_review")
    _meeting(union, BodyKind.AUDIT_COMMITTEE, auditor, audit_item, "经审会审查了决算，同意提交会员代表大会。")
    report = finance_report_create(actor=_user(f"{union.code}-office"), union=union, year=REPORT_YEAR)
    work_report_submit(actor=_user(f"{union.code}-office"), report=report)
    return (
        f"{union.name} {REPORT_YEAR}: 决算已经审查；经费收支预算决算情况报告"
        f"（含{REPORT_YEAR + 1}年预算）待会员代表大会审议"
    )


def _waiting_at_empty_committee(union: Union) -> str | None:
    """The union's final accounts at its fund audit committee, then every member's seat ended
    (seat_end, as on the seats page): core's seat_ended flags the step nobody can take."""
    budget = Budget.objects.filter(union=union, year=VACANT_YEAR).first() or _budget_in_force(
        union, VACANT_YEAR
    )
    if budget.status != BudgetStatus.IN_FORCE:
        return None
    fa = _final_accounts_submitted(union, VACANT_YEAR, budget)
    # waiting long enough to be on the stuck list by default (older than a week)
    since = timezone.now() - datetime.timedelta(days=VACANT_WAITING_DAYS)
    WorkItem.objects.filter(process=fa.process, state=WorkItemState.OPEN).update(created_at=since)
    body = Body.objects.get(union=union, kind=BodyKind.AUDIT_COMMITTEE)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for seat in Seat.objects.in_force().filter(body=body, start_date__lte=yesterday).order_by("id"):
        seat_end(actor=None, seat=seat, end_date=yesterday)
    return f"{union.name} {VACANT_YEAR}: 决算待经费审查委员会审查，该委员会已无在任成员（无人可办理）"


@transaction.atomic
def seed_demo_final_accounts(*, write: Callable[[str], object] | None = None) -> list[str]:
    made: list[str] = []
    union = Union.objects.filter(code=REPORT_UNION).first()
    if union is not None and not FinalAccounts.objects.filter(union=union, year=REPORT_YEAR).exists():
        line = _report_awaiting_congress(union)
        if line:
            made.append(line)
    union = Union.objects.filter(code=AUDIT_UNION).first()
    if union is not None and not FinalAccounts.objects.filter(union=union, year=AUDIT_YEAR).exists():
        budget = Budget.objects.filter(union=union, year=AUDIT_YEAR).first() or _budget_in_force(
            union, AUDIT_YEAR
        )
        if budget.status == BudgetStatus.IN_FORCE:
            _final_accounts_submitted(union, AUDIT_YEAR, budget)
            made.append(f"{union.name} {AUDIT_YEAR}: 决算待经费审查委员会审查（{AUDIT_UNION}-audit）")
    union = Union.objects.filter(code=VACANT_UNION).first()
    if union is not None and not FinalAccounts.objects.filter(union=union, year=VACANT_YEAR).exists():
        line = _waiting_at_empty_committee(union)
        if line:
            made.append(line)
    if write is not None:
        for line in made:
            write(f"  demo final accounts: {line}")
    return made


demo_seeders.register("final accounts", seed_demo_final_accounts, order=60)
