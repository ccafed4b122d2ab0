"""S2.3: the year-end summary is reported in writing to the Party organisation; merged with next
year's plan into the work report, which the congress approves and the union submits upward."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from core.models import BodyKind
from workflows.flowbase import DocumentFlowMixin, approved, human
from workflows.steps import Actor, StepSpec, steps_by_name

from .models import ReportStatus, SummaryStatus

SUMMARY_STEPS = steps_by_name(
    StepSpec(
        "draft",
        _("Write the year-end summary"),
        Actor.DRAFTER,
        SummaryStatus.DRAFT,
        14,
        description="年度工作总结",
    ),
    StepSpec(
        "party_approval",
        _("Report in writing to the Party organisation"),
        BodyKind.PARTY_ORGANIZATION,
        SummaryStatus.PARTY_REPORT,
        14,
        description="书面报告同级党组织",
    ),
    StepSpec("revise", _("Revise the returned summary"), Actor.DRAFTER, SummaryStatus.RETURNED, 7),
)
SUMMARY_CHAIN = ["draft", "party_approval"]

REPORT_STEPS = steps_by_name(
    StepSpec(
        "draft",
        _("Draft the work report"),
        Actor.DRAFTER,
        ReportStatus.DRAFT,
        14,
        description="合并年度总结与下年度计划形成工作报告",
    ),
    StepSpec(
        "congress_ratification",
        _("Congress review and approval"),
        BodyKind.CONGRESS,
        ReportStatus.CONGRESS_RATIFICATION,
        30,
        description="会员（代表）大会审议批准",
    ),
    StepSpec(
        "submit_upward",
        _("Submit to the upper-level union"),
        Actor.DRAFTER,
        ReportStatus.SUBMITTING,
        7,
        description="报送上一级工会",
    ),
    StepSpec("revise", _("Revise the returned report"), Actor.DRAFTER, ReportStatus.RETURNED, 7),
)
REPORT_CHAIN = ["draft", "congress_ratification", "submit_upward"]


class YearEndSummaryFlow(DocumentFlowMixin, flow.Flow):
    lock_impl = lock.select_for_update_lock
    process_title = _("Year-end summary")

    start = flow.StartHandle(this.start_document).Next(this.draft)
    draft = human(SUMMARY_STEPS["draft"]).Next(this.party_approval)
    party_approval = human(SUMMARY_STEPS["party_approval"]).Next(this.check_party_approval)
    check_party_approval = flow.If(approved("party_approval")).Then(this.acknowledge).Else(this.revise)
    revise = human(SUMMARY_STEPS["revise"]).Next(this.party_approval)
    acknowledge = flow.Function(this.document_in_force).Next(this.end)
    end = flow.End()


class WorkReportFlow(DocumentFlowMixin, flow.Flow):
    lock_impl = lock.select_for_update_lock
    process_title = _("Work report")

    start = flow.StartHandle(this.start_document).Next(this.draft)
    draft = human(REPORT_STEPS["draft"]).Next(this.congress_ratification)
    congress_ratification = human(REPORT_STEPS["congress_ratification"]).Next(
        this.check_congress_ratification
    )
    check_congress_ratification = (
        flow.If(approved("congress_ratification")).Then(this.submit_upward).Else(this.revise)
    )
    submit_upward = human(REPORT_STEPS["submit_upward"]).Next(this.submitted)
    revise = human(REPORT_STEPS["revise"]).Next(this.congress_ratification)
    submitted = flow.Function(this.document_in_force).Next(this.end)
    end = flow.End()


FINANCE_REPORT_STEPS = steps_by_name(
    StepSpec(
        "draft",
        _("Draft the report on budget and final accounts"),
        Actor.DRAFTER,
        ReportStatus.DRAFT,
        14,
        description="合并决算与下年度预算形成经费收支预算决算情况报告",
    ),
    StepSpec(
        "congress_ratification",
        _("Congress review and approval"),
        BodyKind.CONGRESS,
        ReportStatus.CONGRESS_RATIFICATION,
        30,
        description="会员（代表）大会审议批准",
    ),
    StepSpec(
        "submit_upward",
        _("Submit to the upper-level union and the provincial organs union"),
        Actor.DRAFTER,
        ReportStatus.SUBMITTING,
        7,
        description="报送上一级工会和省直工会",
    ),
    StepSpec("revise", _("Revise the returned report"), Actor.DRAFTER, ReportStatus.RETURNED, 7),
)


class FinanceReportFlow(DocumentFlowMixin, flow.Flow):
    """S3.5: the report on budget and final accounts (经费收支预算决算情况报告) binds the year's audited
    final accounts and next year's budget; the congress's resolution on it decides both; it is submitted
    to the upper-level union and the provincial organs union by the end of February (S3.5 met then).
    Its documents are congress reports (the CongressReport model) of the finance_report kind."""

    lock_impl = lock.select_for_update_lock
    process_title = _("Report on budget and final accounts")

    start = flow.StartHandle(this.start_document).Next(this.draft)
    draft = human(FINANCE_REPORT_STEPS["draft"]).Next(this.congress_ratification)
    congress_ratification = human(FINANCE_REPORT_STEPS["congress_ratification"]).Next(
        this.check_congress_ratification
    )
    check_congress_ratification = (
        flow.If(approved("congress_ratification")).Then(this.submit_upward).Else(this.revise)
    )
    submit_upward = human(FINANCE_REPORT_STEPS["submit_upward"]).Next(this.submitted)
    revise = human(FINANCE_REPORT_STEPS["revise"]).Next(this.congress_ratification)
    submitted = flow.Function(this.document_in_force).Next(this.end)
    end = flow.End()
