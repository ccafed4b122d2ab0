"""An execution analysis as an Excel workbook (headers in Chinese, amounts as numbers)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from workflows.budget.xlsx import AMOUNT_FORMAT, KIND_LABELS

from .models import BudgetExecutionReview
from .selectors import review_table

HEADERS = ("科目编码", "科目名称", "类别", "预算数（元）", "实际数（元）", "差额（元）", "执行率（%）")
NOTE_LABEL = "工会委员会意见"


def title_for(review: BudgetExecutionReview) -> str:
    return f"{review.union.name} {review.fiscal_year}年{review.get_period_display()}预算执行分析"


def review_to_xlsx(review: BudgetExecutionReview) -> bytes:
    table = review_table(review=review)
    wb = Workbook()
    ws = wb.active
    ws.title = "预算执行分析"
    bold = Font(bold=True)
    ws.append([title_for(review)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(list(HEADERS))
    for col in range(1, len(HEADERS) + 1):
        ws.cell(2, col).font = bold

    def row(values, *, total=False):
        ws.append(values)
        r = ws.max_row
        for col in (4, 5, 6):
            ws.cell(r, col).number_format = AMOUNT_FORMAT
        ws.cell(r, 7).number_format = "0.0"
        if total:
            for col in range(1, len(HEADERS) + 1):
                ws.cell(r, col).font = bold

    for key, label in (("income", "收入合计"), ("expenditure", "支出合计")):
        group = table[key]
        for line in group["lines"]:
            row(
                [
                    line.account_id,
                    line.account.name,
                    KIND_LABELS.get(line.account.kind, ""),
                    line.budgeted,
                    line.actual,
                    line.variance,
                    line.rate,
                ]
            )
        row(
            [label, None, None, group["budgeted"], group["actual"], group["variance"], group["rate"]],
            total=True,
        )
    ws.append([])
    ws.append([NOTE_LABEL, review.note])
    ws.cell(ws.max_row, 1).font = bold
    for letter, width in zip("ABCDEFG", (12, 28, 8, 16, 16, 16, 12), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
