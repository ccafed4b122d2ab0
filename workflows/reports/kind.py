"""The year-end summary (S2.3), the work report (S2.3) and the report on budget and final accounts
(S3.5) as document kinds: registered from ReportsConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from workflows.models import DocumentType
from workflows.registry import DocumentKind
from workflows.steps import SIGN_FOR_STEP

from .archive import report_archive_text, summary_archive_text
from .flows import (
    FINANCE_REPORT_STEPS,
    REPORT_CHAIN,
    REPORT_STEPS,
    SUMMARY_CHAIN,
    SUMMARY_STEPS,
    FinanceReportFlow,
    WorkReportFlow,
    YearEndSummaryFlow,
)
from .official import official_text
from .services import CONGRESS_STEP, congress_binders

# the upper union's supervisors sign for a submitted report on their received-reports page
SIGN_FOR_PAGE = {SIGN_FOR_STEP: ("reports:received", _("Sign for or return"))}


YEAR_END_SUMMARY = DocumentKind(
    document_type=DocumentType.YEAR_END_SUMMARY,
    label=_("year-end summary"),
    model="reports.YearEndSummary",
    flow=YearEndSummaryFlow,
    steps=SUMMARY_STEPS,
    chain=tuple(SUMMARY_CHAIN),
    urls="workflows.reports.urls",
    detail_url="reports:summary_detail",
    # reported in writing to the Party organisation (S2.3); S1.2 is met by the hearing at its meeting
    # (workflows.party), not by this written report
    steps_fit_deadline=False,
    archive_text=summary_archive_text,  # S5.3
)
WORK_REPORT = DocumentKind(
    document_type=DocumentType.WORK_REPORT,
    label=_("work report"),
    model="reports.CongressReport",
    flow=WorkReportFlow,
    steps=REPORT_STEPS,
    chain=tuple(REPORT_CHAIN),
    urls="workflows.reports.urls",
    detail_url="reports:report_detail",
    obligation_code="S2.3",  # met when the report reaches the upper-level union
    binding_step=CONGRESS_STEP,
    binders=congress_binders,
    step_pages=SIGN_FOR_PAGE,
    archive_text=report_archive_text,  # S5.3
    official_text=official_text,
)
FINANCE_REPORT = DocumentKind(
    document_type=DocumentType.FINANCE_REPORT,
    label=_("report on budget and final accounts"),
    model="reports.CongressReport",
    flow=FinanceReportFlow,
    steps=FINANCE_REPORT_STEPS,
    chain=tuple(REPORT_CHAIN),
    urls="workflows.reports.urls",
    detail_url="reports:report_detail",
    obligation_code="S3.5",  # met when it reaches the upper-level union and the provincial organs union
    binding_step=CONGRESS_STEP,
    binders=congress_binders,
    step_pages=SIGN_FOR_PAGE,
    archive_text=report_archive_text,  # S5.3
    official_text=official_text,
)

KINDS = [YEAR_END_SUMMARY, WORK_REPORT, FINANCE_REPORT]
