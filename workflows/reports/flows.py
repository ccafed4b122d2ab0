"""S2.3: the year-end summary is reported in writing to the Party organisation; merged with next
year's plan into the work report, which the congress approves and the union submits upward."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from core.models import BodyKind
from workflows.documents import flow_document
from workflows.models import DocumentType
from workflows.nodes import unreachable_view
from workflows.services.workitems import work_item_create
from workflows.steps import Actor, StepSpec, approved

from .models import ReportStatus, SummaryStatus

SUMMARY_STEPS: dict[str, StepSpec] = {
    spec.name: spec
    for spec in [
        StepSpec("draft", _("Write the year-end summary"), Actor.DRAFTER, SummaryStatus.DRAFT, 14),
        StepSpec(
            "party_approval",
            _("Report in writing to the Party organisation"),
            BodyKind.PARTY_ORGANIZATION,
            SummaryStatus.PARTY_REPORT,
            14,
        ),
        StepSpec("revise", _("Revise the returned summary"), Actor.DRAFTER, SummaryStatus.RETURNED, 7),
    ]
}
SUMMARY_CHAIN = ["draft", "party_approval"]

REPORT_STEPS: dict[str, StepSpec] = {
    spec.name: spec
    for spec in [
        StepSpec("draft", _("Draft the work report"), Actor.DRAFTER, ReportStatus.DRAFT, 14),
        StepSpec(
            "congress_ratification",
            _("Congress review and approval"),
            BodyKind.CONGRESS,
            ReportStatus.CONGRESS_RATIFICATION,
            30,
        ),
        StepSpec(
            "submit_upward", _("Submit to the upper-level union"), Actor.DRAFTER, ReportStatus.SUBMITTING, 7
        ),
        StepSpec("revise", _("Revise the returned report"), Actor.DRAFTER, ReportStatus.RETURNED, 7),
    ]
}
REPORT_CHAIN = ["draft", "congress_ratification", "submit_upward"]


class YearEndSummaryFlow(flow.Flow):
    lock_impl = lock.select_for_update_lock
    process_title = _("Year-end summary")

    start = flow.StartHandle(this.start_summary).Next(this.draft)
    draft = (
        flow.View(unreachable_view)
        .Annotation(title=_("Write the year-end summary"), description="年度工作总结")
        .onCreate(this.task_created)
        .Next(this.party_approval)
    )
    party_approval = (
        flow.View(unreachable_view)
        .Annotation(title=_("Report in writing to the Party organisation"), description="书面报告同级党组织")
        .onCreate(this.task_created)
        .Next(this.check_party_approval)
    )
    check_party_approval = flow.If(approved("party_approval")).Then(this.acknowledge).Else(this.revise)
    revise = (
        flow.View(unreachable_view)
        .Annotation(title=_("Revise the returned summary"))
        .onCreate(this.task_created)
        .Next(this.party_approval)
    )
    acknowledge = flow.Function(this.summary_acknowledged).Next(this.end)
    end = flow.End()

    def start_summary(self, activation, *, summary):
        from workflows.services.drafting import process_started

        return process_started(activation=activation, document=summary)

    def task_created(self, activation):
        work_item_create(
            activation=activation,
            spec=SUMMARY_STEPS[activation.flow_task.name],
            document=flow_document(activation, "summary"),
            document_type=DocumentType.YEAR_END_SUMMARY,
            chain=SUMMARY_CHAIN,
            steps=SUMMARY_STEPS,
        )

    def summary_acknowledged(self, activation):
        from workflows.services.drafting import document_put_in_force

        # S1.2: the Party organisation heard (in writing) the report on the year's union work.
        document_put_in_force(document=flow_document(activation, "summary"), obligation_code="S1.2")


class WorkReportFlow(flow.Flow):
    lock_impl = lock.select_for_update_lock
    process_title = _("Work report")

    start = flow.StartHandle(this.start_report).Next(this.draft)
    draft = (
        flow.View(unreachable_view)
        .Annotation(title=_("Draft the work report"), description="合并年度总结与下年度计划形成工作报告")
        .onCreate(this.task_created)
        .Next(this.congress_ratification)
    )
    congress_ratification = (
        flow.View(unreachable_view)
        .Annotation(title=_("Congress review and approval"), description="会员（代表）大会审议批准")
        .onCreate(this.task_created)
        .Next(this.check_congress_ratification)
    )
    check_congress_ratification = (
        flow.If(approved("congress_ratification")).Then(this.submit_upward).Else(this.revise)
    )
    submit_upward = (
        flow.View(unreachable_view)
        .Annotation(title=_("Submit to the upper-level union"), description="报送上一级工会")
        .onCreate(this.task_created)
        .Next(this.submitted)
    )
    revise = (
        flow.View(unreachable_view)
        .Annotation(title=_("Revise the returned report"))
        .onCreate(this.task_created)
        .Next(this.congress_ratification)
    )
    submitted = flow.Function(this.report_submitted).Next(this.end)
    end = flow.End()

    def start_report(self, activation, *, report):
        from workflows.services.drafting import process_started

        return process_started(activation=activation, document=report)

    def task_created(self, activation):
        work_item_create(
            activation=activation,
            spec=REPORT_STEPS[activation.flow_task.name],
            document=flow_document(activation, "congress_report"),
            document_type=DocumentType.WORK_REPORT,
            chain=REPORT_CHAIN,
            steps=REPORT_STEPS,
            obligation_code="S2.3",
        )

    def report_submitted(self, activation):
        from workflows.services.drafting import document_put_in_force

        # S2.3: the work report reached the upper-level union (met at submission).
        document_put_in_force(document=flow_document(activation, "congress_report"), obligation_code="S2.3")


FINANCE_REPORT_STEPS: dict[str, StepSpec] = {
    spec.name: spec
    for spec in [
        StepSpec(
            "draft", _("Draft the report on budget and final accounts"), Actor.DRAFTER, ReportStatus.DRAFT, 14
        ),
        StepSpec(
            "congress_ratification",
            _("Congress review and approval"),
            BodyKind.CONGRESS,
            ReportStatus.CONGRESS_RATIFICATION,
            30,
        ),
        StepSpec(
            "submit_upward",
            _("Submit to the upper-level union and the provincial organs union"),
            Actor.DRAFTER,
            ReportStatus.SUBMITTING,
            7,
        ),
        StepSpec("revise", _("Revise the returned report"), Actor.DRAFTER, ReportStatus.RETURNED, 7),
    ]
}


class FinanceReportFlow(flow.Flow):
    """S3.5: the report on budget and final accounts (经费收支预算决算情况报告) binds the year's audited
    final accounts and next year's budget; the congress's resolution on it decides both; it is submitted
    to the upper-level union and the provincial organs union by the end of February (S3.5 met then).
    Its work items are congress-report items (document type work_report, the CongressReport model)."""

    lock_impl = lock.select_for_update_lock
    process_title = _("Report on budget and final accounts")

    start = flow.StartHandle(this.start_report).Next(this.draft)
    draft = (
        flow.View(unreachable_view)
        .Annotation(
            title=_("Draft the report on budget and final accounts"),
            description="合并决算与下年度预算形成经费收支预算决算情况报告",
        )
        .onCreate(this.task_created)
        .Next(this.congress_ratification)
    )
    congress_ratification = (
        flow.View(unreachable_view)
        .Annotation(title=_("Congress review and approval"), description="会员（代表）大会审议批准")
        .onCreate(this.task_created)
        .Next(this.check_congress_ratification)
    )
    check_congress_ratification = (
        flow.If(approved("congress_ratification")).Then(this.submit_upward).Else(this.revise)
    )
    submit_upward = (
        flow.View(unreachable_view)
        .Annotation(
            title=_("Submit to the upper-level union and the provincial organs union"),
            description="报送上一级工会和省直工会",
        )
        .onCreate(this.task_created)
        .Next(this.submitted)
    )
    revise = (
        flow.View(unreachable_view)
        .Annotation(title=_("Revise the returned report"))
        .onCreate(this.task_created)
        .Next(this.congress_ratification)
    )
    submitted = flow.Function(this.report_submitted).Next(this.end)
    end = flow.End()

    def start_report(self, activation, *, report):
        from workflows.services.drafting import process_started

        return process_started(activation=activation, document=report)

    def task_created(self, activation):
        work_item_create(
            activation=activation,
            spec=FINANCE_REPORT_STEPS[activation.flow_task.name],
            document=flow_document(activation, "congress_report"),
            document_type=DocumentType.FINANCE_REPORT,
            chain=REPORT_CHAIN,
            steps=FINANCE_REPORT_STEPS,
            obligation_code="S3.5",
        )

    def report_submitted(self, activation):
        from workflows.services.drafting import document_put_in_force

        # S3.5: the report reached the upper-level union and the provincial organs union.
        document_put_in_force(document=flow_document(activation, "congress_report"), obligation_code="S3.5")
