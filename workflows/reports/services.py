"""Year-end summary and work report services (S2.3), and the submission upward."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, QuerySet
from django.utils import timezone

from core.models import Union, UnionKind, User
from core.selectors import union_access
from core.services.events import event_record
from core.services.statutory import obligation_meet
from core.statutory import Obligation, ObligationStatus
from workflows import errors
from workflows.models import WorkItem, WorkItemState
from workflows.plan.models import AnnualPlan, PlanProgress, PlanStatus
from workflows.services.drafting import document_submit, drafter_item, editable_by
from workflows.services.workitems import assert_may_act, process_lock, work_item_complete

from .finance_report import finance_report_rule_errors, finance_report_submit
from .flows import WorkReportFlow, YearEndSummaryFlow
from .models import (
    CongressReport,
    ReportBinding,
    ReportKind,
    ReportStatus,
    ReportVersion,
    Submission,
    SubmissionState,
    SummaryStatus,
    SummaryVersion,
    YearEndSummary,
)
from .receipts import receipt_items_close, receipt_items_open


def summary_prefill(*, union: Union, year: int) -> str:
    """The summary starts from the plan's items and their latest progress (S2.3)."""
    plan = AnnualPlan.objects.filter(union=union, year=year, status=PlanStatus.IN_FORCE).first()
    if plan is None:
        return ""
    latest = {}
    for progress in PlanProgress.objects.filter(plan=plan).order_by("recorded_at", "id"):
        latest[progress.item_key] = progress
    lines = [f"{union.name}{year}年度工作总结", ""]
    for section in plan.current_version.sections.prefetch_related("items").order_by("id"):
        lines.append(f"【{section.get_area_display()}】")
        for item in section.items.all():
            p = latest.get(item.key)
            state = f"{p.get_state_display()}，{p.percent}%" if p else "未记录进度"
            lines.append(f"- {item.title}（{state}）{('：' + p.note) if p and p.note else ''}")
        if section.empty_reason:
            lines.append(f"（本方面未安排任务：{section.empty_reason}）")
        lines.append("")
    return "\n".join(lines).strip()


@transaction.atomic
def summary_create(*, actor: User, union: Union, year: int, text: str | None = None) -> YearEndSummary:
    if not union_access(user=actor, union=union).can_draft:
        raise PermissionDenied(errors.NOT_YOUR_TASK)
    summary = YearEndSummary(union=union, year=year, title=f"{union.name}{year}年度工作总结", drafter=actor)
    try:
        with transaction.atomic():
            summary.save()
    except IntegrityError:
        raise ValidationError(errors.SUMMARY_EXISTS, params={"union": union.name, "year": year}) from None
    version = SummaryVersion.objects.create(
        summary=summary,
        number=1,
        text=text if text is not None else summary_prefill(union=union, year=year),
        created_by=actor,
    )
    summary.current_version = version
    summary.save(update_fields=["current_version"])
    event_record(verb="summary_created", actor=actor, subject=summary, union=union, detail={"year": year})
    YearEndSummaryFlow.start.run(document=summary)
    summary.refresh_from_db()
    return summary


@transaction.atomic
def summary_save(*, actor: User, summary: YearEndSummary, text: str) -> SummaryVersion:
    with process_lock(summary.process_id, document=summary):
        if not editable_by(document=summary, user=actor):
            raise PermissionDenied(errors.NOT_YOUR_TASK)
        version = summary.current_version
        if version.submitted_at is not None:
            version = SummaryVersion.objects.create(
                summary=summary, number=version.number + 1, text=text, created_by=actor
            )
            summary.current_version = version
            summary.save(update_fields=["current_version"])
        else:
            version.text = text
            version.save(update_fields=["text"])
        event_record(
            verb="summary_saved",
            actor=actor,
            subject=summary,
            union=summary.union,
            detail={"version": version.number},
        )
        return version


@transaction.atomic
def summary_submit(*, actor: User, summary: YearEndSummary) -> YearEndSummary:
    """Report the summary in writing to the Party organisation (S2.3)."""
    return document_submit(
        actor=actor,
        document=summary,
        rule_errors=lambda: [] if summary.current_version.text.strip() else [str(errors.SUMMARY_EMPTY)],
        solicits=False,
    )


