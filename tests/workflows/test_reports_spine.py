"""S2.3 through services: summary → Party acknowledgement → work report (binding the summary and next
year's plan) → congress (deciding the plan too) → submission upward → acknowledgement or return."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import Body
from core.services.statutory import obligations_generate
from core.statutory import Obligation, ObligationStatus
from tests.workflows.test_plan_spine import committee, full_sections, party
from workflows.budget.models import BudgetStatus
from workflows.models import MeetingItem, Resolution, WorkItem, WorkItemState
from workflows.plan.models import PlanStatus
from workflows.plan.services import plan_create, plan_save, plan_submit
from workflows.reports.models import ReportStatus, SubmissionState, SummaryStatus
from workflows.reports.services import (
    report_resubmit,
    report_submit_upward,
    submission_acknowledge,
    submission_return,
    summary_create,
    summary_submit,
    work_report_create,
    work_report_submit,
)
from workflows.services.decisions import AgendaVote, meeting_record, opinion_answer, written_decision_record
from workflows.services.drafting import Recipient


@pytest.fixture
def committee_members(cast):
    from core.models import Role
    from tests.factories import UserFactory, give_seat

    members = [UserFactory(username=f"a1-committee{i}") for i in range(2)]
    for member in members:
        give_seat(member, cast.union, Role.MEMBER, "union_committee")
    return [cast.chair, *members]


def open_item(document, step):
    return WorkItem.objects.get(process=document.process, step=step, state=WorkItemState.OPEN)


def acknowledged_summary(cast, year=2026):
    summary = summary_create(
        actor=cast.office, union=cast.union, year=year, text="全年完成七个方面工作任务。"
    )
    summary_submit(actor=cast.office, summary=summary)
    written_decision_record(
        work_item=open_item(summary, "party_approval"),
        recorder=cast.party_secretary,
        resolution=Resolution.APPROVE,
        reference_number="机党〔2027〕1号",
        decided_on=timezone.localdate(),
    )
    summary.refresh_from_db()
    return summary


def plan_before_congress(cast, members, year=2027):
    plan = plan_create(actor=cast.office, union=cast.union, year=year)
    plan_save(actor=cast.office, plan=plan, sections=full_sections(owner=cast.office))
    plan_submit(
        actor=cast.office,
        plan=plan,
        recipients=[Recipient(cast.representatives[0])],
        due_at=timezone.now() + timezone.timedelta(days=3),
    )
    opinion_answer(
        work_item=open_item(plan, "give_opinion"), actor=cast.representatives[0], answer="no_opinion"
    )
    plan_submit(actor=cast.office, plan=plan)
    plan.refresh_from_db()
    committee(plan, cast, members)
    party(plan, cast)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CONGRESS_RATIFICATION
    return plan


def congress_decides(cast, items, resolution=Resolution.APPROVE, opinions=""):
    body = Body.objects.get(union=cast.union, kind="congress")
    return meeting_record(
        body=body,
        recorder=cast.congress_chair,
        held_on=timezone.localdate(),
        place="礼堂",
        attendee_ids=[p.pk for p in cast.congress],
        votes=[
            AgendaVote(i.pk, resolution, votes_for=6 if resolution == "approve" else 0, opinions=opinions)
            for i in items
        ],
    )


@pytest.mark.django_db
def test_s2_3_summary_to_work_report_to_submission_and_acknowledgement(
    cast, tree, committee_members, supervisor_of
):
    obligations_generate(fiscal_year=2026)
    summary = acknowledged_summary(cast)
    assert summary.status == SummaryStatus.IN_FORCE
    assert Obligation.objects.get(union=cast.union, code="S1.2", fiscal_year=2026).met_on is not None
    plan = plan_before_congress(cast, committee_members)
    report = work_report_create(actor=cast.office, union=cast.union, year=2026)
    bindings = set(
        report.current_version.bindings.values_list("document_type", "document_id", "document_version")
    )
    assert bindings == {
        ("year_end_summary", summary.pk, 1),
        ("annual_plan", plan.pk, plan.current_version.number),
    }
    work_report_submit(actor=cast.office, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.CONGRESS_RATIFICATION
    # one congress decides the work report and another agenda item (a budget)
    from tests.workflows.conftest import BALANCED_LINES
    from tests.workflows.test_budget_spine import answer_all, audit_meeting, consolidate, party_reply
    from workflows.budget.services import budget_create, budget_save_lines, budget_submit

    budget = budget_create(
        actor=cast.office, union=cast.union, year=2027, carryover=20000, carryover_is_estimate=True
    )
    budget_save_lines(
        actor=cast.office, budget=budget, lines=BALANCED_LINES, carryover=20000, carryover_is_estimate=True
    )
    budget_submit(
        actor=cast.office,
        budget=budget,
        recipients=[Recipient(cast.representatives[1])],
        due_at=timezone.now() + timezone.timedelta(days=3),
    )
    answer_all(budget, cast)
    consolidate(budget, cast)
    audit_meeting(budget, cast)
    party_reply(budget, cast)
    congress_decides(
        cast, [open_item(report, "congress_ratification"), open_item(budget, "congress_ratification")]
    )
    for document in (report, plan, budget):
        document.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTING
    assert plan.status == PlanStatus.IN_FORCE  # decided through the report
    assert budget.status == BudgetStatus.IN_FORCE
    assert (
        MeetingItem.objects.filter(work_item__process=plan.process, meeting__body__kind="congress").count()
        == 1
    )
    (submission,) = report_submit_upward(actor=cast.office, report=report)
    assert submission.to_union == tree["dept_a"]
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_FORCE
    s23 = Obligation.objects.get(union=cast.union, code="S2.3", fiscal_year=2026)
    assert s23.met_on is not None
    supervisor = supervisor_of(tree["dept_a"])
    with pytest.raises(PermissionDenied):
        submission_acknowledge(user=cast.chair, submission=submission)
    submission_acknowledge(user=supervisor, submission=submission)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.ACKNOWLEDGED


@pytest.mark.django_db
def test_upper_union_returns_and_the_union_resubmits(cast, tree, committee_members, supervisor_of):
    obligations_generate(fiscal_year=2026)
    acknowledged_summary(cast)
    plan_before_congress(cast, committee_members)
    report = work_report_create(actor=cast.office, union=cast.union, year=2026)
    work_report_submit(actor=cast.office, report=report)
    congress_decides(cast, [open_item(report, "congress_ratification")])
    (submission,) = report_submit_upward(actor=cast.office, report=report)
    supervisor = supervisor_of(tree["dept_a"])
    with pytest.raises(ValidationError):
        submission_return(user=supervisor, submission=submission, opinions=" ")
    submission_return(user=supervisor, submission=submission, opinions="请补充职工书屋建设情况")
    report.refresh_from_db()
    assert report.status == ReportStatus.CORRECTION
    s23 = Obligation.objects.get(union=cast.union, code="S2.3", fiscal_year=2026)
    assert s23.status == ObligationStatus.RETURNED and s23.met_on is None
    (again,) = report_resubmit(actor=cast.office, report=report, text="（修订）增加职工书屋建设情况。")
    report.refresh_from_db()
    assert report.status == ReportStatus.IN_FORCE and report.current_version.number == 2
    assert again.version == report.current_version
    assert report.current_version.bindings.count() == 2
    s23.refresh_from_db()
    assert s23.status == ObligationStatus.MET


@pytest.mark.django_db
def test_congress_return_of_the_report_returns_the_plan_too(cast, committee_members):
    acknowledged_summary(cast)
    plan = plan_before_congress(cast, committee_members)
    report = work_report_create(actor=cast.office, union=cast.union, year=2026)
    work_report_submit(actor=cast.office, report=report)
    congress_decides(cast, [open_item(report, "congress_ratification")], Resolution.RETURN, "计划目标需量化")
    report.refresh_from_db()
    plan.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert plan.status == PlanStatus.RETURNED
    # the plan is revised (new version), goes back before the congress; the new report version binds it
    plan_save(actor=cast.office, plan=plan, sections=full_sections(owner=cast.office))
    plan_submit(actor=cast.office, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CONGRESS_RATIFICATION
    work_report_submit(actor=cast.office, report=report)
    report.refresh_from_db()
    assert report.current_version.number == 2
    assert report.current_version.bindings.get(document_type="annual_plan").document_version == 2


@pytest.mark.django_db
def test_report_needs_the_acknowledged_summary_and_the_plan_before_the_congress(cast, committee_members):
    with pytest.raises(ValidationError):
        work_report_create(actor=cast.office, union=cast.union, year=2026)
    acknowledged_summary(cast)
    with pytest.raises(ValidationError):
        work_report_create(actor=cast.office, union=cast.union, year=2026)
    plan = plan_create(actor=cast.office, union=cast.union, year=2027)
    report = work_report_create(actor=cast.office, union=cast.union, year=2026)
    with pytest.raises(ValidationError) as exc:
        work_report_submit(actor=cast.office, report=report)
    assert "2027" in " ".join(exc.value.messages)
    assert plan.status == PlanStatus.DRAFT


@pytest.mark.django_db
def test_plan_on_the_agenda_beside_its_report_is_refused(cast, committee_members):
    acknowledged_summary(cast)
    plan = plan_before_congress(cast, committee_members)
    report = work_report_create(actor=cast.office, union=cast.union, year=2026)
    work_report_submit(actor=cast.office, report=report)
    with pytest.raises(ValidationError):
        congress_decides(
            cast, [open_item(report, "congress_ratification"), open_item(plan, "congress_ratification")]
        )
