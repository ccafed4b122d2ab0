"""Actuals per budget line (S3.4, S3.5): the .xlsx template, the all-or-nothing import, the form."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.models import UnionKind
from tests.factories import UserFactory, make_union
from workflows.budget.actuals import (
    ACTUAL_HEADER,
    HEADERS,
    NOTE,
    ActualsForm,
    ActualsImportError,
    actuals_template,
    actuals_totals,
    budget_lines,
    parse_actuals,
)
from workflows.budget.models import Budget, BudgetLine, BudgetVersion

D = Decimal
LINES = {"401": "12000.50", "402": "30000", "50101": "15000", "50405": "8000.25", "507": "2000"}


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted on their English msgids; the Chinese default is checked separately."""
    with translation.override("en"):
        yield


def _version(lines: dict[str, str] = LINES) -> BudgetVersion:
    department = make_union(UnionKind.DEPARTMENT, make_union(UnionKind.PROVINCIAL))
    union = make_union(UnionKind.GRASSROOTS, department, name="测试基层工会")
    drafter = UserFactory()
    budget = Budget.objects.create(union=union, year=2026, title="2026年预算", drafter=drafter)
    version = BudgetVersion.objects.create(budget=budget, number=1, carryover=D("5000"), created_by=drafter)
    BudgetLine.objects.bulk_create(
        BudgetLine(version=version, account_id=code, amount=D(amount)) for code, amount in lines.items()
    )
    return version


def _filled(version: BudgetVersion, actuals: dict[int, object]) -> BytesIO:
    """The downloaded template with the actual column filled in by data row index (0 = first line)."""
    wb = load_workbook(BytesIO(actuals_template(version=version, title="测试")))
    ws = wb.active
    for index, value in actuals.items():
        ws.cell(4 + index, 5).value = value
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "实际收支.xlsx"
    return out


def _workbook(rows: list[list]) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    return out


@pytest.mark.django_db
def test_template_lists_every_budget_line_with_an_empty_actual_column():
    version = _version()
    ws = load_workbook(BytesIO(actuals_template(version=version, title="某工会2026年度决算"))).active
    assert ws.title == "实际收支"
    assert ws.cell(1, 1).value == "某工会2026年度决算"
    assert ws.cell(2, 1).value == NOTE
    assert tuple(c.value for c in ws[3]) == HEADERS
    data = [tuple(c.value for c in row) for row in ws.iter_rows(min_row=4)]
    # income first, then expenditure, each by code
    assert [row[0] for row in data] == ["401", "402", "50101", "50405", "507"]
    assert data[0][1:4] == ("会费收入", "收入", 12000.5)
    assert data[3][2] == "支出"
    assert all(row[4] is None for row in data)


@pytest.mark.django_db
def test_filled_template_parses_to_amounts_per_code():
    version = _version()
    upload = _filled(version, {0: 11000, 1: "３００００．００", 2: 14999.99, 3: "8,000.25元", 4: 0})
    assert parse_actuals(upload, version=version) == {
        "401": D("11000.00"),
        "402": D("30000.00"),
        "50101": D("14999.99"),
        "50405": D("8000.25"),
        "507": D("0.00"),
    }


@pytest.mark.django_db
def test_codes_typed_as_numbers_or_full_width_are_accepted():
    version = _version({"401": "100", "50101": "50"})
    upload = _workbook([list(HEADERS), [401.0, "会费收入", "", 100, 90], ["５０１０１", "", "", 50, 40]])
    assert parse_actuals(upload, version=version) == {"401": D("90.00"), "50101": D("40.00")}


