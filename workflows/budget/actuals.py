"""Actual income and expenditure per line of a budget version: typed in a form or imported from .xlsx.

Shared by the final accounts (S3.5) and the half-year execution analysis (S3.4). The import is all
or nothing: `parse_actuals` reads the whole workbook and reports every problem by row and column
(`ActualsImportError.errors`) before anything is returned, so a caller never saves half a file.

The template (`actuals_template`) lists every line of the budget with its budgeted amount and an
empty "actual" column; `parse_actuals` accepts exactly those lines back, each once, with a
non-negative amount of at most two decimals (full-width digits accepted, as `amounts.parse_amount`).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from workflows.amounts import parse_amount

from .forms import AmountField
from .models import Account, AccountKind, BudgetLine, BudgetVersion
from .xlsx import AMOUNT_FORMAT, KIND_LABELS

SHEET_TITLE = "实际收支"
CODE_HEADER = "科目编码"
ACTUAL_HEADER = "实际数（元）"
HEADERS = (CODE_HEADER, "科目名称", "类别", "预算数（元）", ACTUAL_HEADER)
CODE_COLUMN = 1
BUDGETED_COLUMN = 4
ACTUAL_COLUMN = 5
NOTE = (
    "填写说明：只在“实际数（元）”列填写金额，每个预算科目一行，不要增删行、不要修改科目编码；"
    "金额填写数字（元），不得为负，最多两位小数；没有发生额的填 0。"
)
# A budget has a few dozen lines; a file far longer than that is not the template.
MAX_ROWS = 2000
HEADER_SEARCH_ROWS = 10

_CODE_RE = re.compile(r"[0-9]{3,10}")
_FULL_WIDTH_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)})

# Messages (tests assert on them). Row and column are the spreadsheet's: row 5, column E.
NOT_XLSX = _("The file is not an .xlsx workbook: download the template, fill it in and upload it again.")
NO_HEADER = _(
    "The header row (科目编码 … 实际数（元）) was not found in the first %(rows)s rows: "
    "use the template offered for download."
)
TOO_MANY_ROWS = _("The file has more than %(rows)s rows: it is not the template of this budget.")
CELL_PROBLEM = _("Row %(row)s, column %(column)s: %(problem)s")
CODE_MISSING = _("the account code is missing.")
CODE_MALFORMED = _("“%(value)s” is not an account code.")
CODE_UNKNOWN = _("account code %(code)s is not on the 2021 chart of accounts.")
CODE_NOT_IN_BUDGET = _(
    "account %(code)s is not a line of this budget (S3.1: no spending outside the budget)."
)
CODE_DUPLICATE = _("account %(code)s already appears in row %(first)s; enter each account once.")
ACTUAL_EMPTY = _("the actual amount of account %(code)s is empty; enter 0 if nothing was received or spent.")
LINE_MISSING = _(
    "Account %(code)s %(name)s of the budget has no row in the file: every line of the budget needs its "
    "actual amount."
)
FORM_ACTUAL_REQUIRED = _("Enter the actual amount (0 if nothing was received or spent).")


class ActualsImportError(ValidationError):
    """Every problem of an uploaded actuals workbook, each naming its row and column."""

    def __init__(self, errors: list[str]):
        self.errors = [str(e) for e in errors]
        super().__init__(self.errors)


def budget_lines(version: BudgetVersion) -> list[BudgetLine]:
    """The version's lines with their accounts, income first, each kind by account code (one query)."""
    lines = list(version.lines.select_related("account").order_by("account_id"))
    order = {AccountKind.INCOME: 0, AccountKind.EXPENDITURE: 1}
    return sorted(lines, key=lambda line: (order.get(line.account.kind, 2), line.account_id))


# --- the template -------------------------------------------------------------------------------


