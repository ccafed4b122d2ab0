"""Documents driven through their steps as the people of a union do: the drafter submits the draft, the
recipients give their opinions, the drafter consolidates them, the fund audit committee and the union
committee meet, the Party organisation decides in writing, the congress meets. Every step goes
through the project's services; ``drive`` takes a document along its chain, approving each step."""

from __future__ import annotations

import datetime
import zoneinfo

import time_machine
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from tests.factories import (
    Cast,
    audit_report_file,
    body_of,
    make_adjustment,
    make_budget,
    make_plan,
    make_summary,
)
from workflows.budget.models import Budget, BudgetStatus
from workflows.budget.services import budget_submit
from workflows.budget_adjustment.models import BudgetAdjustment
from workflows.budget_adjustment.services import adjustment_submit
from workflows.final_accounts.models import FinalAccounts
from workflows.final_accounts.services import audit_report_attach, final_accounts_submit
from workflows.models import OpinionAnswer, Resolution, WorkItem, WorkItemState
from workflows.plan.models import AnnualPlan
from workflows.plan.services import plan_submit
from workflows.reports.models import YearEndSummary
from workflows.reports.services import summary_submit
from workflows.services.decisions import AgendaVote, MeetingResult, meeting_record, written_decision_record
from workflows.services.drafting import Recipient
from workflows.services.opinions import opinion_answer

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


# --- time ---------------------------------------------------------------------------------------------


def at(*args) -> datetime.datetime:
    """An aware moment in Asia/Shanghai: at(2026, 9, 30, 23, 59)."""
    return datetime.datetime(*args, tzinfo=SHANGHAI)


def travel(moment: datetime.datetime):
    return time_machine.travel(moment, tick=False)


# --- the open work items ------------------------------------------------------------------------------


def open_items(document, step: str | None = None) -> list[WorkItem]:
    """The document's open work items, oldest first, of one step if given."""
    items = WorkItem.objects.filter(process=document.process, state=WorkItemState.OPEN)
    if step:
        items = items.filter(step=step)
    return list(items.order_by("id"))


def open_item(document, step: str) -> WorkItem:
    """The one open work item of the step (raises if there is none or more than one)."""
    return WorkItem.objects.get(process=document.process, step=step, state=WorkItemState.OPEN)


def assert_consistent(budget: Budget) -> None:
    """Document, process and work items never disagree."""
    budget.refresh_from_db()
    items = open_items(budget)
    open_tasks = Task.objects.filter(process=budget.process, flow_task_type="HUMAN").exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED]
    )
    assert sorted(i.task_id for i in items) == sorted(open_tasks.values_list("id", flat=True))
    for item in items:
        assert item.task.status in (STATUS.NEW, STATUS.ASSIGNED)
    if budget.status in (BudgetStatus.IN_FORCE, BudgetStatus.WITHDRAWN):
        assert not items
        assert budget.process.status in ("DONE", "CANCELED")
    else:
        assert items, budget.status
        assert budget.process.status == "NEW"


# --- the steps, one person or body at a time -------------------------------------------------------------


def _submit(document, cast: Cast, **kwargs):
    """The drafter's submit service of the document's kind."""
    if isinstance(document, Budget):
        return budget_submit(actor=cast.office, budget=document, **kwargs)
    if isinstance(document, AnnualPlan):
        return plan_submit(actor=cast.office, plan=document, **kwargs)
    if isinstance(document, BudgetAdjustment):
        return adjustment_submit(actor=cast.office, adjustment=document, **kwargs)
    if isinstance(document, FinalAccounts):
        return final_accounts_submit(actor=cast.office, final_accounts=document, **kwargs)
    raise TypeError(f"no submit for {type(document).__name__}")


def submit_draft(document, cast: Cast, recipients: list[Recipient] | None = None, *, days: int = 7):
    """The drafter sends the draft out for opinions (to a representative unless ``recipients``), due in
    ``days`` days."""
    return _submit(
        document,
        cast,
        recipients=recipients or [Recipient(cast.representatives[0])],
        due_at=timezone.now() + datetime.timedelta(days=days),
    )


