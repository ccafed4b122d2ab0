"""The upward summary (issue 33) as an Excel workbook in the layout of the ACFTU tables: 预算汇总 (the
budgets in force summed by account), 决算汇总 (预算数, 决算数, 完成%), 未报送单位, and one sheet per kind
with each union's figures. Every amount is the recorded figure summed by PostgreSQL
(``oversight.selectors.upward``), written as a number: nothing is re-typed or recomputed by formulas.

A normal (not write-only) workbook: the title rows are merged and the headers frozen, which openpyxl's
streaming mode cannot do; a department's few hundred unions are a few thousand cells."""

from __future__ import annotations

from io import BytesIO

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from oversight.selectors.upward import BALANCE, CARRYOVER, EXPENDITURE_TOTAL, INCOME_TOTAL, Row, UpwardSummary

AMOUNT_FORMAT = "#,##0.00"
PERCENT_FORMAT = '0.0"%"'
UNIT = "单位：元"
HEADINGS = {
    INCOME_TOTAL: "一、收入合计",
    EXPENDITURE_TOTAL: "二、支出合计",
    CARRYOVER: "三、上年结转（滚存）经费",
    BALANCE: "四、收支差额（一＋三－二）",
}
FINAL_HEADINGS = {**HEADINGS, BALANCE: "四、期末滚存经费（一＋三－二）"}
BUDGET_HEADERS = ("项目", "行次", "科目编码", "预算数")
FINAL_HEADERS = ("项目", "行次", "科目编码", "预算数", "决算数", "完成%")
MISSING_HEADERS = ("序号", "工会", "类型", "预算", "决算")
KIND_ZH = {"department": "厅局直属机关工会", "grassroots": "基层工会"}
NOT_DRAWN_UP = "未编制"
INDENT = "　"  # a full-width space per level, as the paper tables indent sub-accounts
THIN = Side(style="thin")
BOLD = Font(bold=True)


def _title(ws, text: str, subtitle: str, width: int) -> None:
    """Rows 1–3: the title (merged, centred), what it covers, and the unit (元) on the right."""
    ws.append([text])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([subtitle])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append([None] * (width - 1) + [UNIT])
    ws.cell(3, width).alignment = Alignment(horizontal="right")


def _headers(ws, headers: tuple[str, ...]) -> None:
    ws.append(list(headers))
    row = ws.max_row
    for col in range(1, len(headers) + 1):
        cell = ws.cell(row, col)
        cell.font = BOLD
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        cell.border = Border(top=THIN, bottom=THIN)
    ws.freeze_panes = f"A{row + 1}"  # a string: ws.cell() would create the row that append then skips
    ws.print_title_rows = f"{row}:{row}"


def _label(row: Row, headings: dict[str, str]) -> str:
    return headings[row.heading] if row.heading else INDENT * row.level + row.label


def _table(ws, rows: list[Row], headings: dict[str, str], *, percent: bool) -> None:
    for row in rows:
        values = [_label(row, headings), row.number, row.code or None, *row.values]
        if percent:
            values.append(row.percent)
        ws.append(values)
        at = ws.max_row
        for col in range(4, 4 + len(row.values)):
            ws.cell(at, col).number_format = AMOUNT_FORMAT
        if percent:
            ws.cell(at, len(values)).number_format = PERCENT_FORMAT
        if row.is_total:
            for col in range(1, len(values) + 1):
                ws.cell(at, col).font = BOLD


def _widths(ws, widths: tuple[int, ...]) -> None:
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _coverage(summary: UpwardSummary, submitted: int) -> str:
    total = len(summary.unions)
    return (
        f"汇总下级工会{total}家：已报送（已生效）{submitted}家，"
        f"未报送{total - submitted}家（见“未报送单位”表）"
    )


def _status(in_force: bool, label: str | None) -> str:
    return "已报送" if in_force else f"未报送（{label or NOT_DRAWN_UP}）"


def _missing_sheet(wb: Workbook, summary: UpwardSummary) -> None:
    ws = wb.create_sheet("未报送单位")
    ws.append([f"{summary.union.name} {summary.year}年度预算、决算未报送的下级工会"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(MISSING_HEADERS))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.append(
        [
            "“已报送”指该文件已经会员（代表）大会审议批准生效；草稿、审批中或退回修改的均为未报送，括注所处环节。"
        ]
    )
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(MISSING_HEADERS))
    _headers(ws, MISSING_HEADERS)
    for n, missing in enumerate(summary.not_submitted, start=1):
        ws.append(
            [
                n,
                missing.union.name,
                KIND_ZH.get(missing.union.kind, missing.union.kind),
                _status(missing.budget_in_force, missing.budget_label),
                _status(missing.final_in_force, missing.final_label),
            ]
        )
    _widths(ws, (6, 36, 16, 28, 32))


def _per_union_sheet(wb: Workbook, summary: UpwardSummary, kind: str) -> None:
    """One row per union whose document is in force: its totals and every account's amount (决算: actual)."""
    final = kind == "final"
    ws = wb.create_sheet("决算分单位" if final else "预算分单位")
    postable = [a for a in summary.accounts if a.postable]
    totals = ("上年结转", "收入合计", "支出合计", "期末滚存" if final else "收支差额")
    headers = ("工会", "类型", *totals, *(f"{a.code} {a.name}" for a in postable))
    what = "决算数" if final else "预算数"
    _title(ws, f"{summary.union.name} {summary.year}年度下级工会{what}分单位明细", "", len(headers))
    _headers(ws, headers)
    unions = summary.final_submitted if final else summary.budget_submitted
    figures = summary.final if final else summary.budget
    for union in unions:
        rows = {r.heading: r.values[-1] for r in summary.union_rows(kind, union.pk) if r.heading}
        amounts = figures.by_union.get(union.pk, {})
        ws.append(
            [
                union.name,
                KIND_ZH.get(union.kind, union.kind),
                rows[CARRYOVER],
                rows[INCOME_TOTAL],
                rows[EXPENDITURE_TOTAL],
                rows[BALANCE],
                *(amounts[a.code][1] if a.code in amounts else None for a in postable),
            ]
        )
        for col in range(3, len(headers) + 1):
            ws.cell(ws.max_row, col).number_format = AMOUNT_FORMAT
    _widths(ws, (36, 16, *([16] * (len(headers) - 2))))


def upward_to_xlsx(summary: UpwardSummary) -> bytes:
    """The workbook of ``upward_summary(..., by_union=True)``."""
    wb = Workbook()
    ws = wb.active
    ws.title = "预算汇总"
    name, year = summary.union.name, summary.year
    coverage = _coverage(summary, len(summary.budget_submitted))
    _title(ws, f"{name} {year}年度工会经费收支预算汇总表", coverage, len(BUDGET_HEADERS))
    _headers(ws, BUDGET_HEADERS)
    _table(ws, summary.budget_rows, HEADINGS, percent=False)
    _widths(ws, (40, 8, 12, 20))

    ws = wb.create_sheet("决算汇总")
    coverage = _coverage(summary, len(summary.final_submitted))
    _title(ws, f"{name} {year}年度工会经费收支决算汇总表", coverage, len(FINAL_HEADERS))
    _headers(ws, FINAL_HEADERS)
    _table(ws, summary.final_rows, FINAL_HEADINGS, percent=True)
    _widths(ws, (40, 8, 12, 20, 20, 10))

    with translation.override("zh-hans"):  # the statuses' words, whatever the viewer's language
        _missing_sheet(wb, summary)
    _per_union_sheet(wb, summary, "budget")
    _per_union_sheet(wb, summary, "final")
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