def _bound_documents(*, union: Union, year: int) -> tuple[YearEndSummary | None, AnnualPlan | None]:
    summary = YearEndSummary.objects.filter(union=union, year=year, status=SummaryStatus.IN_FORCE).first()
    plan = AnnualPlan.objects.filter(union=union, year=year + 1).exclude(status=PlanStatus.WITHDRAWN).first()
    return summary, plan


def _bind(*, version: ReportVersion, summary: YearEndSummary, plan: AnnualPlan) -> None:
    ReportBinding.objects.bulk_create(
        [
            ReportBinding(
                version=version,
                document_type="year_end_summary",
                document_id=summary.pk,
                document_version=summary.current_version.number,
            ),
            ReportBinding(
                version=version,
                document_type="annual_plan",
                document_id=plan.pk,
                document_version=plan.current_version.number,
            ),
        ]
    )


def report_default_text(*, summary: YearEndSummary, plan: AnnualPlan) -> str:
    return (
        f"一、{summary.year}年工作总结\n\n{summary.current_version.text}\n\n"
        f"二、{plan.year}年工作计划\n\n{plan.current_version.foreword or plan.title}"
    )


@transaction.atomic
def work_report_create(*, actor: User, union: Union, year: int, text: str = "") -> CongressReport:
    """Merge the year's acknowledged summary and next year's plan into the work report (S2.3)."""
    if not union_access(user=actor, union=union).can_draft:
        raise PermissionDenied(errors.NOT_YOUR_TASK)
    summary, plan = _bound_documents(union=union, year=year)
    if summary is None:
        raise ValidationError(errors.REPORT_NEEDS_SUMMARY, params={"year": year})
    if plan is None:
        raise ValidationError(errors.REPORT_NEEDS_PLAN, params={"year": year + 1})
    report = CongressReport(
        union=union,
        kind=ReportKind.WORK_REPORT,
        year=year,
        title=f"{union.name}{year}年度工作报告",
        drafter=actor,
    )
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(errors.REPORT_EXISTS, params={"union": union.name, "year": year}) from None
    version = ReportVersion.objects.create(
        report=report,
        number=1,
        text=text or report_default_text(summary=summary, plan=plan),
        created_by=actor,
    )
    _bind(version=version, summary=summary, plan=plan)
    report.current_version = version
    report.save(update_fields=["current_version"])
    event_record(
        verb="report_created",
        actor=actor,
        subject=report,
        union=union,
        detail={"year": year, "summary": summary.pk, "plan": plan.pk},
    )
    WorkReportFlow.start.run(document=report)
    report.refresh_from_db()
    return report


def _rebind_if_changed(*, report: CongressReport, actor: User) -> ReportVersion:
    """A new version of the report binds the new versions of its documents."""
    version = report.current_version
    summary, plan = _bound_documents(union=report.union, year=report.year)
    wanted = (
        {
            ("year_end_summary", summary.pk, summary.current_version.number),
            ("annual_plan", plan.pk, plan.current_version.number),
        }
        if summary and plan
        else set()
    )
    have = set(version.bindings.values_list("document_type", "document_id", "document_version"))
    if not wanted or wanted == have:
        return version
    if version.submitted_at is not None:
        version = ReportVersion.objects.create(
            report=report, number=version.number + 1, text=version.text, created_by=actor
        )
        report.current_version = version
        report.save(update_fields=["current_version"])
    else:
        version.bindings.all().delete()
    _bind(version=version, summary=summary, plan=plan)
    return version


def work_report_rule_errors(report: CongressReport) -> list[str]:
    if report.kind == ReportKind.FINANCE_REPORT:
        return finance_report_rule_errors(report)
    problems = []
    if not report.current_version.text.strip():
        problems.append(str(errors.REPORT_EMPTY))
    summary, plan = _bound_documents(union=report.union, year=report.year)
    if summary is None:
        problems.append(str(errors.REPORT_NEEDS_SUMMARY % {"year": report.year}))
    if plan is None:
        problems.append(str(errors.REPORT_NEEDS_PLAN % {"year": report.year + 1}))
    elif not WorkItem.objects.filter(
        process=plan.process, step="congress_ratification", state=WorkItemState.OPEN
    ).exists():
        problems.append(str(errors.REPORT_PLAN_NOT_BEFORE_CONGRESS % {"year": plan.year}))
    return problems


