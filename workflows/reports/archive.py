"""What the archive indexes of a year-end summary or a congress report besides its title (S5.3): the
text of every version, oldest first."""

from __future__ import annotations

from .models import CongressReport, ReportVersion, SummaryVersion, YearEndSummary


def summary_archive_text(summary: YearEndSummary) -> str:
    versions = SummaryVersion.objects.filter(summary=summary).order_by("number")
    return "\n".join(v.text for v in versions)


def report_archive_text(report: CongressReport) -> str:
    versions = ReportVersion.objects.filter(report=report).order_by("number")
    return "\n".join(v.text for v in versions)