def answer_all(
    document, cast: Cast | None = None, *, answer=OpinionAnswer.OPINION, text="建议增加职工书屋经费"
):
    """Every recipient of the solicitation answers (an opinion, or no opinion). ``cast`` is not needed:
    it is taken as every step's action takes it (``STEP_ACTIONS``)."""
    for item in open_items(document):
        assert item.step == "give_opinion", item.step
        opinion_answer(
            work_item=item,
            actor=item.assignee,
            answer=answer,
            text=text if answer == OpinionAnswer.OPINION else "",
        )


def consolidate(document, cast: Cast):
    """The drafter consolidates the opinions (or, for a document without a solicitation, submits)."""
    return _submit(document, cast)


def congress_decides(
    cast: Cast, items: list[WorkItem], resolution=Resolution.APPROVE, opinions=""
) -> MeetingResult:
    """One congress meeting deciding every item on its agenda, all representatives present."""
    return _meeting(cast, "congress", items, resolution, opinions, place="礼堂")


def _meeting(cast: Cast, body_kind: str, items, resolution, opinions, *, place="会议室") -> MeetingResult:
    recorder, attendees = {
        "audit_committee": (cast.audit_director, cast.audit_committee),
        "union_committee": (cast.chair, cast.committee),
        "congress": (cast.congress_chair, cast.congress),
    }[body_kind]
    approve = resolution == Resolution.APPROVE
    return meeting_record(
        body=body_of(cast.union, body_kind),
        recorder=recorder,
        held_on=timezone.localdate(),
        place=place,
        attendee_ids=[p.pk for p in attendees],
        votes=[
            AgendaVote(
                item.pk,
                resolution,
                votes_for=len(attendees) if approve else 0,
                votes_against=0 if approve else len(attendees),
                opinions=opinions,
            )
            for item in items
        ],
    )


def audit_meeting(document, cast: Cast, resolution=Resolution.APPROVE, opinions="") -> MeetingResult:
    """The fund audit committee meets on the document, all its members present."""
    return _meeting(cast, "audit_committee", [open_item(document, "audit_review")], resolution, opinions)


def committee_meeting(document, cast: Cast, resolution=Resolution.APPROVE, opinions="") -> MeetingResult:
    """The union committee meets on the document (a plan's study, an adjustment's approval)."""
    item = WorkItem.objects.get(
        process=document.process,
        step__in=["committee_meeting", "committee_approval"],
        state=WorkItemState.OPEN,
    )
    return _meeting(cast, "union_committee", [item], resolution, opinions)


def party_reply(
    document, cast: Cast, resolution=Resolution.APPROVE, opinions="", *, number="机党〔2026〕12号"
):
    """The Party organisation's written decision (its reply, 批复) on the document."""
    return written_decision_record(
        work_item=open_item(document, "party_approval"),
        recorder=cast.party_secretary,
        resolution=resolution,
        reference_number=number,
        decided_on=timezone.localdate(),
        opinions=opinions,
    )


def congress_meeting(document, cast: Cast, resolution=Resolution.APPROVE, opinions="") -> MeetingResult:
    """The congress meets on the document alone."""
    return congress_decides(cast, [open_item(document, "congress_ratification")], resolution, opinions)


# What the people of each step do; the meetings and the written decision approve unless told otherwise.
STEP_ACTIONS = {
    "give_opinion": answer_all,
    "consolidate": consolidate,
    "audit_review": audit_meeting,
    "committee_meeting": committee_meeting,
    "committee_approval": committee_meeting,
    "party_approval": party_reply,
    "congress_ratification": congress_meeting,
}