def actuals_template(*, version: BudgetVersion, title: str) -> bytes:
    """The workbook to fill in: title, a note on the format, headers, one row per budget line with
    its budgeted amount and an empty actual amount."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    bold = Font(bold=True)

    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([NOTE])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    ws.cell(2, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 45
    ws.append(list(HEADERS))
    for col in range(1, len(HEADERS) + 1):
        ws.cell(3, col).font = bold
        ws.cell(3, col).alignment = Alignment(horizontal="center")
    for line in budget_lines(version):
        ws.append(
            [line.account_id, line.account.name, KIND_LABELS.get(line.account.kind, ""), line.amount, None]
        )
        row = ws.max_row
        ws.cell(row, CODE_COLUMN).number_format = "@"  # text: keeps leading digits as typed
        ws.cell(row, BUDGETED_COLUMN).number_format = AMOUNT_FORMAT
        ws.cell(row, ACTUAL_COLUMN).number_format = AMOUNT_FORMAT
    for letter, width in zip("ABCDE", (12, 28, 8, 18, 18), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A4"
    ws.print_title_rows = "1:3"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# --- the import ---------------------------------------------------------------------------------


@dataclass
class _Columns:
    header_row: int
    code: int
    actual: int


def _cell_text(value) -> str:
    """What a person sees in a cell, as text: numbers without float noise (12.5, not 12.500000001)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


def _code_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _cell_text(value).translate(_FULL_WIDTH_DIGITS).strip()


def _find_columns(rows: list[tuple]) -> _Columns | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        texts = [_cell_text(v) for v in row]
        code = next((i for i, t in enumerate(texts, start=1) if t.startswith(CODE_HEADER)), None)
        actual = next((i for i, t in enumerate(texts, start=1) if t.startswith("实际数")), None)
        if code and actual:
            return _Columns(header_row=index, code=code, actual=actual)
    return None


def _cell(row: tuple, column: int):
    return row[column - 1] if len(row) >= column else None


def _position(problem: tuple[int, int, str]) -> tuple[int, int]:
    return problem[0], problem[1]


def _at(row: int, column: int, problem) -> str:
    return str(CELL_PROBLEM % {"row": row, "column": get_column_letter(column), "problem": problem})


def _read_rows(fileobj) -> list[tuple]:
    name = getattr(fileobj, "name", "") or ""
    if name and Path(name).suffix.lower() != ".xlsx":
        raise ActualsImportError([str(NOT_XLSX)])
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ActualsImportError([str(NOT_XLSX)]) from None
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise ActualsImportError([str(NOT_XLSX)])
        rows = []
        for row in ws.iter_rows(values_only=True):
            rows.append(tuple(row))
            if len(rows) > MAX_ROWS:
                raise ActualsImportError([str(TOO_MANY_ROWS % {"rows": MAX_ROWS})])
        return rows
    finally:
        wb.close()


def parse_actuals(fileobj, *, version: BudgetVersion) -> dict[str, Decimal]:
    """The actual amount per account code of the version's lines, read from an uploaded workbook.

    Validates everything first; raises ActualsImportError listing each problem by row and column
    (unknown or malformed codes, codes outside this budget, text, negative amounts or a third decimal
    in a number cell, empty amounts, duplicates, budget lines without a row, a file that is not .xlsx).
    """
    rows = _read_rows(fileobj)
    columns = _find_columns(rows)
    if columns is None:
        raise ActualsImportError([str(NO_HEADER % {"rows": HEADER_SEARCH_ROWS})])
    lines = {line.account_id: line for line in budget_lines(version)}
    parsed, cell_problems = _row_codes(rows, columns)
    known = set(
        Account.objects.filter(code__in={code for _, code, _ in parsed}).values_list("code", flat=True)
    )
    actuals, first_row, amount_problems = _row_amounts(parsed, columns, known=known, lines=lines)
    cell_problems.extend(amount_problems)
    # reported in the order a person reads the sheet
    problems = [_at(row, column, message) for row, column, message in sorted(cell_problems, key=_position)]
    problems.extend(
        str(LINE_MISSING % {"code": code, "name": line.account.name})
        for code, line in lines.items()
        if code not in first_row
    )
    if problems:
        raise ActualsImportError(problems)
    return actuals


