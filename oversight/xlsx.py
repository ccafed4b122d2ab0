"""The oversight pages as Excel workbooks with Chinese headers. openpyxl's write-only mode
streams rows, so an export of the provincial scope (hundreds of thousands of rows) stays in bounded
memory. Each export is scoped and filtered exactly like its page (the views pass the same selectors'
results)."""

from __future__ import annotations

import datetime
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

STUCK_HEADERS = (
    "工会",
    "文件类型",
    "文件",
    "环节",
    "办理人",
    "开始时间",
    "办理期限",
    "逾期天数",
    "已停留天数",
)
REPORT_HEADERS = ("报告", "年度", "应报送单位数", "已报送单位数", "报送率（%）", "未报送单位", "状态")
EFFICIENCY_STEP_HEADERS = ("环节", "办结数", "平均用时（天）", "中位用时（天）", "逾期办结数", "逾期率（%）")
EFFICIENCY_UNION_HEADERS = ("工会", "办结数", "平均用时（天）", "中位用时（天）", "逾期办结数", "逾期率（%）")
TREND_HEADERS = ("月份", "在办数", "逾期数")
SCORE_STATUS_ZH = {
    "met": "已完成",
    "in_progress": "办理中",
    "pending": "未到期",
    "returned": "退回修改",
    "late": "已逾期",
    "missed": "未完成",
}
DOCUMENT_TYPE_ZH = {
    "budget": "经费预算",
    "annual_plan": "年度计划",
    "budget_adjustment": "预算调整",
    "final_accounts": "决算",
    "work_report": "工作报告",
    "finance_report": "经费收支预算决算情况报告",
    "year_end_summary": "年度工作总结",
    "party_hearing": "听取工会工作汇报",
    "instruction": "请示报告",
}
BODY_ZH = {
    "union_committee": "工会委员会",
    "audit_committee": "经费审查委员会",
    "women_committee": "女职工委员会",
    "party_organization": "同级党组织",
    "congress": "会员（代表）大会",
}
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Excel has no time zones: write the Asia/Shanghai wall-clock time, naive."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(tzinfo=None)


class _Sheet:
    def __init__(self, wb: Workbook, title: str, headers: tuple[str, ...]):
        self.ws = wb.create_sheet(title)
        bold = Font(bold=True)
        row = []
        for header in headers:
            cell = WriteOnlyCell(self.ws, value=header)
            cell.font = bold
            row.append(cell)
        self.ws.append(row)

    def append(self, values: list, formats: dict[int, str] | None = None) -> None:
        if not formats:
            self.ws.append(values)
            return
        row = []
        for i, value in enumerate(values):
            cell = WriteOnlyCell(self.ws, value=value)
            if i in formats and value is not None:
                cell.number_format = formats[i]
            row.append(cell)
        self.ws.append(row)


def _save(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def stuck_to_xlsx(rows, *, now: datetime.datetime) -> bytes:
    """Rows from oversight.selectors.stuck.stuck_export_rows, in the page's order."""
    wb = Workbook(write_only=True)
    sheet = _Sheet(wb, "积压审批", STUCK_HEADERS)
    formats = {5: DATETIME_FORMAT, 6: DATETIME_FORMAT}
    for _pk, union, doc_type, title, step, person, body_kind, created, due in rows:
        late = (now - due).days if due is not None and due < now else None
        sheet.append(
            [
                union,
                DOCUMENT_TYPE_ZH.get(doc_type, doc_type),
                title,
                step,
                person or BODY_ZH.get(body_kind or "", body_kind or ""),
                _local(created),
                _local(due),
                late,
                (now - created).days,
            ],
            formats,
        )
    return _save(wb)


def reports_to_xlsx(rates) -> bytes:
    """RateRow objects of workflows.reports.selectors.submission_rates (one sheet for every receiver)."""
    wb = Workbook(write_only=True)
    sheet = _Sheet(wb, "报送情况", REPORT_HEADERS)
    for receiver, rows in rates:
        for row in rows:
            missing = row.missing
            sheet.append(
                [
                    f"{receiver.name}：{row.kind_label}",
                    row.year,
                    row.total,
                    row.count,
                    row.percent,
                    "、".join(m["union"].name + ("（退回修改）" if m["returned"] else "") for m in missing),
                    "已全部报送" if not missing else "有未报送单位",
                ]
            )
    return _save(wb)


def scorecard_to_xlsx(pages, *, columns: list[tuple[str, str]], column_labels: dict, totals) -> bytes:
    """``pages``: an iterable of ScoreRow pages (every page of the filtered scorecard)."""
    wb = Workbook(write_only=True)
    headers = ("工会", "类型", *[column_labels[c] for c in columns])
    sheet = _Sheet(wb, "五个一履职", headers)
    kinds = {"department": "厅局直属机关工会", "grassroots": "基层工会"}
    for page in pages:
        for row in page:
            values = [row.name, kinds.get(row.kind, row.kind)]
            for column in columns:
                cell = row.cells.get(column)
                if cell is None:
                    values.append("—")
                    continue
                text = SCORE_STATUS_ZH.get(cell.status, cell.status)
                if cell.status == "met" and cell.met_on:
                    text += f" {cell.met_on:%Y-%m-%d}"
                if cell.step:
                    text += f"（{cell.step}）"
                values.append(text)
            sheet.append(values)
    total_sheet = _Sheet(wb, "合计", ("事项", *SCORE_STATUS_ZH.values()))
    for column in columns:
        counts = totals.counts.get(column, {})
        total_sheet.append([column_labels[column], *[counts.get(s, 0) for s in SCORE_STATUS_ZH]])
    return _save(wb)


def efficiency_to_xlsx(*, by_step, by_union, trend) -> bytes:
    wb = Workbook(write_only=True)
    steps = _Sheet(wb, "环节用时", EFFICIENCY_STEP_HEADERS)
    for row in by_step:
        steps.append([row.title, row.count, row.mean_days, row.median_days, row.overdue, row.overdue_rate])
    unions = _Sheet(wb, "工会用时", EFFICIENCY_UNION_HEADERS)
    for row in by_union:
        unions.append([row.title, row.count, row.mean_days, row.median_days, row.overdue, row.overdue_rate])
    months = _Sheet(wb, "逾期趋势", TREND_HEADERS)
    for point in trend:
        months.append([f"{point.month:%Y-%m}", point.open, point.overdue])
    return _save(wb)
