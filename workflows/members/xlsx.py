"""The members' register as an .xlsx workbook, and a filled-in workbook read back into rows (S5.3
membership), in the manner of the actual amounts' template and import (workflows/budget/actuals.py):
a title row, Chinese headers, the import finding its columns by those headers in the first rows, every
problem reported with its row, nothing returned half-read.

The export is also the import's template: the same columns, so a register exported, corrected and
uploaded again updates what was changed (``imports.members_import``)."""

from __future__ import annotations

import datetime
import re
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from core.models import Union

from . import errors, selectors
from .imports import COLUMN_HEADERS, ImportRow, MembersImportError

SHEET_TITLE = "会员名册"
COLUMNS = tuple(COLUMN_HEADERS)  # member_number, name, group_name, joined_on, phone, email
DATE_FORMAT = "yyyy-mm-dd"
# a grassroots union of the provincial organs has tens to a few thousand members
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 10
WIDTHS = (16, 12, 18, 14, 16, 26)

_FULL_WIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"／": "/", "－": "-", "．": "."})
_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_COMPACT_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")


def register_title(union: Union) -> str:
    return f"{union.name}会员名册"


# --- the export -----------------------------------------------------------------------------------


def register_to_xlsx(union: Union) -> bytes:
    """The union's active members by member number: number, name, union group, date of joining,
    phone, e-mail. Member numbers are text cells (a leading zero stays). One query."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_TITLE
    headers = [COLUMN_HEADERS[c] for c in COLUMNS]
    ws.append([register_title(union)])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append(headers)
    for col in range(1, len(headers) + 1):
        ws.cell(2, col).font = Font(bold=True)
        ws.cell(2, col).alignment = Alignment(horizontal="center")
    for member in selectors.active_members(union):
        group = member.group.name if member.group_id else None
        ws.append([member.member_number, member.name, group, member.joined_on, member.phone, member.email])
        ws.cell(ws.max_row, 1).number_format = "@"
        ws.cell(ws.max_row, 4).number_format = DATE_FORMAT
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(2, col).column_letter].width = width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading a filled-in workbook --------------------------------------------------------------------


def cell_text(value) -> str:
    """What a person sees in a cell, as text: 13800001234, not 13800001234.0; full-width digits made
    plain."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, float):
        value = format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        value = format(value, "f")
    if isinstance(value, (datetime.datetime, datetime.date)):
        value = value.strftime("%Y-%m-%d")
    return str(value).translate(_FULL_WIDTH).strip()


def cell_date(value) -> tuple[datetime.date | None, str]:
    """(the date, the cell as text): a date cell, or text written 2024-03-01, 2024/3/1, 2024.3.1,
    2024年3月1日 or 20240301. None when the cell holds no such date."""
    if isinstance(value, datetime.datetime):
        return value.date(), cell_text(value)
    if isinstance(value, datetime.date):
        return value, cell_text(value)
    text = cell_text(value)
    match = _DATE_RE.fullmatch(text) or _COMPACT_DATE_RE.fullmatch(text)
    if match is None:
        return None, text
    try:
        return datetime.date(*(int(part) for part in match.groups())), text
    except ValueError:  # 2024-02-30
        return None, text


def _workbook_rows(fileobj) -> list[tuple]:
    name = getattr(fileobj, "name", "") or ""
    if name and Path(name).suffix.lower() != ".xlsx":
        raise MembersImportError([str(errors.NOT_XLSX)])
    if hasattr(fileobj, "seek"):
        fileobj.seek(0)
    try:
        wb = load_workbook(fileobj, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise MembersImportError([str(errors.NOT_XLSX)]) from None
    try:
        if not wb.worksheets:
            raise MembersImportError([str(errors.NOT_XLSX)])
        rows = []
        for row in wb.worksheets[0].iter_rows(values_only=True):
            rows.append(tuple(row))
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise MembersImportError([str(errors.TOO_MANY_ROWS % {"rows": MAX_ROWS})])
        return rows
    finally:
        wb.close()


def _header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    """(the header's row number, {column key: 0-based index}) of the first row naming at least the
    member number and the name; a header may carry a note after its words (入会日期（年-月-日）)."""
    for number, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        texts = [cell_text(v) for v in row]
        found = {}
        for key, header in COLUMN_HEADERS.items():
            index = next((i for i, t in enumerate(texts) if t.startswith(header)), None)
            if index is not None:
                found[key] = index
        if {"member_number", "name"} <= set(found):
            return number, found
    return None


def read_rows(fileobj) -> list[ImportRow]:
    """The member rows of an uploaded workbook, as read (checked by ``imports.members_import``).
    Raises MembersImportError for a file that is not a workbook, has no header or too many rows."""
    rows = _workbook_rows(fileobj)
    header = _header(rows)
    if header is None:
        raise MembersImportError([str(errors.NO_HEADER % {"rows": HEADER_SEARCH_ROWS})])
    header_row, columns = header

    def cell(row: tuple, key: str):
        index = columns.get(key)
        return row[index] if index is not None and index < len(row) else None

    found = []
    for number, row in enumerate(rows[header_row:], start=header_row + 1):
        if all(cell_text(v) == "" for v in row):
            continue
        joined_on, joined_text = cell_date(cell(row, "joined_on"))
        found.append(
            ImportRow(
                row=number,
                member_number=cell_text(cell(row, "member_number")),
                name=cell_text(cell(row, "name")),
                group_name=cell_text(cell(row, "group_name")),
                joined_on=joined_on,
                joined_text=joined_text,
                phone=cell_text(cell(row, "phone")),
                email=cell_text(cell(row, "email")),
            )
        )
    if len(found) > MAX_ROWS:
        raise MembersImportError([str(errors.TOO_MANY_ROWS % {"rows": MAX_ROWS})])
    return found