def drive(document, cast: Cast, *, until: str | None = None):
    """Approve the document's open step after step until the step ``until`` is open (or none is)."""
    for _ in range(len(STEP_ACTIONS) + 1):
        items = open_items(document)
        if not items or any(item.step == until for item in items):
            break
        STEP_ACTIONS[items[0].step](document, cast)
    else:
        raise AssertionError(f"{document} did not reach {until}")
    document.refresh_from_db()
    if until:
        assert open_items(document, until), (document.status, until)
    return document


# --- documents at the step a test starts from ----------------------------------------------------------


def to_audit_review(document, cast: Cast) -> WorkItem:
    """Every recipient answers "no opinion", the drafter consolidates: the fund audit committee's item."""
    answer_all(document, answer=OpinionAnswer.NO_OPINION)
    consolidate(document, cast)
    document.refresh_from_db()
    assert document.status == "audit_review", document.status
    return open_item(document, "audit_review")


def budget_before_congress(cast: Cast, *, year: int = 2027, recipients=None, **budget_fields) -> Budget:
    """A budget sent out, its opinions in, consolidated, approved by the audit committee and the Party
    organisation: waiting for the congress."""
    budget = submit_draft(make_budget(cast, year=year, **budget_fields), cast, recipients)
    drive(budget, cast, until="congress_ratification")
    assert budget.status == BudgetStatus.CONGRESS_RATIFICATION
    return budget


def budget_in_force(cast: Cast, *, year: int = 2026, **budget_fields) -> Budget:
    """A budget through the whole S3.3 chain."""
    budget = budget_before_congress(cast, year=year, **budget_fields)
    drive(budget, cast)
    assert budget.status == BudgetStatus.IN_FORCE
    return budget


def plan_at_committee(cast: Cast, *, year: int = 2027, sections=None, recipients=None) -> AnnualPlan:
    """A plan sent out (to the union group's leader unless ``recipients``), its opinions in and
    consolidated: before the union committee."""
    plan = make_plan(cast, year=year, sections=sections)
    submit_draft(plan, cast, recipients or [Recipient(cast.group_leader, cast.group)], days=5)
    return drive(plan, cast, until="committee_meeting")


def plan_before_congress(cast: Cast, *, year: int = 2027) -> AnnualPlan:
    """A plan asked of a representative, studied by the union committee, consented to by the Party
    organisation: waiting for the congress (on its own or through the work report)."""
    plan = plan_at_committee(cast, year=year, recipients=[Recipient(cast.representatives[0])])
    drive(plan, cast, until="congress_ratification")
    assert plan.status == "congress_ratification"
    return plan


def plan_in_force(cast: Cast, *, year: int = 2027, sections=None, recipients=None) -> AnnualPlan:
    plan = drive(plan_at_committee(cast, year=year, sections=sections, recipients=recipients), cast)
    assert plan.status == "in_force"
    return plan


def acknowledged_summary(cast: Cast, *, year: int = 2026) -> YearEndSummary:
    """The year-end summary reported to the Party organisation and acknowledged in writing."""
    summary = make_summary(cast, year=year)
    summary_submit(actor=cast.office, summary=summary)
    party_reply(summary, cast, number="机党〔2027〕1号")
    summary.refresh_from_db()
    return summary


def final_accounts_audited(cast: Cast, final_accounts: FinalAccounts) -> FinalAccounts:
    """Submitted, the audit report attached, approved by the fund audit committee: waiting for the
    congress (through the report on budget and final accounts)."""
    final_accounts_submit(actor=cast.office, final_accounts=final_accounts)
    audit_report_attach(actor=cast.audit_director, final_accounts=final_accounts, upload=audit_report_file())
    audit_meeting(final_accounts, cast)
    final_accounts.refresh_from_db()
    return final_accounts


def adjustment_submitted(cast: Cast, budget: Budget, **adjustment_fields) -> BudgetAdjustment:
    """An adjustment of the budget in force, submitted to the fund audit committee."""
    adjustment = make_adjustment(cast, budget, **adjustment_fields)
    adjustment_submit(actor=cast.office, adjustment=adjustment)
    adjustment.refresh_from_db()
    return adjustment
