"""S2.3 through services: summary → Party acknowledgement → work report (binding the summary and next
year's plan) → congress (deciding the plan too) → submission upward → acknowledgement or return."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.services.statutory import obligations_generate
from core.statutory import Obligation, ObligationStatus
from tests.factories import plan_sections
from tests.scenarios import (
    acknowledged_summary,
    budget_before_congress,
    congress_decides,
    open_item,
    plan_before_congress,
)
from workflows.budget.models import BudgetStatus
from workflows.models import MeetingItem, Resolution
from workflows.plan.models import PlanStatus
from workflows.plan.services import plan_create, plan_save, plan_submit
from workflows.reports.models import ReportStatus, SubmissionState, SummaryStatus
from workflows.reports.services import (
    report_resubmit,
    report_submit_upward,
    submission_acknowledge,
    submission_return,
    work_report_create,
    work_report_submit,
)
from workflows.services.drafting import Recipient


@pytest.mark.django_db
def test_s2_3_summary_to_work_report_to_submission_and_acknowledgement(cast, tree, supervisor_of):
    obligations_generate(fiscal_year=2026)
    summary = acknowledged_summary(cast)
    assert summary.status == SummaryStatus.IN_FORCE
    # the written report is not the hearing: S1.2 is met only when the Party organisation hears it
    assert Obligation.objects.get(union=cast.union, code="S1.2", fiscal_year=2026).met_on is None
    plan = plan_before_congress(cast)
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
    budget = budget_before_congress(cast, recipients=[Recipient(cast.representatives[1])])
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
def test_upper_union_returns_and_the_union_resubmits(cast, tree, supervisor_of):
    obligations_generate(fiscal_year=2026)
    acknowledged_summary(cast)
    plan_before_congress(cast)
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
def test_congress_return_of_the_report_returns_the_plan_too(cast):
    acknowledged_summary(cast)
    plan = plan_before_congress(cast)
    report = work_report_create(actor=cast.office, union=cast.union, year=2026)
    work_report_submit(actor=cast.office, report=report)
    congress_decides(cast, [open_item(report, "congress_ratification")], Resolution.RETURN, "计划目标需量化")
    report.refresh_from_db()
    plan.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert plan.status == PlanStatus.RETURNED
    # the plan is revised (new version), goes back before the congress; the new report version binds it
    plan_save(actor=cast.office, plan=plan, sections=plan_sections(owner=cast.office))
    plan_submit(actor=cast.office, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.CONGRESS_RATIFICATION
    work_report_submit(actor=cast.office, report=report)
    report.refresh_from_db()
    assert report.current_version.number == 2
    assert report.current_version.bindings.get(document_type="annual_plan").document_version == 2


@pytest.mark.django_db
def test_report_needs_the_acknowledged_summary_and_the_plan_before_the_congress(cast):
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
def test_plan_on_the_agenda_beside_its_report_is_refused(cast):
    acknowledged_summary(cast)
    plan = plan_before_congress(cast)
    report = work_report_create(actor=cast.office, union=cast.union, year=2026)
    work_report_submit(actor=cast.office, report=report)
    with pytest.raises(ValidationError):
        congress_decides(
            cast, [open_item(report, "congress_ratification"), open_item(plan, "congress_ratification")]
        )