def _row_codes(
    rows: list[tuple], columns: _Columns
) -> tuple[list[tuple[int, str, object]], list[tuple[int, int, str]]]:
    """The rows below the header that are not empty: (row number, account code, raw amount) for each
    well-formed code, and a (row, column, message) problem for each missing or malformed one."""
    parsed: list[tuple[int, str, object]] = []
    problems: list[tuple[int, int, str]] = []
    for number, row in enumerate(rows[columns.header_row :], start=columns.header_row + 1):
        if all(_cell_text(v) == "" for v in row):
            continue
        raw_code = _cell(row, columns.code)
        code = _code_text(raw_code)
        if not code:
            problems.append((number, columns.code, CODE_MISSING))
        elif not _CODE_RE.fullmatch(code):
            problems.append((number, columns.code, CODE_MALFORMED % {"value": _cell_text(raw_code)}))
        else:
            parsed.append((number, code, _cell(row, columns.actual)))
    return parsed, problems


def _row_amounts(
    parsed: list[tuple[int, str, object]], columns: _Columns, *, known: set[str], lines: dict[str, BudgetLine]
) -> tuple[dict[str, Decimal], dict[str, int], list[tuple[int, int, str]]]:
    """The amount of each row whose code is on the chart and in the budget, once: the actuals by
    code, the row each code was first read from, and a (row, column, message) problem for the rest."""
    actuals: dict[str, Decimal] = {}
    first_row: dict[str, int] = {}
    problems: list[tuple[int, int, str]] = []
    for number, code, raw_amount in parsed:
        if code not in known:
            problems.append((number, columns.code, CODE_UNKNOWN % {"code": code}))
            continue
        if code not in lines:
            problems.append((number, columns.code, CODE_NOT_IN_BUDGET % {"code": code}))
            continue
        if code in first_row:
            problems.append((number, columns.code, CODE_DUPLICATE % {"code": code, "first": first_row[code]}))
            continue
        first_row[code] = number
        text = _cell_text(raw_amount)
        if text == "":
            problems.append((number, columns.actual, ACTUAL_EMPTY % {"code": code}))
            continue
        try:
            actuals[code] = parse_amount(text)
        except ValidationError as exc:
            problems.extend((number, columns.actual, message) for message in exc.messages)
    return actuals, first_row, problems


# --- the form -----------------------------------------------------------------------------------


class ActualsForm(forms.Form):
    """One required actual amount per line of the budget version; errors stay on their line and the
    typed text is kept on a re-rendered page (bound form)."""

    def __init__(self, *args, lines: list[BudgetLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"actual_{line.account_id}"] = AmountField(
                label=f"{line.account_id} {line.account.name}",
                required=True,
                error_messages={"required": FORM_ACTUAL_REQUIRED},
            )

    @classmethod
    def for_version(cls, data=None, *, version: BudgetVersion, initial: dict[str, Decimal] | None = None):
        """A form over the version's lines, pre-filled with known actuals (``{code: amount}``)."""
        values = {f"actual_{code}": f"{amount:.2f}" for code, amount in (initial or {}).items()}
        return cls(data, lines=budget_lines(version), initial=values)

    def rows(self):
        """(line, bound field) per budget line, for the template."""
        for line in self.lines:
            yield line, self[f"actual_{line.account_id}"]

    def income_rows(self):
        return [row for row in self.rows() if row[0].account.kind == AccountKind.INCOME]

    def expenditure_rows(self):
        return [row for row in self.rows() if row[0].account.kind == AccountKind.EXPENDITURE]

    def actuals(self) -> dict[str, Decimal]:
        """After is_valid(): the actual amount per account code."""
        return {line.account_id: self.cleaned_data[f"actual_{line.account_id}"] for line in self.lines}


def actuals_totals(*, lines: list[BudgetLine], actuals: dict[str, Decimal]) -> tuple[Decimal, Decimal]:
    """(actual income, actual expenditure) over the version's lines."""
    zero = Decimal("0")
    income = sum(
        (actuals.get(line.account_id, zero) for line in lines if line.account.kind == AccountKind.INCOME),
        zero,
    )
    expenditure = sum(
        (
            actuals.get(line.account_id, zero)
            for line in lines
            if line.account.kind == AccountKind.EXPENDITURE
        ),
        zero,
    )
    return income, expenditure
