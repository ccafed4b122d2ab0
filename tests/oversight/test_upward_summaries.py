"""Upward summaries (issue 33): the subordinate unions' budgets and final accounts in force summed by
account in the ACFTU layout, the unions that have not submitted (with the step they stand at), the
workbook, who may see it, and a query count that does not grow with the unions.

Most documents are placed as rows the way the chains leave them (status in force, the version in force
pointed at by ``current_version``): the chains themselves are tested in tests/workflows and
tests/final_accounts; one budget goes through the real S3.3 chain to show that the summary reads what
the chain writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import Role, UnionKind
from oversight.selectors.upward import BALANCE, CARRYOVER, EXPENDITURE_TOTAL, INCOME_TOTAL, upward_summary
from tests.factories import BALANCED_LINES, make_union, seated
from tests.factories import CARRYOVER as A1_CARRYOVER
from tests.oversight.helpers import sheet_rows, workbook
from tests.scenarios import to_audit_review
from workflows.budget.models import Budget, BudgetLine, BudgetStatus, BudgetVersion
from workflows.final_accounts.models import (
    FinalAccounts,
    FinalAccountsLine,
    FinalAccountsVersion,
)

D = Decimal
YEAR = 2026
A2_LINES = {"401": D("50000.00"), "403": D("8000.00"), "50101": D("20000.00"), "50405": D("30000.00")}
B1_LINES = {"401": D("7000.00"), "50502": D("5000.00")}
ONE_THOUSAND = D("1000.00")


def placed_budget(union, drafter, lines: dict, *, year=YEAR, carryover=ONE_THOUSAND, status="in_force"):
    """A budget as the chain leaves it: an earlier version (other figures, not in force) and the
    version in force."""
    budget = Budget.objects.create(
        union=union, year=year, title=f"{union.name}{year}年度预算", status=status, drafter=drafter
    )
    old = BudgetVersion.objects.create(budget=budget, number=1, carryover=D("999"), created_by=drafter)
    BudgetLine.objects.create(version=old, account_id="401", amount=D("123456.00"))
    version = BudgetVersion.objects.create(budget=budget, number=2, carryover=carryover, created_by=drafter)
    BudgetLine.objects.bulk_create(
        BudgetLine(version=version, account_id=c, amount=a) for c, a in lines.items()
    )
    budget.current_version = version
    budget.save(update_fields=["current_version"])
    return budget


def placed_final_accounts(budget, actuals: dict, *, carryover=ONE_THOUSAND, status="in_force"):
    version = budget.current_version
    fa = FinalAccounts.objects.create(
        union=budget.union,
        year=budget.year,
        title=f"{budget.union.name}{budget.year}年度决算",
        status=status,
        drafter=budget.drafter,
        budget=budget,
        budget_version=version,
    )
    fa_version = FinalAccountsVersion.objects.create(
        final_accounts=fa, number=1, carryover=carryover, created_by=budget.drafter
    )
    FinalAccountsLine.objects.bulk_create(
        FinalAccountsLine(
            version=fa_version,
            account_id=line.account_id,
            budgeted=line.amount,
            actual=actuals.get(line.account_id),
        )
        for line in version.lines.all()
    )
    fa.current_version = fa_version
    fa.save(update_fields=["current_version"])
    return fa


def by_key(rows) -> dict:
    return {row.heading or row.code: row.values for row in rows}


@pytest.fixture
def supervisor_a(tree):
    return seated(tree["dept_a"], Role.SUPERVISOR, username="dept-a-supervisor")


@pytest.mark.django_db
def test_budget_sums_equal_the_hand_sum_of_the_unions_below(tree, cast, budget_in_force, supervisor_a):
    # given: a1's budget through the real S3.3 chain, a2's placed; dept A, b1 and the group a1g have one too
    placed_budget(tree["a2"], cast.office, A2_LINES, carryover=D("3000.00"))
    placed_budget(tree["b1"], cast.office, B1_LINES)
    placed_budget(tree["dept_a"], cast.office, {"401": D("1.00")})
    placed_budget(tree["a1g"], cast.office, {"401": D("2.00")})
    a1 = {line.account_code: line.amount for line in BALANCED_LINES}
    # when
    summary = upward_summary(union=tree["dept_a"], year=YEAR)
    rows = by_key(summary.budget_rows)
    # then: a1 + a2 only (dept A's own budget, b1 of dept B and the union group are not summed)
    assert {u.pk for u in summary.unions} == {tree["a1"].pk, tree["a2"].pk}
    assert rows["401"] == (a1["401"] + A2_LINES["401"],)
    assert rows["403"] == (A2_LINES["403"],)
    assert rows["50101"] == (a1["50101"] + A2_LINES["50101"],)
    assert rows["501"] == (a1["50101"] + a1["50102"] + A2_LINES["50101"],)  # a parent sums its sub-accounts
    income = a1["401"] + a1["402"] + A2_LINES["401"] + A2_LINES["403"]
    spent = a1["50101"] + a1["50102"] + a1["50502"] + A2_LINES["50101"] + A2_LINES["50405"]
    assert rows[INCOME_TOTAL] == (income,)
    assert rows[EXPENDITURE_TOTAL] == (spent,)
    assert rows[CARRYOVER] == (A1_CARRYOVER + D("3000.00"),)
    assert rows[BALANCE] == (income + A1_CARRYOVER + D("3000.00") - spent,)
    # the ACFTU order: income total, income accounts, expenditure total, 501 and its sub-accounts …
    order = [row.heading or row.code for row in summary.budget_rows]
    assert order[:7] == [INCOME_TOTAL, "401", "402", "403", "405", "408", EXPENDITURE_TOTAL]
    assert order[7:9] == ["501", "50101"] and order[-2:] == [CARRYOVER, BALANCE]
    assert [row.number for row in summary.budget_rows] == list(range(1, len(order) + 1))
    assert len(summary.budget_submitted) == 2


@pytest.mark.django_db
def test_provincial_union_sums_its_departments_and_their_grassroots_unions_each_once(tree, cast):
    # given: every union of the tree has a budget in force, the union group too
    for code, amount in (
        ("dept_a", "100"),
        ("dept_b", "200"),
        ("a1", "1000"),
        ("a2", "2000"),
        ("b1", "4000"),
    ):
        placed_budget(tree[code], cast.office, {"401": D(amount)})
    placed_budget(tree["a1g"], cast.office, {"401": D("8")})
    placed_budget(tree["prov"], cast.office, {"401": D("16")})
    # when
    prov = upward_summary(union=tree["prov"], year=YEAR)
    dept_b = upward_summary(union=tree["dept_b"], year=YEAR)
    # then: departments and grandchildren, not the union group nor the provincial union's own
    assert by_key(prov.budget_rows)["401"] == (D("7300"),)
    assert {u.kind for u in prov.unions} == {UnionKind.DEPARTMENT, UnionKind.GRASSROOTS}
    assert [u.kind for u in prov.unions][:2] == [UnionKind.DEPARTMENT] * 2  # departments first
    assert by_key(dept_b.budget_rows)["401"] == (D("4000"),)


@pytest.mark.django_db
def test_final_accounts_budgeted_actual_and_completion(tree, cast):
    a1 = placed_budget(
        tree["a1"], cast.office, {"401": D("100000"), "50101": D("80000")}, carryover=D("5000")
    )
    a2 = placed_budget(tree["a2"], cast.office, {"401": D("50000"), "50101": D("40000")}, carryover=D("1000"))
    placed_final_accounts(a1, {"401": D("102000"), "50101": D("70000")}, carryover=D("6000"))
    placed_final_accounts(a2, {"401": D("48000"), "50101": D("41000")}, carryover=D("1500"))
    summary = upward_summary(union=tree["dept_a"], year=YEAR)
    rows = {row.heading or row.code: row for row in summary.final_rows}
    assert rows["401"].values == (D("150000"), D("150000")) and rows["401"].percent == D("100.0")
    assert rows["50101"].values == (D("120000"), D("111000")) and rows["50101"].percent == D("92.5")
    assert rows[CARRYOVER].values == (D("6000"), D("7500"))  # the budgets' carryover, the audited one
    assert rows[BALANCE].values == (
        D("6000") + D("150000") - D("120000"),
        D("7500") + D("150000") - D("111000"),
    )
    assert rows["403"].percent is None  # nothing budgeted
    assert summary.not_submitted == []


@pytest.mark.django_db
def test_unions_without_a_budget_in_force_are_listed_as_not_submitted_with_their_step(
    tree, cast, submitted_budget, supervisor_a, login
):
    # given: a1's budget at the fund audit committee; a2 has drawn up nothing; a new union's budget returned
    to_audit_review(submitted_budget(year=YEAR), cast)
    a3 = make_union(UnionKind.GRASSROOTS, tree["dept_a"], name="测试第三基层工会")
    placed_budget(a3, cast.office, {"401": D("10")}, status=BudgetStatus.RETURNED)
    # when
    summary = upward_summary(union=tree["dept_a"], year=YEAR)
    page = login(supervisor_a).get(reverse("oversight:upward"), {"year": YEAR})
    # then
    missing = {m.union.pk: m for m in summary.not_submitted}
    assert missing[tree["a1"].pk].budget == BudgetStatus.AUDIT_REVIEW
    assert missing[tree["a2"].pk].budget is None and missing[tree["a2"].pk].final is None
    assert missing[a3.pk].budget == BudgetStatus.RETURNED
    assert by_key(summary.budget_rows)[INCOME_TOTAL] == (D("0"),)  # nothing in force, nothing summed
    text = page.content.decode()
    assert page.status_code == 200
    assert "经审会审查中" in text and "已退回修改" in text and "未编制" in text
    assert tree["a2"].name in text and "测试第三基层工会" in text


@pytest.mark.django_db
def test_outsiders_are_refused(tree, cast, supervisor_of, login, client):
    placed_budget(tree["a1"], cast.office, {"401": D("10")})
    other = supervisor_of(tree["dept_b"])
    # a supervisor of another department asking for department A: refused, page and workbook
    login(other)
    for name in ("oversight:upward", "oversight:upward_export"):
        assert client.get(reverse(name), {"union": tree["dept_a"].pk}).status_code == 403
    # a grassroots union's chair oversees nothing below: no summary to show, no workbook
    login(cast.chair)
    page = client.get(reverse("oversight:upward"))
    assert page.status_code == 200 and 'data-testid="upward-none"' in page.content.decode()
    assert tree["a1"].name not in page.content.decode()
    assert client.get(reverse("oversight:upward_export")).status_code == 403
    # someone without a seat
    login(seated(tree["a1"], Role.REPRESENTATIVE, "congress"))
    assert client.get(reverse("oversight:upward")).status_code == 403


@pytest.mark.django_db
def test_provincial_supervisor_may_choose_a_department(tree, cast, supervisor_of, login):
    placed_budget(tree["a1"], cast.office, {"401": D("10")})
    placed_budget(tree["b1"], cast.office, {"401": D("20")})
    client = login(supervisor_of(tree["prov"]))
    page = client.get(reverse("oversight:upward"), {"union": tree["dept_b"].pk, "year": YEAR})
    assert page.status_code == 200
    text = page.content.decode()
    assert tree["a1"].name not in text  # department A's union is not in department B's summary
    assert f'data-testid="missing-{tree["b1"].pk}"' in text  # its budget is in force, its final accounts not
    assert 'data-testid="budget-401"' in text and "20.00" in text


def _grow(tree, cast, n: int) -> None:
    for i in range(n):
        union = make_union(UnionKind.GRASSROOTS, tree["dept_a"], name=f"扩充基层工会{i}")
        budget = placed_budget(union, cast.office, {"401": D("10"), "50101": D("5")})
        placed_final_accounts(budget, {"401": D("9"), "50101": D("5")})


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_unions(tree, cast, supervisor_a, login):
    client = login(supervisor_a)

    def count(name):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name), {"year": YEAR}).status_code == 200
        return len(queries)

    _grow(tree, cast, 2)
    count("oversight:upward")  # the first request of a session reads what later ones keep
    page_2, export_2 = count("oversight:upward"), count("oversight:upward_export")
    _grow(tree, cast, 4)  # 2 → 6 unions below dept A besides a1 and a2
    assert count("oversight:upward") == page_2 <= 12
    assert count("oversight:upward_export") == export_2


@pytest.mark.django_db
def test_workbook_sheets_hold_the_recorded_figures(tree, cast, supervisor_a, login):
    a1 = placed_budget(
        tree["a1"], cast.office, {"401": D("100000"), "50101": D("80000")}, carryover=D("5000")
    )
    placed_budget(tree["a2"], cast.office, A2_LINES)
    placed_final_accounts(a1, {"401": D("102000"), "50101": D("70000")}, carryover=D("6000"))
    response = login(supervisor_a).get(reverse("oversight:upward_export"), {"year": YEAR})
    wb = workbook(response)
    assert wb.sheetnames == ["预算汇总", "决算汇总", "未报送单位", "预算分单位", "决算分单位"]
    budget = wb["预算汇总"]
    assert budget["A1"].value == f"{tree['dept_a'].name} {YEAR}年度工会经费收支预算汇总表"
    assert budget["D3"].value == "单位：元" and budget.freeze_panes == "A5"
    assert [c.value for c in budget[4]] == ["项目", "行次", "科目编码", "预算数"]
    rows = {r[2] or r[0]: r for r in sheet_rows(budget)[4:]}
    assert rows["401"][3] == 150000 and rows["401"][0] == "　会费收入"
    assert rows["一、收入合计"][3] == 150000 + 8000
    assert rows["50405"][3] == 30000 and budget.cell(5, 4).number_format == "#,##0.00"
    final = wb["决算汇总"]
    assert [c.value for c in final[4]] == ["项目", "行次", "科目编码", "预算数", "决算数", "完成%"]
    final_rows = {r[2] or r[0]: r for r in sheet_rows(final)[4:]}
    assert final_rows["401"][3:6] == (100000, 102000, 102)
    assert final_rows["三、上年结转（滚存）经费"][3:5] == (5000, 6000)
    missing = sheet_rows(wb["未报送单位"])[3:]
    assert missing == [(1, tree["a2"].name, "基层工会", "已报送", "未报送（未编制）")]
    per_union = sheet_rows(wb["预算分单位"])
    assert per_union[3][:6] == ("工会", "类型", "上年结转", "收入合计", "支出合计", "收支差额")
    a1_row = next(r for r in per_union if r[0] == tree["a1"].name)
    assert a1_row[2:6] == (5000, 100000, 80000, 25000)
