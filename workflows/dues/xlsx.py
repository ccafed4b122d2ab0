"""The arrears as an Excel workbook, in the manner of the expenditure ledger's export: a title row,
Chinese headers (the workbook goes to the finance office's files, whatever the viewer's language),
amounts as numbers formatted #,##0.00."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.models import Union
from workflows.budget.xlsx import AMOUNT_FORMAT

from . import selectors

HEADERS = ("会员编号", "姓名", "欠缴月份", "欠缴月数", "欠缴金额（元）", "未录入基本工资的月数")
TOTAL = "合计"
WIDTHS = (14, 12, 40, 10, 16, 20)


def arrears_title(union: Union) -> str:
    return f"{union.name} 会费欠缴明细"


def arrears_to_xlsx(
    union: Union, rows: list[selectors.Arrears], period: tuple[datetime.date, datetime.date] | None
) -> bytes:
    """One row a member in arrears, then the totals; the period in the title. No query of its own."""
    wb = Workbook()
    ws = wb.active
    ws.title = "会费欠缴"
    title = arrears_title(union)
    if period is not None:
        title += f"（{period[0]:%Y-%m}至{period[1]:%Y-%m}）"
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(list(HEADERS))
    for col in range(1, len(HEADERS) + 1):
        ws.cell(2, col).font = Font(bold=True)
    for row in rows:
        ranges = "、".join(selectors.month_ranges(row.months))
        ws.append([row.member_number, row.name, ranges, row.count, row.amount, row.without_wage])
        ws.cell(ws.max_row, 5).number_format = AMOUNT_FORMAT
        ws.cell(ws.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    total = selectors.arrears_total(rows)
    ws.append(
        [TOTAL, f"{total.members}人", None, total.months, total.amount or Decimal("0"), total.without_wage]
    )
    ws.cell(ws.max_row, 5).number_format = AMOUNT_FORMAT
    for col in range(1, len(HEADERS) + 1):
        ws.cell(ws.max_row, col).font = Font(bold=True)
        ws.column_dimensions[ws.cell(2, col).column_letter].width = WIDTHS[col - 1]
    ws.freeze_panes = "A3"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
