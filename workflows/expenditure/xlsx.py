"""The expenditure ledger of a year and one budget line's movements as Excel workbooks (issue 26), in
the manner of the budget's and the execution analysis's exports: a title row, Chinese headers, amounts
as numbers formatted #,##0.00, dates as dates.

The workbook is written in Chinese whatever the viewer's language (it goes to the finance office's
files), so the status labels are read under the default language.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from core.models import Union
from workflows.budget.models import Account
from workflows.budget.xlsx import AMOUNT_FORMAT

from . import selectors

DATE_FORMAT = "yyyy-mm-dd"
LEDGER_HEADERS = (
    "科目编码",
    "科目名称",
    "预算数（元）",
    "已批准待付（元）",
    "已支付（元）",
    "可用余额（元）",
)
LEDGER_TOTAL = "支出合计"
LINE_HEADERS = ("申请日期", "活动日期", "用途", "申请人", "金额（元）", "状态", "凭证号", "支付日期")
LINE_FIGURES = ("预算数（元）", "已批准待付（元）", "已支付（元）", "可用余额（元）")
ZERO = Decimal("0")


def ledger_title(union: Union, year: int) -> str:
    return f"{union.name} {year}年度经费支出台账"


def line_title(union: Union, year: int, account: Account) -> str:
    return f"{union.name} {year}年度 {account.code} {account.name} 支出明细"


def _sheet(title: str, sheet_name: str, headers: tuple[str, ...]) -> tuple[Workbook, Worksheet]:
    """A workbook whose first sheet has the title row (merged over the headers) and the headers."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_name
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(list(headers))
    for col in range(1, len(headers) + 1):
        ws.cell(2, col).font = Font(bold=True)
        ws.cell(2, col).alignment = Alignment(horizontal="center")
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    return wb, ws


def _formats(ws: Worksheet, row: int, columns: tuple[int, ...], number_format: str) -> None:
    for col in columns:
        ws.cell(row, col).number_format = number_format


def _widths(ws: Worksheet, widths: tuple[int, ...]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(2, col).column_letter].width = width


def _saved(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def ledger_to_xlsx(union: Union, year: int) -> bytes:
    """Every expenditure line of the budget in force: budgeted, committed, paid and remaining, then
    支出合计. Empty below the headers when the year has no budget in force. Two queries."""
    wb, ws = _sheet(ledger_title(union, year), "经费支出台账", LEDGER_HEADERS)
    totals = [ZERO, ZERO, ZERO, ZERO]
    for line, figures in selectors.ledger(union.pk, year):
        amounts = [figures.budgeted, figures.committed, figures.paid, figures.remaining]
        ws.append([line.account_id, line.account.name, *amounts])
        _formats(ws, ws.max_row, (3, 4, 5, 6), AMOUNT_FORMAT)
        totals = [t + a for t, a in zip(totals, amounts, strict=True)]
    ws.append([LEDGER_TOTAL, None, *totals])
    _formats(ws, ws.max_row, (3, 4, 5, 6), AMOUNT_FORMAT)
    for col in range(1, len(LEDGER_HEADERS) + 1):
        ws.cell(ws.max_row, col).font = Font(bold=True)
    _widths(ws, (12, 28, 16, 18, 16, 16))
    return _saved(wb)


def line_to_xlsx(union: Union, year: int, account: Account) -> bytes:
    """The requests on one line of the year, oldest first (every status: the status column says which
    have committed or paid money), then the line's figures as the ledger holds them now. Three queries."""
    wb, ws = _sheet(line_title(union, year, account), "支出明细", LINE_HEADERS)
    requests = (
        selectors.requests_of_union(union.pk)
        .filter(year=year, account_id=account.pk)
        .order_by("created_at", "id")
    )
    with translation.override(settings.LANGUAGE_CODE):
        for r in requests:
            ws.append(
                [
                    timezone.localtime(r.created_at, union.tz).date(),
                    r.activity_date,
                    r.purpose,
                    str(r.drafter),
                    r.amount,
                    r.get_status_display(),
                    r.voucher_number,
                    r.paid_on,
                ]
            )
            _formats(ws, ws.max_row, (1, 2, 8), DATE_FORMAT)
            _formats(ws, ws.max_row, (5,), AMOUNT_FORMAT)
            ws.cell(ws.max_row, 3).alignment = Alignment(wrap_text=True, vertical="top")
    figures = selectors.line_figures(union.pk, year, account.pk)
    ws.append([])
    for label, amount in zip(
        LINE_FIGURES, (figures.budgeted, figures.committed, figures.paid, figures.remaining), strict=True
    ):
        ws.append([label, None, None, None, amount])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        _formats(ws, ws.max_row, (5,), AMOUNT_FORMAT)
    _widths(ws, (12, 12, 40, 12, 16, 18, 14, 12))
    return _saved(wb)
