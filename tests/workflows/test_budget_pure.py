"""The budget's building blocks without the workflow: chart of accounts, amounts, version diff, xlsx."""

from __future__ import annotations

import importlib
import json
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from core.models import UnionKind
from tests.factories import UserFactory, make_union
from workflows import errors
from workflows.amounts import format_yuan, parse_amount
from workflows.budget.diff import LineChange, carryover_change, version_diff
from workflows.budget.models import Account, AccountKind, Budget, BudgetLine, BudgetVersion
from workflows.budget.xlsx import budget_to_xlsx

D = Decimal
FIXTURE = Path(__file__).resolve().parents[2] / "workflows/budget/fixtures/chart_of_accounts_2021.json"

INCOME = ["401", "402", "403", "405", "408"]
SUB_ACCOUNTS = {
    "501": ["50101", "50102", "50103", "50104", "50105", "50106"],
    "503": ["50301", "50302", "50303", "50304", "50305"],
    "504": ["50401", "50402", "50403", "50404", "50405", "50406"],
    "505": ["50501", "50502", "50503", "50504"],
}
POSTABLE_EXPENDITURE = [c for subs in SUB_ACCOUNTS.values() for c in subs] + ["507", "510"]


# --- chart of accounts ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_migration_loaded_the_2021_chart():
    accounts = {a.code: a for a in Account.objects.all()}
    expected = {*INCOME, *SUB_ACCOUNTS, *POSTABLE_EXPENDITURE, "321", "322"}
    assert set(accounts) == expected
    for code in INCOME:
        assert accounts[code].kind == AccountKind.INCOME
        assert accounts[code].postable and accounts[code].parent_id is None
    for parent, children in SUB_ACCOUNTS.items():
        assert accounts[parent].kind == AccountKind.EXPENDITURE and not accounts[parent].postable
        assert sorted(a.code for a in accounts[parent].children.all()) == children
        for code in children:
            assert accounts[code].postable and accounts[code].kind == AccountKind.EXPENDITURE
    for code in ("507", "510"):
        assert accounts[code].postable and accounts[code].parent_id is None
    for code in ("321", "322"):
        assert accounts[code].kind == AccountKind.NET_ASSETS and not accounts[code].postable
    assert accounts["401"].name == "会费收入"
    assert accounts["50405"].name == "送温暖支出"
    assert accounts["321"].name == "工会资金结转"
    assert all(a.name_en for a in accounts.values())


@pytest.mark.django_db
def test_no_2009_numbering():
    # 2009 system: 502 维权支出, 506 …, 5xx three-digit accounts that 2021 dropped.
    assert not Account.objects.filter(code__in=["502", "506", "508", "509"]).exists()
    assert Account.objects.get(code="504").name == "维权支出"


@pytest.mark.django_db
def test_chart_migration_is_idempotent_and_repairs_rows():
    Account.objects.filter(code="401").update(name="改坏了", postable=False)
    migration = importlib.import_module("workflows.budget.migrations.0002_chart_of_accounts")
    before = Account.objects.count()
    migration.load_chart(django_apps, connection.schema_editor())
    migration.load_chart(django_apps, connection.schema_editor())
    assert Account.objects.count() == before
    account = Account.objects.get(code="401")
    assert account.name == "会费收入" and account.postable


def test_fixture_lists_parents_before_children():
    entries = json.loads(FIXTURE.read_text(encoding="utf-8"))
    seen = set()
    for entry in entries:
        assert entry["model"] == "budget.account"
        parent = entry["fields"]["parent"]
        assert parent is None or parent in seen
        seen.add(entry["pk"])
    assert len(seen) == len(entries)


# --- amounts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12000.50", "12000.50"),
        ("12000", "12000.00"),
        ("0", "0.00"),
        ("0.5", "0.50"),
        ("12,000.50", "12000.50"),
        ("1,234,567.89", "1234567.89"),
        ("12，000", "12000.00"),
        ("１２０００．５０", "12000.50"),
        ("１２，０００．５", "12000.50"),
        ("  12000.5  ", "12000.50"),
        ("\u300012000\u3000", "12000.00"),
        ("12000元", "12000.00"),
        ("12,000.50 元", "12000.50"),
        ("１２０００元", "12000.00"),
        ("12.500", "12.50"),
        ("999999999999.99", "999999999999.99"),
        ("-0", "0.00"),
    ],
)
def test_parse_amount_accepts(raw, expected):
    value = parse_amount(raw)
    assert isinstance(value, Decimal)
    assert value == D(expected)
    assert str(value) == expected


def _message(exc: pytest.ExceptionInfo) -> str:
    """The message in English, whatever language an earlier request left active in this thread."""
    with translation.override("en"):
        return str(exc.value.messages[0])


