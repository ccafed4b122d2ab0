"""Demo data for the upward summaries (issue 33), run by ``seed_demo`` after the other demo modules
(imported by ``oversight.demo``). Idempotent: nothing is made when fin-office has its budget of YEAR.

The budget demo leaves the department 省财政厅机关工会 (``fin``, its supervisor ``fin-supervisor``) with
fin-centre's budget in force for 2026 and fin-office's for 2027; the final accounts demo leaves no final
accounts in force. Here fin-office gets, through the real services, its YEAR budget in force, its YEAR
final accounts audited and its YEAR + 1 budget, both approved by the congress through the report on
budget and final accounts. The department's summary then shows, for YEAR, final accounts summed with
fin-centre listed as not submitted (no budget, no final accounts) and, for YEAR + 1 (2026), the budgets
of both unions summed with fin-centre's final accounts at its fund audit committee.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import demo_seeders
from core.models import Body, BodyKind, Seat, Union, User
from workflows.budget.demo import LINES
from workflows.budget.models import Budget
from workflows.budget.services import Recipient, budget_create, budget_save_lines, budget_submit
from workflows.final_accounts.services import (
    audit_report_attach,
    final_accounts_create,
    final_accounts_save,
    final_accounts_submit,
)
from workflows.models import OpinionAnswer, Resolution, WorkItem, WorkItemState
from workflows.reports.finance_report import finance_report_create
from workflows.reports.services import work_report_submit
from workflows.services.decisions import AgendaVote, meeting_record, written_decision_record
from workflows.services.member_congress import member_congress_size
from workflows.services.opinions import opinion_answer

UNION, YEAR = "fin-office", 2025
# actual / budgeted: most lines a little under, two over (within the balance)
RATES = {"401": "1.03", "50102": "1.08"}
DEFAULT_RATE = "0.92"


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _open(document, step: str) -> WorkItem:
    return WorkItem.objects.filter(process=document.process, state=WorkItemState.OPEN, step=step).get()


def _approve(union: Union, kind: str, recorder: User, item: WorkItem) -> None:
    """The body meets today, every member present, and approves the item unanimously."""
    body = Body.objects.get(union=union, kind=kind)
    people = {s.person_id for s in Seat.objects.in_force().filter(body=body)}
    today = timezone.localdate()
    # a union whose members' register is kept and small holds a member congress: every member attends
    members = member_congress_size(body=body, day=today)
    meeting_record(
        body=body,
        recorder=recorder,
        held_on=today,
        place="工会会议室",
        attendee_ids=sorted(people),
        members_present=members,
        votes=[AgendaVote(item.pk, Resolution.APPROVE, votes_for=members or len(people))],
    )


def _budget_to_congress(union: Union, year: int, carryover: Decimal) -> Budget:
    """The year's budget through opinions, the fund audit committee and the Party organisation."""
    office = _user(f"{union.code}-office")
    budget = budget_create(
        actor=office, union=union, year=year, carryover=carryover, carryover_is_estimate=False
    )
    budget_save_lines(
        actor=office, budget=budget, lines=LINES, carryover=carryover, carryover_is_estimate=False
    )
    budget_submit(
        actor=office,
        budget=budget,
        recipients=[Recipient(_user(f"{union.code}-rep1"))],
        due_at=timezone.now() + datetime.timedelta(days=5),
    )
    item = _open(budget, "give_opinion")
    opinion_answer(work_item=item, actor=item.assignee, answer=OpinionAnswer.NO_OPINION)
    budget_submit(actor=office, budget=budget)
    _approve(union, BodyKind.AUDIT_COMMITTEE, _user(f"{union.code}-audit"), _open(budget, "audit_review"))
    written_decision_record(
        work_item=_open(budget, "party_approval"),
        recorder=_user(f"{union.code}-party"),
        resolution=Resolution.APPROVE,
        reference_number=f"机党〔{year - 1}〕12号",
        decided_on=timezone.localdate(),
    )
    return budget


def _final_accounts_audited(union: Union, budget: Budget):
    office, auditor = _user(f"{union.code}-office"), _user(f"{union.code}-audit")
    fa = final_accounts_create(actor=office, union=union, year=budget.year)
    actuals = {
        line.account_id: (line.amount * Decimal(RATES.get(line.account_id, DEFAULT_RATE))).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        for line in budget.current_version.lines.all()
    }
    final_accounts_save(actor=office, final_accounts=fa, actuals=actuals)
    final_accounts_submit(actor=office, final_accounts=fa)
    text = f"经审查，{union.name}{budget.year}年度经费收支决算真实、完整，同意提交会员代表大会审议。\n"
    audit_report_attach(
        actor=auditor, final_accounts=fa, upload=ContentFile(text.encode(), name="审查报告.txt")
    )
    _approve(union, BodyKind.AUDIT_COMMITTEE, auditor, _open(fa, "audit_review"))
    return fa


# The chains here run in a moment, so their steps are moved back beyond the window of usual durations
# (workflows.forecast): steps taken in no time must not shorten the forecast that flags the demo's
# budget at risk (workflows.budget.demo.AT_RISK).
INTO_THE_PAST = datetime.timedelta(days=400)


def _into_the_past(documents) -> None:
    items = WorkItem.objects.filter(process_id__in=[d.process_id for d in documents])
    items.update(created_at=F("created_at") - INTO_THE_PAST, finished_at=F("finished_at") - INTO_THE_PAST)


@transaction.atomic
def seed_demo_upward(*, write: Callable[[str], object] = print) -> None:
    union = Union.objects.filter(code=UNION).first()
    if union is None or Budget.objects.filter(union=union, year=YEAR).exists():
        return
    if Budget.objects.filter(union=union, year=YEAR + 1).exists():
        return  # the year after is someone else's demo: the report could not bind it
    office = _user(f"{union.code}-office")
    budget = _budget_to_congress(union, YEAR, Decimal("12000.00"))
    _approve(union, BodyKind.CONGRESS, office, _open(budget, "congress_ratification"))
    budget.refresh_from_db()
    final_accounts = _final_accounts_audited(union, budget)
    next_budget = _budget_to_congress(union, YEAR + 1, Decimal("16000.00"))
    report = finance_report_create(actor=office, union=union, year=YEAR)
    work_report_submit(actor=office, report=report)
    _approve(union, BodyKind.CONGRESS, office, _open(report, "congress_ratification"))
    _into_the_past([budget, final_accounts, next_budget, report])
    write(
        f"  demo upward summaries: {union.name} {YEAR} budget and final accounts and {YEAR + 1} budget"
        f" in force (the summaries of its department union for {YEAR} and {YEAR + 1})"
    )


demo_seeders.register("upward summaries", seed_demo_upward, order=98)
