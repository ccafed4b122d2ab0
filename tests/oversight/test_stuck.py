"""Stuck approvals: scope, bad input, counts, ageing buckets, query budget."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.models import Event
from oversight.rollups import rollups_refresh
from tests.factories import UserFactory
from workflows.models import WorkItem

NOW = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)
URL = "/oversight/stuck/"


@pytest.fixture(autouse=True)
def _at_now():
    """The clock stands at NOW from fixtures to assertions, so logins and ages agree."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def budget(cast, submitted_budget):
    with time_machine.travel(NOW - datetime.timedelta(days=60), tick=False):
        budget = submitted_budget()
    # Keep only the items this test makes: the submitted budget's own opinion items are not stuck.
    WorkItem.objects.filter(process=budget.process).update(state="canceled")
    return budget


def make_item(budget, union, *, age_days, due_in_days=None, step="audit_review", assignee=None):
    created = NOW - datetime.timedelta(days=age_days)
    return WorkItem.objects.create(
        process=budget.process,
        union=union,
        document_type="budget",
        document_id=budget.pk,
        document_title=f"Budget of {union.name}",
        step=step,
        step_title="Audit review" if step == "audit_review" else "Opinions",
        kind="person",
        assignee=assignee,
        created_at=created,
        due_at=None if due_in_days is None else NOW + datetime.timedelta(days=due_in_days),
    )


def shown_ids(response) -> set[int]:
    return {row["item"].pk for row in response.context["rows"]}


@pytest.fixture
def spread(tree, budget, cast):
    """One stuck item in each grassroots union and one that is neither old nor overdue."""
    return {
        "a1": make_item(budget, tree["a1"], age_days=10, assignee=cast.chair),
        "a2": make_item(budget, tree["a2"], age_days=2, due_in_days=-1, assignee=cast.chair),
        "b1": make_item(budget, tree["b1"], age_days=40, assignee=cast.chair),
        "fresh": make_item(budget, tree["a1"], age_days=1, due_in_days=5, assignee=cast.chair),
    }


@pytest.mark.django_db
def test_department_supervisor_sees_its_grassroots_unions_not_the_sibling_department(
    tree, spread, supervisor_of, login
):
    client = login(supervisor_of(tree["dept_a"]))
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL)
    assert response.status_code == 200
    assert shown_ids(response) == {spread["a1"].pk, spread["a2"].pk}
    assert b"Budget of" in response.content
    assert reverse("workflows:urge", args=[spread["a1"].pk]).encode() in response.content


@pytest.mark.django_db
def test_provincial_supervisor_sees_every_stuck_item_below(tree, spread, supervisor_of, login):
    client = login(supervisor_of(tree["prov"]))
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL)
    assert shown_ids(response) == {spread["a1"].pk, spread["a2"].pk, spread["b1"].pk}


@pytest.mark.django_db
def test_chair_sees_only_their_own_union_and_cannot_urge(cast, spread, login):
    client = login(cast.chair)
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL)
    assert response.status_code == 200
    assert shown_ids(response) == {spread["a1"].pk}
    assert reverse("workflows:urge", args=[spread["a1"].pk]).encode() not in response.content


@pytest.mark.django_db
def test_member_without_supervisor_or_chair_seat_is_refused_and_logged(cast, spread, login):
    client = login(cast.audit_director)
    response = client.get(URL)
    assert response.status_code == 403
    assert Event.objects.filter(verb="access_denied", actor=cast.audit_director).exists()
    outsider = UserFactory()
    assert login(outsider).get(URL).status_code == 403


@pytest.mark.django_db
def test_sibling_union_cannot_be_chosen_as_a_filter(tree, spread, supervisor_of, login):
    client = login(supervisor_of(tree["dept_a"]))
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, {"union": tree["b1"].pk})
    assert response.status_code == 200
    assert shown_ids(response) == {spread["a1"].pk, spread["a2"].pk}
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"older_than": "abc"},
        {"older_than": "-4"},
        {"older_than": "99999999999999999999"},
        {"union": "x"},
        {"union": "999999"},
        {"step": "'; drop table"},
        {"type": "nope"},
        {"after": "garbage"},
        {"after": "2027-13-45T00:00:00_1"},
    ],
)
def test_nonsense_filters_are_ignored_with_a_message(tree, spread, supervisor_of, login, params):
    client = login(supervisor_of(tree["prov"]))
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL, params)
    assert response.status_code == 200
    assert list(response.context["messages"])
    assert len(shown_ids(response)) == 3