@pytest.mark.django_db
def test_every_bad_row_is_reported_by_row_and_column_and_nothing_is_returned():
    version = _version()
    upload = _workbook(
        [
            ["标题"],
            ["说明"],
            list(HEADERS),
            ["401", "会费收入", "收入", 12000.5, "一万"],  # row 4: text in a number cell
            ["402", "", "", 30000, -5],  # row 5: negative
            ["50101", "", "", 15000, 1.234],  # row 6: third decimal
            ["999", "", "", 0, 10],  # row 7: not on the chart
            ["50102", "", "", 0, 10],  # row 8: on the chart, not in this budget
            ["401", "", "", 0, 10],  # row 9: duplicate
            ["50405", "", "", 8000.25, None],  # row 10: empty actual
            ["abc", "", "", 0, 10],  # row 11: not a code
            [None, "无编码", "", 0, 10],  # row 12: code missing
            # 507 has no row at all
        ]
    )
    with pytest.raises(ActualsImportError) as caught:
        parse_actuals(upload, version=version)
    problems = caught.value.errors
    assert problems == [
        "Row 4, column E: “一万” is not an amount in yuan: use digits with at most two decimals, "
        "e.g. 12000.50.",
        "Row 5, column E: Amounts may not be negative.",
        "Row 6, column E: Amounts have at most two decimals (fen).",
        "Row 7, column A: account code 999 is not on the 2021 chart of accounts.",
        "Row 8, column A: account 50102 is not a line of this budget (S3.1: no spending outside the budget).",
        "Row 9, column A: account 401 already appears in row 4; enter each account once.",
        "Row 10, column E: the actual amount of account 50405 is empty; "
        "enter 0 if nothing was received or spent.",
        "Row 11, column A: “abc” is not an account code.",
        "Row 12, column A: the account code is missing.",
        "Account 507 资本性支出 of the budget has no row in the file: every line of the budget needs its "
        "actual amount.",
    ]
    # it is a ValidationError too, so forms can show it
    assert caught.value.messages == problems


@pytest.mark.django_db
def test_import_errors_speak_chinese_by_default():
    version = _version({"401": "100"})
    upload = _workbook([list(HEADERS), ["401", "", "", 100, "abc"]])
    with translation.override("zh-hans"), pytest.raises(ActualsImportError) as caught:
        parse_actuals(upload, version=version)
    assert "“abc”不是以元为单位的金额" in caught.value.errors[0]


@pytest.mark.django_db
def test_a_file_that_is_not_xlsx_is_refused():
    version = _version()
    with pytest.raises(ActualsImportError) as caught:
        parse_actuals(BytesIO(b"code,actual\n401,100\n"), version=version)
    assert caught.value.errors == [
        "The file is not an .xlsx workbook: download the template, fill it in and upload it again."
    ]
    # a real workbook under another name is refused by its suffix
    renamed = SimpleUploadedFile("actuals.xls", _workbook([list(HEADERS)]).getvalue())
    with pytest.raises(ActualsImportError) as caught:
        parse_actuals(renamed, version=version)
    assert len(caught.value.errors) == 1


@pytest.mark.django_db
def test_a_workbook_without_the_header_row_is_refused():
    version = _version()
    with pytest.raises(ActualsImportError) as caught:
        parse_actuals(_workbook([["编码", "金额"], ["401", 1]]), version=version)
    assert "header row" in caught.value.errors[0]


@pytest.mark.django_db
def test_header_columns_may_move():
    version = _version({"401": "100"})
    upload = _workbook([["序号", ACTUAL_HEADER, "科目名称", "科目编码"], [1, "88.5", "会费收入", "401"]])
    assert parse_actuals(upload, version=version) == {"401": D("88.50")}


@pytest.mark.django_db
def test_form_requires_every_line_and_keeps_the_input():
    version = _version({"401": "100", "50101": "50"})
    form = ActualsForm.for_version({"actual_401": "１２．５", "actual_50101": "abc"}, version=version)
    assert not form.is_valid()
    assert form.errors["actual_50101"] == [
        "“abc” is not an amount in yuan: use digits with at most two decimals, e.g. 12000.50."
    ]
    assert "actual_401" not in form.errors
    assert form["actual_50101"].value() == "abc"  # kept for the re-rendered page
    empty = ActualsForm.for_version({"actual_401": "1"}, version=version)
    assert not empty.is_valid()
    assert empty.errors["actual_50101"] == ["Enter the actual amount (0 if nothing was received or spent)."]
    good = ActualsForm.for_version({"actual_401": "12.5", "actual_50101": "0"}, version=version)
    assert good.is_valid()
    assert good.actuals() == {"401": D("12.50"), "50101": D("0.00")}
    assert [line.account_id for line, _ in good.income_rows()] == ["401"]
    assert [line.account_id for line, _ in good.expenditure_rows()] == ["50101"]


@pytest.mark.django_db
def test_form_prefills_known_actuals_and_totals_add_up():
    version = _version({"401": "100", "402": "20", "50101": "50"})
    form = ActualsForm.for_version(version=version, initial={"401": D("90")})
    assert form["actual_401"].value() == "90.00"
    lines = budget_lines(version)
    assert actuals_totals(lines=lines, actuals={"401": D("90"), "402": D("10"), "50101": D("45.5")}) == (
        D("100"),
        D("45.5"),
    )
