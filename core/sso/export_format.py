"""Reading the organ's HR/OA export of people for the people sync (issue 31).

The format, CSV or JSON, one person per row:

==================  =========================================================================
column              meaning
==================  =========================================================================
employee_number     the organ's employee number (工号); required, once per file
full_name           the person's name; required for a person new to Wuyi
phone               mobile (``13800000001``, ``+86 138-0000-0001``) or landline (``010-12345678``)
email               e-mail address
department_code     optional: the code of the union the person's department belongs to (their
                    home union in Wuyi)
status              ``active`` (or empty) or ``left``
wecom_userid        the person's WeCom (政务微信) user id
dingtalk_userid     the person's DingTalk (钉钉) user id
==================  =========================================================================

CSV: UTF-8 (with or without the byte-order mark Excel writes) or GB18030, the first line naming the
columns (any order; only ``employee_number`` must be there), rows numbered as the lines of the file
(the first person is row 2). JSON: a list of objects with the same keys (the first person is row 1).
An empty cell or a missing key leaves what Wuyi holds as it is; unknown columns refuse the file.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from . import errors

COLUMNS = (
    "employee_number",
    "full_name",
    "phone",
    "email",
    "department_code",
    "status",
    "wecom_userid",
    "dingtalk_userid",
)
FORMATS = ("csv", "json")


@dataclass
class SyncRow:
    """One person of the export as read (values stripped), with the row's problems once checked."""

    row: int
    employee_number: str = ""
    full_name: str = ""
    phone: str = ""
    email: str = ""
    department_code: str = ""
    status: str = ""
    wecom_userid: str = ""
    dingtalk_userid: str = ""
    problems: list[str] = field(default_factory=list)

    def problem(self, message, **params) -> None:
        self.problems.append(str(message % params) if params else str(message))


class SyncFileError(ValueError):
    """A file that cannot be read as the export at all (not a row's problem): its messages."""

    def __init__(self, messages: list[str]):
        self.messages = [str(m) for m in messages]
        super().__init__("; ".join(self.messages))


def _text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SyncFileError([errors.SYNC_NOT_UTF8])


def _row(number: int, values: dict) -> SyncRow:
    cleaned = {k: "" if values.get(k) is None else str(values[k]).strip() for k in COLUMNS}
    cleaned["status"] = cleaned["status"].lower()
    return SyncRow(row=number, **cleaned)


def _unknown(columns) -> None:
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise SyncFileError(
            [errors.SYNC_UNKNOWN_COLUMNS % {"columns": ", ".join(unknown), "known": ", ".join(COLUMNS)}]
        )


def rows_from_csv(text: str) -> list[SyncRow]:
    reader = csv.DictReader(io.StringIO(text))
    header = [(name or "").strip() for name in reader.fieldnames or []]
    if "employee_number" not in header:
        raise SyncFileError([errors.SYNC_NO_HEADER])
    _unknown([c for c in header if c])
    reader.fieldnames = header
    rows = []
    for number, values in enumerate(reader, start=2):
        if any((v or "").strip() for k, v in values.items() if k):
            rows.append(_row(number, values))
    return rows


def rows_from_json(text: str) -> list[SyncRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SyncFileError([errors.SYNC_BAD_JSON % {"problem": exc.msg}]) from None
    if not isinstance(data, list):
        raise SyncFileError([errors.SYNC_JSON_NOT_LIST])
    bad = [
        str(errors.SYNC_ROW_NOT_OBJECT % {"row": n})
        for n, item in enumerate(data, 1)
        if not isinstance(item, dict)
    ]
    if bad:
        raise SyncFileError(bad)
    _unknown(sorted({key for item in data for key in item}))
    return [_row(number, item) for number, item in enumerate(data, start=1)]


def read_export(content: bytes, fmt: str) -> list[SyncRow]:
    """The rows of an export file; SyncFileError when it is no export (the rows' own problems are the
    sync's to find)."""
    if fmt not in FORMATS:
        raise SyncFileError([errors.SYNC_BAD_FORMAT])
    text = _text(content)
    rows = rows_from_csv(text) if fmt == "csv" else rows_from_json(text)
    if not rows:
        raise SyncFileError([errors.SYNC_NO_ROWS])
    return rows


def format_of(file_name: str, given: str | None = None) -> str:
    """The format named, else the file's extension (csv unless it ends in .json)."""
    if given:
        return given
    return "json" if file_name.lower().endswith(".json") else "csv"
