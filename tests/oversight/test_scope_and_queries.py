"""Oversight pages and exports: the scope matrix (provincial, department supervisor,
chair, sibling department, outsider) on every page and export, bad input, and the query budget
(≤ 10 per page) at two data sizes."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from core.models import Event
from core.statutory import Obligation
from oversight.rollups import rollups_refresh
from tests.factories import UserFactory
from tests.oversight.helpers import NOW, make_item, sheet_rows, workbook
from workflows.models import WorkItem

PAGES = [
    "/oversight/stuck/",
    "/oversight/scorecard/",
    "/oversight/efficiency/",
    "/oversight/reports/",
    "/oversight/team/",
]
# The scorecard's rows carry the team's columns (S4.1 rules, S4.2 staffing, S4.4 contacts): nine more
# queries, one set-based read per part (oversight.selectors.team), the same for a page of 1 or 50 unions;
# the team tab reads the same nine over every union of the scope.
QUERY_CAPS = {"/oversight/scorecard/": 19, "/oversight/team/": 17}
EXPORTS = [
    "/oversight/stuck/export/",
    "/oversight/scorecard/export/",
    "/oversight/efficiency/export/",
    "/oversight/reports/export/",
]


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
def spread(tree, budget, cast):
    """In a1, a2 and b1: one stuck item, one step done in the last year, one obligation of 2027."""
    data = {}
    for name in ("a1", "a2", "b1"):
        union = tree[name]
        data[name] = make_item(budget, union, age_days=10, assignee=cast.chair)
        make_item(budget, union, age_days=40, state="done", finished_after_days=5)
        Obligation.objects.create(
            union=union, code="S1.2", fiscal_year=2027, due_date=datetime.date(2027, 12, 31)
        )
    return data


@pytest.fixture
def people(tree, cast, supervisor_of):
    return {
        "provincial": supervisor_of(tree["prov"]),
        "department": supervisor_of(tree["dept_a"]),
        "chair": cast.chair,
        "sibling": supervisor_of(tree["dept_b"]),
        "outsider": UserFactory(),
    }


VISIBLE = {
    "provincial": {"a1", "a2", "b1"},
    "department": {"a1", "a2"},
    "chair": {"a1"},
    "sibling": {"b1"},
}


def _union_ids(tree, names) -> set[int]:
    return {tree[n].pk for n in names}


def _shown(path: str, response) -> set[int]:
    context = response.context
    if path == "/oversight/stuck/":
        return {row["item"].union_id for row in context["rows"]}
    if path == "/oversight/scorecard/":
        return {line["row"].union_id for line in context["grid"]}
    return {int(row.key) for row in context["by_union"]}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["provincial", "department", "chair", "sibling", "outsider"])
@pytest.mark.parametrize("path", PAGES[:3])
def test_each_page_shows_exactly_the_unions_in_scope(tree, spread, people, login, role, path):
    response = login(people[role]).get(path)
    if role == "outsider":
        assert response.status_code == 403
        assert Event.objects.filter(verb="access_denied", actor=people[role]).exists()
        return
    assert response.status_code == 200
    expected = VISIBLE[role]
    if path == "/oversight/scorecard/" and role == "provincial":
        expected = expected | {"dept_a", "dept_b"}  # department unions owe obligations too (rows of "—")
    assert _shown(path, response) == _union_ids(tree, expected)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["provincial", "department", "chair", "sibling", "outsider"])
@pytest.mark.parametrize("path", EXPORTS[:3])
def test_each_export_holds_exactly_the_unions_in_scope(tree, spread, people, login, role, path):
    response = login(people[role]).get(path)
    if role == "outsider":
        assert response.status_code == 403
        return
    wb = workbook(response)
    ws = wb["工会用时"] if "efficiency" in path else wb.worksheets[0]
    names = {row[0] for row in sheet_rows(ws)[1:]}
    expected = VISIBLE[role]
    if "scorecard" in path and role == "provincial":
        expected = expected | {"dept_a", "dept_b"}
    assert names == {tree[n].name for n in expected}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["provincial", "department", "chair", "sibling", "outsider"])
def test_received_reports_page_and_export_are_for_supervisors_of_the_receiver(
    tree, spread, people, login, role
):
    client = login(people[role])
    page, export = client.get(PAGES[3]), client.get(EXPORTS[3])
    if role == "outsider":
        assert (page.status_code, export.status_code) == (403, 403)
        return
    assert page.status_code == 200
    receivers = {receiver.pk for receiver, _rows in page.context["rates"]}
    expected = {
        "provincial": {tree["prov"].pk},
        "department": {tree["dept_a"].pk},
        "sibling": {tree["dept_b"].pk},
    }
    assert receivers == expected.get(role, set())
    assert sheet_rows(workbook(export).worksheets[0])[0][0] == "报告"


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES[:3] + EXPORTS[:3])
def test_a_sibling_union_named_in_a_filter_is_ignored_with_a_message(tree, spread, people, login, path):
    client = login(people["department"])
    response = client.get(path, {"union": tree["b1"].pk, "department": tree["dept_b"].pk})
    assert response.status_code == 200
    if "export" not in path:
        assert [m.level_tag for m in response.context["messages"]] == ["warning"]
        message = str(list(response.context["messages"])[0])
        assert "已忽略" in message or "ignored" in message
        assert _shown(path, response) == _union_ids(tree, {"a1", "a2"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,params",
    [
        ("/oversight/stuck/", {"sort": "password"}),
        ("/oversight/stuck/", {"sort": "-due", "after": "eyJ4Ijp9"}),
        ("/oversight/stuck/", {"sort": "since", "after": "WyJub3QgYSBkYXRlIiwgMV0"}),
        ("/oversight/stuck/", {"department": "abc"}),
        ("/oversight/scorecard/", {"year": "1899"}),
        ("/oversight/scorecard/", {"year": "x"}),
        ("/oversight/scorecard/", {"status": "great"}),
        ("/oversight/scorecard/", {"kind": "group"}),
        ("/oversight/scorecard/", {"code": "S9.9"}),
        ("/oversight/scorecard/", {"after": "%%%"}),
        ("/oversight/efficiency/", {"step": "<script>"}),
        ("/oversight/efficiency/", {"union": "99999999999999999999999"}),
    ],
)
def test_nonsense_values_are_ignored_with_a_message_never_a_500(tree, spread, people, login, path, params):
    response = login(people["provincial"]).get(path, params)
    assert response.status_code == 200
    assert list(response.context["messages"])
    expected = {"a1", "a2", "b1"} | ({"dept_a", "dept_b"} if path == "/oversight/scorecard/" else set())
    assert _shown(path, response) == _union_ids(tree, expected)


def _grow(tree, budget, per_union: int) -> None:
    for union in (tree["a1"], tree["a2"], tree["b1"]):
        for i in range(per_union):
            make_item(budget, union, age_days=8 + i, step="opinion" if i % 2 else "audit_review")
            make_item(
                budget, union, age_days=30 + i, state="done", finished_after_days=i + 1, due_in_days=-40
            )
            Obligation.objects.get_or_create(
                union=union,
                code="S3.4-analysis",
                fiscal_year=2027,
                period=f"P{i}",
                defaults={"due_date": datetime.date(2027, 1, 1) + datetime.timedelta(days=i)},
            )


@pytest.mark.django_db
@pytest.mark.parametrize("per_union", [1, 15])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_costs_a_bounded_number_of_queries_at_two_sizes(
    tree, budget, people, login, django_assert_max_num_queries, per_union, path
):
    _grow(tree, budget, per_union)
    rollups_refresh()  # the beat has run: the provincial figures are read, not counted (oversight.rollups)
    client = login(people["provincial"])
    cap = QUERY_CAPS.get(path, 10)
    # the first request after sign-in also writes the session (3 queries in a test transaction)
    with django_assert_max_num_queries(cap):
        response = client.get(path)
    assert response.status_code == 200
    with django_assert_max_num_queries(cap):
        response = client.get(path, {"department": tree["dept_a"].pk, "step": "opinion"})
    assert response.status_code == 200
    if path == "/oversight/stuck/":
        assert response.context["total"] == (per_union // 2) * 2
    if path == "/oversight/scorecard/":
        assert len(response.context["columns"]) == per_union
