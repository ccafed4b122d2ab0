"""A budget version as an Excel workbook, in the layout of the paper form (headers in Chinese)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from workflows.budget.models import AccountKind, BudgetVersion

SHEET_TITLE = "预算"
HEADERS = ("科目编码", "科目名称", "类别", "金额（元）", "备注")
KIND_LABELS = {AccountKind.INCOME: "收入", AccountKind.EXPENDITURE: "支出"}
INCOME_TOTAL = "收入合计"
EXPENDITURE_TOTAL = "支出合计"
CARRYOVER = "上年结转（滚存）经费"
ESTIMATE_MARK = "（估计数）"
BALANCE = "收支差额"
AMOUNT_FORMAT = "#,##0.00"
AMOUNT_COLUMN = 4
ZERO = Decimal("0")


def title_for(version: BudgetVersion) -> str:
    budget = version.budget
    return f"{budget.union.name} {budget.year}年度工会经费收支预算（第{version.number}版）"


def budget_to_xlsx(version: BudgetVersion) -> bytes:
    """The workbook: title row, headers, income lines and 收入合计, expenditure lines and 支出合计,
    the carryover (marked （估计数） while an estimate) and 收支差额 = income + carryover − expenditure.
    Amounts are numbers formatted #,##0.00. Two queries (version with union, lines with accounts)."""
    version = BudgetVersion.objects.select_related("budget__union").get(pk=version.pk)
    lines = list(version.lines.select_related("account").order_by("account_id"))
    by_kind = {kind: [line for line in lines if line.account.kind == kind] for kind in KIND_LABELS}

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    bold = Font(bold=True)
    thin = Side(style="thin")
    top_rule = Border(top=thin)

    ws.append([title_for(version)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(list(HEADERS))
    for col in range(1, len(HEADERS) + 1):
        ws.cell(2, col).font = bold
        ws.cell(2, col).alignment = Alignment(horizontal="center")

    def amount_row(values: list, amount: Decimal, *, total: bool = False) -> None:
        ws.append(values[: AMOUNT_COLUMN - 1] + [amount] + values[AMOUNT_COLUMN - 1 :])
        row = ws.max_row
        ws.cell(row, AMOUNT_COLUMN).number_format = AMOUNT_FORMAT
        if total:
            for col in range(1, len(HEADERS) + 1):
                ws.cell(row, col).font = bold
                ws.cell(row, col).border = top_rule

    totals = {}
    for kind, label in KIND_LABELS.items():
        for line in by_kind[kind]:
            amount_row([line.account_id, line.account.name, label, line.remark], line.amount)
        totals[kind] = sum((line.amount for line in by_kind[kind]), ZERO)
        amount_row(
            [INCOME_TOTAL if kind == AccountKind.INCOME else EXPENDITURE_TOTAL, None, None, None],
            totals[kind],
            total=True,
        )

    carryover_label = CARRYOVER + (ESTIMATE_MARK if version.carryover_is_estimate else "")
    amount_row([carryover_label, None, None, None], version.carryover, total=True)
    balance = totals[AccountKind.INCOME] + version.carryover - totals[AccountKind.EXPENDITURE]
    amount_row([BALANCE, None, None, None], balance, total=True)

    for letter, width in zip("ABCDE", (12, 28, 8, 18, 36), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"

    out = BytesIO()
    wb.save(out)
    return out.getvalue()