@pytest.mark.django_db
def test_filters_narrow_the_list(tree, budget, supervisor_of, login):
    a1_opinion = make_item(budget, tree["a1"], age_days=9, step="opinion")
    a1_audit = make_item(budget, tree["a1"], age_days=9)
    a2_audit = make_item(budget, tree["a2"], age_days=9)
    client = login(supervisor_of(tree["prov"]))
    with time_machine.travel(NOW, tick=False):
        assert shown_ids(client.get(URL, {"step": "opinion"})) == {a1_opinion.pk}
        assert shown_ids(client.get(URL, {"union": tree["a2"].pk})) == {a2_audit.pk}
        assert shown_ids(client.get(URL, {"type": "annual_plan"})) == set()
        assert shown_ids(client.get(URL, {"older_than": "10"})) == set()
        assert shown_ids(client.get(URL, {"older_than": "3"})) == {a1_opinion.pk, a1_audit.pk, a2_audit.pk}


@pytest.mark.django_db
def test_counts_and_ageing_buckets_on_a_known_dataset(tree, budget, supervisor_of, login):
    # given: ages 1 (overdue), 3 (overdue), 5 (overdue), 8, 14, 15, 30, 31, 100 days
    for age in (1, 3, 5):
        make_item(budget, tree["a1"], age_days=age, due_in_days=-0.5, step="opinion")
    for age in (8, 14, 15, 30, 31, 100):
        make_item(budget, tree["a2"] if age > 20 else tree["b1"], age_days=age)
    make_item(budget, tree["a1"], age_days=6, due_in_days=3)  # neither old nor overdue
    supervisor = supervisor_of(tree["prov"])
    client = login(supervisor)
    # when: the page is read at NOW
    with time_machine.travel(NOW, tick=False):
        response = client.get(URL)
    # then
    assert response.context["buckets"] == [("0–3", 2), ("4–7", 1), ("8–14", 2), ("15–30", 2), (">30", 2)]
    assert response.context["total"] == 9
    by_step = {row["step"]: row["count"] for row in response.context["by_step"]}
    assert by_step == {"opinion": 3, "audit_review": 6}
    by_union = {row["union_id"]: row["count"] for row in response.context["by_union"]}
    assert by_union == {tree["a1"].pk: 3, tree["a2"].pk: 3, tree["b1"].pk: 3}
    days_late = sorted(row["days_late"] for row in response.context["rows"] if row["days_late"] is not None)
    assert days_late == [0, 0, 0]

    # time moves on a week: the young items age into the next buckets
    with time_machine.travel(NOW + datetime.timedelta(days=7), tick=False):
        response = login(supervisor).get(URL)
    assert response.context["buckets"] == [("0–3", 0), ("4–7", 0), ("8–14", 4), ("15–30", 3), (">30", 3)]
    assert response.context["total"] == 10


@pytest.mark.django_db
def test_keyset_pagination_walks_every_item_once(tree, budget, supervisor_of, login, monkeypatch):
    monkeypatch.setattr("oversight.selectors.stuck.PAGE_SIZE", 3)
    items = {make_item(budget, tree["a1"], age_days=10).pk for _ in range(7)}
    client = login(supervisor_of(tree["prov"]))
    seen, url, pages = [], URL, 0
    with time_machine.travel(NOW, tick=False):
        while url:
            response = client.get(url if url.startswith("/") else URL + url)
            seen += [row["item"].pk for row in response.context["rows"]]
            url = response.context["next_url"]
            pages += 1
    assert pages == 3
    assert sorted(seen) == sorted(items)


@pytest.mark.django_db
@pytest.mark.parametrize("per_union", [1, 10])
def test_page_costs_a_constant_number_of_queries(
    tree, budget, supervisor_of, login, django_assert_max_num_queries, per_union
):
    # 2 and 30 stuck items across unions (a1 holds one of the 2)
    unions = [tree["a1"], tree["a2"], tree["b1"]] if per_union > 1 else [tree["a1"], tree["b1"]]
    for union in unions:
        for i in range(per_union):
            make_item(budget, union, age_days=10 + i, step="opinion" if i % 2 else "audit_review")
    rollups_refresh()  # the beat has run: the provincial counts are read, not counted (oversight.rollups)
    client = login(supervisor_of(tree["prov"]))
    with time_machine.travel(NOW, tick=False):
        # the first request also writes the session; a filtered province is counted on first use and
        # kept (oversight.rollups: two queries more than reading it)
        with django_assert_max_num_queries(10):
            response = client.get(URL)
        assert response.context["total"] == len(unions) * per_union
        with django_assert_max_num_queries(10):
            response = client.get(URL, {"older_than": "7", "step": "opinion" if per_union > 1 else ""})
        assert response.status_code == 200
