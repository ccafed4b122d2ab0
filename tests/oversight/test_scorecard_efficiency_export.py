"""Compliance scorecard, efficiency and the .xlsx exports on known datasets with the clock
moved: every status of the scorecard, totals per obligation, keyset pages; mean and median per
step (percentile_cont), overdue rate, the monthly trend; the exports checked cell by cell."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from core.statutory import Obligation, ObligationStatus
from oversight.xlsx import STUCK_HEADERS
from tests.oversight.helpers import NOW, make_item, sheet_rows, workbook
from workflows.models import WorkItem

SCORECARD = "/oversight/scorecard/"
EFFICIENCY = "/oversight/efficiency/"
TODAY = datetime.date(2027, 3, 1)


@pytest.fixture(autouse=True)
def _at_now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def budget(cast, submitted_budget):
    with time_machine.travel(NOW - datetime.timedelta(days=60), tick=False):
        budget = submitted_budget()
    WorkItem.objects.filter(process=budget.process).update(state="canceled")
    return budget


@pytest.fixture
def obligations(tree, budget):
    """2027 at 1 March: a1 S3.3 under way at the audit review (its budget is for 2027), a1 S1.2 not due;
    a2 S3.3 met on 10 Feb, a2 S1.2 late; b1 S3.3 missed (due Oct 2026, 90 days), b1 S1.2 returned."""
    a1, a2, b1 = tree["a1"], tree["a2"], tree["b1"]
    make_item(budget, a1, age_days=3)  # the budget of 2027 waits at the audit review

    def make(union, code, due, **kw):
        return Obligation.objects.create(union=union, code=code, fiscal_year=2027, due_date=due, **kw)

    make(a1, "S3.3", datetime.date(2027, 3, 31))
    make(a1, "S1.2", datetime.date(2027, 12, 31))
    make(a2, "S3.3", datetime.date(2027, 3, 31), met_on=datetime.date(2027, 2, 10), status="met")
    make(a2, "S1.2", datetime.date(2027, 2, 1))
    make(b1, "S3.3", datetime.date(2026, 10, 1))
    make(b1, "S1.2", datetime.date(2027, 12, 31), status=ObligationStatus.RETURNED)


def _cells(response) -> dict[int, dict[str, tuple]]:
    columns = [key for key, _label in response.context["columns"]]
    out = {}
    for line in response.context["grid"]:
        out[line["row"].union_id] = {
            key[0]: (cell.status, cell.met_on, cell.step)
            for key, cell in zip(columns, line["cells"], strict=True)
            if cell
        }
    return out


@pytest.mark.django_db
def test_scorecard_shows_every_status_with_date_and_step_and_totals(tree, obligations, supervisor_of, login):
    client = login(supervisor_of(tree["prov"]))
    response = client.get(SCORECARD, {"year": 2027})
    assert response.status_code == 200
    cells = _cells(response)
    assert cells[tree["a1"].pk] == {
        "S3.3": ("in_progress", None, "Audit review"),
        "S1.2": ("pending", None, ""),
    }
    assert cells[tree["a2"].pk] == {
        "S3.3": ("met", datetime.date(2027, 2, 10), ""),
        "S1.2": ("late", None, ""),
    }
    assert cells[tree["b1"].pk] == {"S3.3": ("missed", None, ""), "S1.2": ("returned", None, "")}
    assert cells[tree["dept_a"].pk] == {}
    # totals per obligation, in the order met, in progress, pending, returned, late, missed
    totals = dict(
        zip([key for key, _l in response.context["columns"]], response.context["totals"], strict=True)
    )
    assert totals[("S3.3", "")] == [1, 1, 0, 0, 0, 1]
    assert totals[("S1.2", "")] == [0, 0, 1, 1, 1, 0]
    assert response.context["union_count"] == 5

    # time moves past the end of March: a1's budget is late, still showing its step
    with time_machine.travel(datetime.datetime(2027, 4, 2, 9, tzinfo=datetime.UTC), tick=False):
        later = login(supervisor_of(tree["prov"])).get(SCORECARD, {"year": 2027})
    assert _cells(later)[tree["a1"].pk]["S3.3"] == ("late", None, "Audit review")


@pytest.mark.django_db
def test_scorecard_filters_by_department_kind_and_status(tree, obligations, supervisor_of, login):
    client = login(supervisor_of(tree["prov"]))

    def shown(**params):
        return set(_cells(client.get(SCORECARD, {"year": 2027, **params})))

    assert shown(department=tree["dept_a"].pk) == {tree["dept_a"].pk, tree["a1"].pk, tree["a2"].pk}
    assert shown(kind="department") == {tree["dept_a"].pk, tree["dept_b"].pk}
    assert shown(status="missed") == {tree["b1"].pk}
    assert shown(status="in_progress") == {tree["a1"].pk}
    assert shown(status="late", code="S3.3") == set()
    assert shown(status="late", code="S1.2") == {tree["a2"].pk}
    response = client.get(SCORECARD, {"year": 2027, "status": "missed"})
    assert response.context["union_count"] == 1
    assert [key for key, _l in response.context["columns"]] == [("S1.2", ""), ("S3.3", "")]
    assert response.context["totals"] == [[0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 1]]


@pytest.mark.django_db
def test_scorecard_keyset_pages_walk_every_union_once(tree, obligations, supervisor_of, login, monkeypatch):
    monkeypatch.setattr("oversight.selectors.scorecard.SCORECARD_PAGE_SIZE", 2)
    client = login(supervisor_of(tree["prov"]))
    seen, url = [], f"{SCORECARD}?year=2027"
    while url:
        response = client.get(url)
        seen += [line["row"].union_id for line in response.context["grid"]]
        url = response.context["next_url"] and SCORECARD + response.context["next_url"]
    assert sorted(seen) == sorted(tree[n].pk for n in ("dept_a", "dept_b", "a1", "a2", "b1"))


@pytest.mark.django_db
def test_efficiency_mean_median_overdue_rate_and_trend(tree, budget, supervisor_of, login):
    a1, a2 = tree["a1"], tree["a2"]
    # audit review took 1, 2 and 6 days in a1 (the 6-day one after its due date); opinions 4 and 8 in a2
    for days, due in ((1, None), (2, None), (6, 3)):
        make_item(
            budget, a1, age_days=50, finished_after_days=days, state="done", due_in_days=due and -50 + due
        )
    for days in (4, 8):
        make_item(budget, a2, age_days=50, finished_after_days=days, state="done", step="opinion")
    make_item(budget, a1, age_days=400, finished_after_days=1, state="done")  # over a year ago: not counted
    # trend: open since 15 Dec 2026, due 10 Jan 2027; and one open 10 Nov 2026 – 20 Jan 2027, due 5 Dec
    WorkItem.objects.filter(pk=make_item(budget, a1, age_days=0).pk).update(
        created_at=datetime.datetime(2026, 12, 15, tzinfo=datetime.UTC),
        due_at=datetime.datetime(2027, 1, 10, tzinfo=datetime.UTC),
    )
    WorkItem.objects.filter(pk=make_item(budget, a2, age_days=0, state="canceled").pk).update(
        created_at=datetime.datetime(2026, 11, 10, tzinfo=datetime.UTC),
        due_at=datetime.datetime(2026, 12, 5, tzinfo=datetime.UTC),
        finished_at=datetime.datetime(2027, 1, 20, tzinfo=datetime.UTC),
    )
    response = login(supervisor_of(tree["prov"])).get(EFFICIENCY)
    assert response.status_code == 200
    steps = {r.key: (r.count, r.mean_days, r.median_days, r.overdue) for r in response.context["by_step"]}
    assert steps == {"audit_review": (3, 3.0, 2.0, 1), "opinion": (2, 6.0, 6.0, 0)}
    unions = {int(r.key): (r.count, r.median_days, r.overdue_rate) for r in response.context["by_union"]}
    assert unions == {a1.pk: (3, 2.0, 33.3), a2.pk: (2, 6.0, 0.0)}
    trend = {f"{p.month:%Y-%m}": (p.open, p.overdue) for p in response.context["trend"]}
    assert len(trend) == 12 and list(trend)[0] == "2026-04" and list(trend)[-1] == "2027-03"
    assert trend["2026-10"] == (0, 0)
    assert trend["2026-11"] == (1, 0)
    assert trend["2026-12"] == (2, 1)
    assert trend["2027-01"] == (1, 1)
    assert trend["2027-02"] == (1, 1)
    assert "<svg" in response.content.decode() and "<polyline" in response.content.decode()
    # filtered by step
    only = login(supervisor_of(tree["prov"])).get(EFFICIENCY, {"step": "opinion"})
    assert [r.key for r in only.context["by_step"]] == ["opinion"]


@pytest.mark.django_db
def test_stuck_export_checked_cell_by_cell(tree, cast, budget, supervisor_of, login):
    late = make_item(budget, tree["a1"], age_days=12, due_in_days=-2.5, assignee=cast.chair)
    queued = make_item(budget, tree["a2"], age_days=9, body_kind="audit_committee", step="opinion")
    make_item(budget, tree["b1"], age_days=20)  # another department: not in the export
    response = login(supervisor_of(tree["dept_a"])).get("/oversight/stuck/export/", {"sort": "-late"})
    ws = workbook(response).worksheets[0]
    assert ws.title == "积压审批"
    rows = sheet_rows(ws)
    assert rows[0] == STUCK_HEADERS
    assert len(rows) == 3
    local = datetime.timezone(datetime.timedelta(hours=8))
    assert rows[1] == (
        tree["a1"].name,
        "经费预算",
        late.document_title,
        "Audit review",
        str(cast.chair),
        (NOW - datetime.timedelta(days=12)).astimezone(local).replace(tzinfo=None),
        (NOW - datetime.timedelta(days=2.5)).astimezone(local).replace(tzinfo=None),
        2,
        12,
    )
    assert rows[2] == (
        tree["a2"].name,
        "经费预算",
        queued.document_title,
        "Opinions",
        "经费审查委员会",
        (NOW - datetime.timedelta(days=9)).astimezone(local).replace(tzinfo=None),
        None,
        None,
        9,
    )
    # same filters as the page: the step filter leaves a2's row only
    filtered = sheet_rows(
        workbook(
            login(supervisor_of(tree["dept_a"])).get("/oversight/stuck/export/", {"step": "opinion"})
        ).active
    )
    assert [r[0] for r in filtered[1:]] == [tree["a2"].name]


@pytest.mark.django_db
def test_scorecard_and_efficiency_exports_checked_cell_by_cell(tree, obligations, supervisor_of, login):
    client = login(supervisor_of(tree["dept_a"]))
    wb = workbook(client.get("/oversight/scorecard/export/", {"year": 2027}))
    rows = sheet_rows(wb["五个一履职"])
    header = rows[0]
    assert header[:2] == ("工会", "类型") and len(header) == 4
    # the obligations in words (S1.2, S3.3), without their seed clauses
    assert header[2].startswith("同级党组织听取工会工作汇报")
    assert header[3].startswith("会员（代表）大会审议批准经费预算")
    s12, s33 = 2, 3
    by_union = {r[0]: r for r in rows[1:]}
    assert set(by_union) == {tree["a1"].name, tree["a2"].name}
    assert by_union[tree["a1"].name][1] == "基层工会"
    assert by_union[tree["a1"].name][s33] == "办理中（Audit review）"
    assert by_union[tree["a1"].name][s12] == "未到期"
    assert by_union[tree["a2"].name][s33] == "已完成 2027-02-10"
    assert by_union[tree["a2"].name][s12] == "已逾期"
    totals = {r[0]: r[1:] for r in sheet_rows(wb["合计"])[1:]}
    assert sheet_rows(wb["合计"])[0] == ("事项", "已完成", "办理中", "未到期", "退回修改", "已逾期", "未完成")
    assert list(totals.values()) == [(0, 0, 1, 0, 1, 0), (1, 1, 0, 0, 0, 0)]

    eff = workbook(client.get("/oversight/efficiency/export/"))
    assert eff.sheetnames == ["环节用时", "工会用时", "逾期趋势"]
    assert sheet_rows(eff["环节用时"])[0] == (
        "环节",
        "办结数",
        "平均用时（天）",
        "中位用时（天）",
        "逾期办结数",
        "逾期率（%）",
    )
    trend = sheet_rows(eff["逾期趋势"])
    assert trend[0] == ("月份", "在办数", "逾期数")
    assert [r[0] for r in trend[1:]][-1] == "2027-03"
    assert trend[-1][1:] == (1, 0)