INVALID = [
    "",
    "   ",
    "元",
    "abc",
    "12a",
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "inf",
    "1e5",
    "1E5",
    "1.5e3",
    "12 000",
    "1,2,3",
    "12,5",
    "12,0000",
    ".5",
    "5.",
    "1.2.3",
    "¥12",
    "0x10",
    "١٢",  # Arabic-Indic digits
]


@pytest.mark.parametrize("raw", INVALID)
def test_parse_amount_refuses_what_is_not_an_amount(raw):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        parse_amount(raw)
    assert exc.value.code == "invalid"
    with translation.override("en"):
        assert _message(exc) == str(errors.AMOUNT_INVALID % {"value": raw.strip()})


def test_parse_amount_invalid_message_quotes_the_input():
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        parse_amount("  twelve  ")
    assert _message(exc) == (
        "“twelve” is not an amount in yuan: use digits with at most two decimals, e.g. 12000.50."
    )


@pytest.mark.parametrize("raw", ["-1", "-0.01", "-12,000.50", "－１２", "−5", "-5元"])
def test_parse_amount_refuses_negative(raw):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        parse_amount(raw)
    assert exc.value.code == "negative"
    with translation.override("en"):
        assert _message(exc) == str(errors.AMOUNT_NEGATIVE)


@pytest.mark.parametrize("raw", ["0.001", "12.345", "12,000.505", "１．２３４", "1.2301"])
def test_parse_amount_refuses_more_than_two_decimals(raw):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        parse_amount(raw)
    assert exc.value.code == "max_decimal_places"
    with translation.override("en"):
        assert _message(exc) == str(errors.AMOUNT_TOO_MANY_DECIMALS)


@pytest.mark.parametrize(
    "raw", ["1000000000000", "1,000,000,000,000.00", "99999999999999", "1000000000000元"]
)
def test_parse_amount_refuses_too_large(raw):
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        parse_amount(raw)
    assert exc.value.code == "max_value"
    with translation.override("en"):
        assert _message(exc) == str(errors.AMOUNT_TOO_LARGE)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("12000.5"), "12,000.50"),
        (D("0"), "0.00"),
        (D("-0.00"), "0.00"),
        (D("7"), "7.00"),
        (D("999"), "999.00"),
        (D("1000"), "1,000.00"),
        (D("1234567.891"), "1,234,567.89"),
        (D("0.005"), "0.01"),
        (D("999999999999.99"), "999,999,999,999.99"),
        (D("-1500.5"), "-1,500.50"),
    ],
)
def test_format_yuan(value, expected):
    assert format_yuan(value) == expected


def test_format_yuan_round_trips_with_parse_amount():
    for raw in ["0.01", "12000.50", "1234567.89", "999999999999.99"]:
        assert parse_amount(format_yuan(D(raw))) == D(raw)


def test_yuan_template_filter():
    template = Template("{% load money %}[{{ a|yuan }}][{{ b|yuan }}][{{ c|yuan }}][{{ d|yuan }}]")
    out = template.render(Context({"a": D("12000.5"), "b": None, "c": 3, "d": "n/a"}))
    assert out == "[12,000.50][][3.00][n/a]"


# --- version diff ---------------------------------------------------------------------------------


def _budget(year: int = 2026) -> Budget:
    department = make_union(UnionKind.DEPARTMENT, make_union(UnionKind.PROVINCIAL))
    union = make_union(UnionKind.GRASSROOTS, department, name="测试基层工会")
    drafter = UserFactory()
    return Budget.objects.create(union=union, year=year, title=f"{year}年预算", drafter=drafter)


def _version(
    budget: Budget, number: int, lines: dict[str, str], carryover: str = "0", estimate: bool = True
) -> BudgetVersion:
    version = BudgetVersion.objects.create(
        budget=budget,
        number=number,
        carryover=D(carryover),
        carryover_is_estimate=estimate,
        created_by=budget.drafter,
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(version=version, account_id=code, amount=D(amount), remark=f"备注{code}")
        for code, amount in lines.items()
    )
    return version


@pytest.mark.django_db
def test_version_diff_keyed_by_account():
    budget = _budget()
    v1 = _version(budget, 1, {"401": "10000", "402": "5000", "50101": "3000", "50502": "800"})
    v2 = _version(budget, 2, {"401": "10000", "402": "6000.50", "50101": "3000", "50302": "1200"})
    with CaptureQueriesContext(connection) as queries:
        changes = version_diff(v1, v2)
    assert len(queries) <= 2
    assert [c.code for c in changes] == ["401", "402", "50101", "50302", "50502"]
    by_code = {c.code: c for c in changes}
    assert by_code["401"] == LineChange("401", "会费收入", "income", D("10000"), D("10000"), D("0"), "same")
    assert by_code["402"].change == "changed"
    assert by_code["402"].delta == D("1000.50")
    assert (by_code["402"].old, by_code["402"].new) == (D("5000"), D("6000.50"))
    assert by_code["50302"].change == "added"
    added = by_code["50302"]
    assert (added.old, added.new, added.delta) == (None, D("1200"), D("1200"))
    assert by_code["50302"].name == "职工之家建设支出" and by_code["50302"].kind == "expenditure"
    assert by_code["50502"].change == "removed"
    assert (by_code["50502"].old, by_code["50502"].new, by_code["50502"].delta) == (D("800"), None, D("-800"))
    assert by_code["50502"].name == "会议支出"