@transaction.atomic
def work_report_save(*, actor: User, report: CongressReport, text: str) -> ReportVersion:
    with process_lock(report.process_id, document=report):
        if not editable_by(document=report, user=actor):
            raise PermissionDenied(errors.NOT_YOUR_TASK)
        version = report.current_version
        if version.submitted_at is not None:
            version = ReportVersion.objects.create(
                report=report, number=version.number + 1, text=text, created_by=actor
            )
            report.current_version = version
            report.save(update_fields=["current_version"])
            summary, plan = _bound_documents(union=report.union, year=report.year)
            # a finance report binds its own documents when it is submitted (finance_report.py)
            if summary and plan and report.kind == ReportKind.WORK_REPORT:
                _bind(version=version, summary=summary, plan=plan)
        else:
            version.text = text
            version.save(update_fields=["text"])
        event_record(
            verb="report_saved",
            actor=actor,
            subject=report,
            union=report.union,
            detail={"version": version.number},
        )
        return version


@transaction.atomic
def work_report_submit(*, actor: User, report: CongressReport) -> CongressReport:
    """Put the work report before the congress (from the draft or after a return)."""
    if report.kind == ReportKind.FINANCE_REPORT:  # S3.5: binds the final accounts and next year's budget
        return finance_report_submit(actor=actor, report=report)
    with process_lock(report.process_id, document=report):
        item = drafter_item(report)
        if item is not None and item.step in ("draft", "revise"):
            _rebind_if_changed(report=report, actor=actor)
    return document_submit(
        actor=actor, document=report, rule_errors=lambda: work_report_rule_errors(report), solicits=False
    )


def _receivers(union: Union, kind: str) -> list[Union]:
    """The upper-level union; a finance report also goes to the provincial organs union (one receipt
    when they are the same)."""
    receivers = [union.parent] if union.parent_id else []
    if kind == ReportKind.FINANCE_REPORT:
        provincial = Union.objects.filter(kind=UnionKind.PROVINCIAL).first()
        if provincial and provincial not in receivers:
            receivers.append(provincial)
    return receivers


def report_receivers(report: CongressReport) -> list[Union]:
    """The unions a report submitted upward goes to (its page names them before it is sent)."""
    return _receivers(report.union, report.kind)


@transaction.atomic
def report_submit_upward(*, actor: User, report: CongressReport) -> list[Submission]:
    """报送上一级工会: the receiving unions see it in their received reports."""
    with process_lock(report.process_id, document=report):
        item = WorkItem.objects.filter(
            process=report.process, step="submit_upward", state=WorkItemState.OPEN
        ).first()
        if item is None:
            raise ValidationError(errors.TASK_CLOSED)
        assert_may_act(user=actor, work_item=item)
        submissions = [
            Submission.objects.create(
                report=report, version=report.current_version, to_union=receiver, submitted_by=actor
            )
            for receiver in _receivers(report.union, report.kind)
        ]
        event_record(
            verb="submitted_upward",
            actor=actor,
            subject=report,
            union=report.union,
            detail={"to": [s.to_union_id for s in submissions], "version": report.current_version.number},
        )
        work_item_complete(work_item=item, actor=actor, outcome="submitted")
        receipt_items_open(report=report, submissions=submissions)
    return submissions


def _obligation_code(report: CongressReport) -> str:
    return "S2.3" if report.kind == ReportKind.WORK_REPORT else "S3.5"


@transaction.atomic
def submission_acknowledge(*, user: User, submission: Submission) -> Submission:
    _check_receiver(user, submission)
    submission.state = SubmissionState.ACKNOWLEDGED
    submission.acted_by = user
    submission.acted_at = timezone.now()
    submission.save(update_fields=["state", "acted_by", "acted_at"])
    event_record(verb="report_acknowledged", actor=user, subject=submission.report, union=submission.to_union)
    receipt_items_close(submission=submission, actor=user, outcome="acknowledged")
    return submission


