"""The work report (S2.3) and the report on budget and final accounts (S3.5) as official documents
(GB/T 9704-2012; workflows/outputs/official.py): once the congress has approved the report, the chair
signs and issues it to the upper-level union(s) it is submitted to, with its letter submitting it (报送函)."""

from __future__ import annotations

from workflows.models import MeetingItem, Resolution
from workflows.outputs.models import NumberSeries
from workflows.outputs.official import OfficialText, Paragraph, paragraphs_from_text

from .models import CongressReport, ReportStatus
from .selectors import bound_documents
from .services import CONGRESS_STEP, report_receivers

# approved by the congress (S2.3, S3.5): to be submitted upward, or submitted
ISSUABLE = (ReportStatus.SUBMITTING, ReportStatus.IN_FORCE)


def _congress_decision(report: CongressReport) -> str:
    """The congress resolution that approved the report, in words (empty when none is recorded)."""
    item = (
        MeetingItem.objects.filter(
            work_item__process_id=report.process_id,
            work_item__step=CONGRESS_STEP,
            resolution=Resolution.APPROVE,
            passed=True,
        )
        .select_related("meeting__body")
        .order_by("-meeting__held_on", "-id")
        .first()
    )
    if item is None:
        return ""
    day = item.meeting.held_on
    body = item.meeting.body.display_name
    return f"本报告已于{day.year}年{day.month}月{day.day}日经{body}审议通过。"


def official_text(report: CongressReport) -> OfficialText | None:
    """The report as the congress approved it (its current version), to the unions it is submitted to,
    with the documents it binds as its attachments; None before the congress has approved it."""
    if report.status not in ISSUABLE:
        return None
    version = report.current_version
    receivers = tuple(union.name for union in report_receivers(report))
    decision = _congress_decision(report)
    paragraphs = paragraphs_from_text(version.text) + ((Paragraph(decision),) if decision else ())
    attachments = tuple(
        bound.document.title if bound.document is not None else str(bound.label)
        for bound in bound_documents(version=version)
    )
    return OfficialText(
        title=report.title,
        addressee="、".join(receivers),
        paragraphs=paragraphs,
        attachments=attachments,
        up_going=True,
        series=NumberSeries.DOCUMENT,
        submitted_to=receivers,
    )