@pytest.mark.django_db
def test_version_diff_without_old_version_is_all_added():
    budget = _budget()
    v1 = _version(budget, 1, {"50101": "3000", "401": "10000"})
    with CaptureQueriesContext(connection) as queries:
        changes = version_diff(None, v1)
    assert len(queries) <= 1
    assert [(c.code, c.change, c.old, c.new, c.delta) for c in changes] == [
        ("401", "added", None, D("10000"), D("10000")),
        ("50101", "added", None, D("3000"), D("3000")),
    ]


@pytest.mark.django_db
def test_version_diff_of_empty_versions():
    budget = _budget()
    assert version_diff(_version(budget, 1, {}), _version(budget, 2, {})) == []


@pytest.mark.django_db
def test_carryover_change():
    budget = _budget()
    v1 = _version(budget, 1, {}, carryover="20000", estimate=True)
    v2 = _version(budget, 2, {}, carryover="18500.50", estimate=False)
    v3 = _version(budget, 3, {}, carryover="18500.50", estimate=False)
    with CaptureQueriesContext(connection) as queries:
        first = carryover_change(None, v1)
        changed = carryover_change(v1, v2)
        same = carryover_change(v2, v3)
    assert len(queries) == 0
    assert (first.old, first.new, first.delta, first.change) == (None, D("20000"), D("20000"), "added")
    assert first.new_is_estimate and not first.estimate_changed
    assert (changed.old, changed.new, changed.delta, changed.change) == (
        D("20000"),
        D("18500.50"),
        D("-1499.50"),
        "changed",
    )
    assert changed.old_is_estimate and not changed.new_is_estimate and changed.estimate_changed
    assert (same.delta, same.change, same.estimate_changed) == (D("0"), "same", False)


# --- xlsx -----------------------------------------------------------------------------------------


def _rows(data: bytes):
    wb = load_workbook(BytesIO(data))
    assert wb.sheetnames == ["预算"]
    return wb["预算"]


@pytest.mark.django_db
def test_budget_to_xlsx():
    budget = _budget(2026)
    version = _version(
        budget,
        2,
        {"401": "12000.50", "402": "30000", "50101": "15000", "50405": "8000.25", "507": "2000"},
        carryover="5000",
        estimate=True,
    )
    ws = _rows(budget_to_xlsx(version))
    title = ws.cell(1, 1).value
    assert "测试基层工会" in title and "2026" in title and "第2版" in title
    assert [c.value for c in ws[2]] == ["科目编码", "科目名称", "类别", "金额（元）", "备注"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=3)]
    assert rows == [
        ["401", "会费收入", "收入", 12000.5, "备注401"],
        ["402", "拨缴经费收入", "收入", 30000, "备注402"],
        ["收入合计", None, None, 42000.5, None],
        ["50101", "职工教育活动支出", "支出", 15000, "备注50101"],
        ["50405", "送温暖支出", "支出", 8000.25, "备注50405"],
        ["507", "资本性支出", "支出", 2000, "备注507"],
        ["支出合计", None, None, 25000.25, None],
        ["上年结转（滚存）经费（估计数）", None, None, 5000, None],
        ["收支差额", None, None, 22000.25, None],  # 42000.50 + 5000 − 25000.25
    ]
    for row in ws.iter_rows(min_row=3):
        amount = row[3]
        assert isinstance(amount.value, int | float)
        assert amount.number_format == "#,##0.00"


@pytest.mark.django_db
def test_budget_to_xlsx_audited_carryover_and_deficit():
    budget = _budget(2027)
    version = _version(budget, 1, {"401": "1000", "50502": "1500.75"}, carryover="300", estimate=False)
    rows = [[c.value for c in row] for row in _rows(budget_to_xlsx(version)).iter_rows(min_row=3)]
    labels = [r[0] for r in rows]
    assert "上年结转（滚存）经费" in labels
    assert not any("估计数" in str(label) for label in labels)
    assert rows[-1] == ["收支差额", None, None, -200.75, None]


@pytest.mark.django_db
def test_budget_to_xlsx_without_lines():
    budget = _budget(2028)
    version = _version(budget, 1, {}, carryover="0")
    rows = [[c.value for c in row] for row in _rows(budget_to_xlsx(version)).iter_rows(min_row=3)]
    assert [r[0] for r in rows] == ["收入合计", "支出合计", "上年结转（滚存）经费（估计数）", "收支差额"]
    assert [r[3] for r in rows] == [0, 0, 0, 0]