@transaction.atomic
def submission_return(*, user: User, submission: Submission, opinions: str) -> Submission:
    """The upper-level union returns the report for correction; the obligation shows as returned."""
    if not opinions.strip():
        raise ValidationError(errors.RETURN_NEEDS_REASON)
    _check_receiver(user, submission)
    submission.state = SubmissionState.RETURNED
    submission.opinions = opinions.strip()
    submission.acted_by = user
    submission.acted_at = timezone.now()
    submission.save(update_fields=["state", "opinions", "acted_by", "acted_at"])
    report = submission.report
    report.status = ReportStatus.CORRECTION
    report.save(update_fields=["status"])
    Obligation.objects.filter(
        union=report.union, code=_obligation_code(report), fiscal_year=report.year
    ).update(met_on=None, met_by="", status=ObligationStatus.RETURNED)
    event_record(
        verb="report_returned_upward",
        actor=user,
        subject=report,
        union=report.union,
        detail={"opinions": submission.opinions, "by_union": submission.to_union_id},
    )
    receipt_items_close(submission=submission, actor=user, outcome="returned")
    return submission


def _check_receiver(user: User, submission: Submission) -> None:
    if not union_access(user=user, union=submission.to_union).is_supervisor_here:
        raise PermissionDenied(errors.SUBMISSION_NOT_SUPERVISOR)
    if submission.state != SubmissionState.SUBMITTED:
        raise ValidationError(errors.SUBMISSION_CLOSED)


@transaction.atomic
def report_resubmit(*, actor: User, report: CongressReport, text: str) -> list[Submission]:
    """The union corrects the returned report (a new version) and submits it again."""
    if actor.pk != report.drafter_id:
        raise PermissionDenied(errors.NOT_YOUR_TASK)
    if report.status != ReportStatus.CORRECTION:
        raise ValidationError(errors.REPORT_NOT_RETURNED)
    previous = report.current_version
    version = ReportVersion.objects.create(
        report=report, number=previous.number + 1, text=text, created_by=actor, submitted_at=timezone.now()
    )
    ReportBinding.objects.bulk_create(
        [
            ReportBinding(
                version=version,
                document_type=b.document_type,
                document_id=b.document_id,
                document_version=b.document_version,
            )
            for b in previous.bindings.all()
        ]
    )
    report.current_version = version
    report.status = ReportStatus.IN_FORCE
    report.save(update_fields=["current_version", "status"])
    submissions = [
        Submission.objects.create(report=report, version=version, to_union=receiver, submitted_by=actor)
        for receiver in _receivers(report.union, report.kind)
    ]
    receipt_items_open(report=report, submissions=submissions)
    Obligation.objects.filter(
        union=report.union,
        code=_obligation_code(report),
        fiscal_year=report.year,
        status=ObligationStatus.RETURNED,
    ).update(status=ObligationStatus.PENDING)
    obligation_meet(
        union=report.union,
        code=_obligation_code(report),
        fiscal_year=report.year,
        by=f"congressreport:{report.pk}",
    )
    event_record(
        verb="resubmitted_upward",
        actor=actor,
        subject=report,
        union=report.union,
        detail={"version": version.number},
    )
    return submissions


CONGRESS_STEP = "congress_ratification"


def congress_binders() -> QuerySet[WorkItem]:
    """The open congress items of reports whose current version binds the outer work item's document
    before the same body (S2.3: the plan; S3.5: the final accounts and the budget): the report's
    resolution decides them too. Correlated on the outer item.

    The reports are matched by their process id, not through the process row: the badge on every page
    runs this twice, and the path through viewflow's process table took PostgreSQL 4.9 ms to plan
    where this takes 1.1 ms (bench full scale)."""
    bound_reports = CongressReport.objects.filter(
        # one filter call: the type and the id are of the same binding
        current_version__bindings__document_type=OuterRef(OuterRef("document_type")),
        current_version__bindings__document_id=OuterRef(OuterRef("document_id")),
    ).values("process_id")
    return WorkItem.objects.filter(
        state=WorkItemState.OPEN, step=CONGRESS_STEP, body_id=OuterRef("body_id")
    ).filter(step=OuterRef("step"), process_id__in=bound_reports)
