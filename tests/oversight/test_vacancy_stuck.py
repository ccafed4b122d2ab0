"""The stuck page and a step nobody can take (issue 24): a body's step whose body has no seat in force
says "无人可办理" in the who column, and the "nobody can act" filter lists only those, whatever their
age, with counts of them alone; refused to an outsider; a bounded number of queries."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.management import call_command

from core.models import Role, User
from notifications.models import Notification
from oversight.rollups import rollups_refresh
from tests.factories import UserFactory, seated
from tests.oversight.helpers import NOW, make_item
from workflows.models import WorkItem

URL = "/oversight/stuck/"


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
def items(tree, cast, budget):
    """a1's audit committee is seated (cast); a2's and b1's have nobody. One old and one fresh step at
    a2's empty committee, one old at a1's seated one, one old at b1's empty one, and a person's."""
    return {
        "a1_seated": make_item(budget, tree["a1"], age_days=10, body_kind="audit_committee"),
        "a2_vacant_old": make_item(budget, tree["a2"], age_days=12, body_kind="audit_committee"),
        "a2_vacant_fresh": make_item(budget, tree["a2"], age_days=1, body_kind="audit_committee"),
        "b1_vacant": make_item(budget, tree["b1"], age_days=20, body_kind="audit_committee"),
        "a1_person": make_item(budget, tree["a1"], age_days=9, assignee=cast.chair),
    }


def shown(response) -> dict[int, bool]:
    return {row["item"].pk: row["item"].vacant for row in response.context["rows"]}


@pytest.mark.django_db
def test_a_step_at_an_empty_body_says_nobody_can_act_in_the_who_column(tree, items, supervisor_of, login):
    client = login(supervisor_of(tree["dept_a"]))
    response = client.get(URL)
    assert response.status_code == 200
    rows = shown(response)
    # the default list (older than a week) marks the old vacant step, and only it
    assert rows == {
        items["a1_seated"].pk: False,
        items["a2_vacant_old"].pk: True,
        items["a1_person"].pk: False,
    }
    page = response.content.decode()
    badge = page.split(f'data-testid="vacant-{items["a2_vacant_old"].pk}"')[1].split("</span>")[0]
    assert "无人可办理" in badge
    assert f'data-testid="vacant-{items["a1_seated"].pk}"' not in page
    # nobody holds a seat to take it over: no reassign link on that row
    assert f'data-testid="reassign-{items["a2_vacant_old"].pk}"' not in page
    assert f'data-testid="reassign-{items["a1_seated"].pk}"' in page


@pytest.mark.django_db
def test_the_nobody_can_act_filter_lists_only_them_whatever_their_age_with_their_counts(
    tree, items, supervisor_of, login
):
    client = login(supervisor_of(tree["dept_a"]))
    response = client.get(URL, {"vacant": "1"})
    assert response.status_code == 200
    assert shown(response) == {items["a2_vacant_old"].pk: True, items["a2_vacant_fresh"].pk: True}
    assert response.context["total"] == 2
    assert [(r["union_id"], r["count"]) for r in response.context["by_union"]] == [(tree["a2"].pk, 2)]
    assert [count for _label, count in response.context["buckets"]][:3] == [1, 0, 1]
    page = response.content.decode()
    assert 'name="vacant" value="1" id="id_vacant" checked' in page
    # the filter is kept by the sort links and the union links
    assert "vacant=1" in response.context["sort_links"]["due"]
    # narrowed to one union, combined with the other filters
    response = client.get(URL, {"vacant": "1", "union": tree["a2"].pk, "type": "budget"})
    assert set(shown(response)) == {items["a2_vacant_old"].pk, items["a2_vacant_fresh"].pk}
    # the export lists the same steps
    assert client.get("/oversight/stuck/export/", {"vacant": "1"}).status_code == 200


@pytest.mark.django_db
def test_seating_a_member_takes_the_step_off_the_nobody_can_act_list(tree, items, supervisor_of, login):
    client = login(supervisor_of(tree["dept_a"]))
    seated(tree["a2"], Role.DIRECTOR, "audit_committee", username="a2-audit")
    response = client.get(URL, {"vacant": "1"})
    assert shown(response) == {}
    assert 'data-testid="stuck-empty"' in response.content.decode()


@pytest.mark.django_db
def test_a_bad_filter_value_is_dropped_with_a_message(tree, items, supervisor_of, login):
    client = login(supervisor_of(tree["dept_a"]))
    response = client.get(URL, {"vacant": "yes"})
    assert response.status_code == 200
    assert not response.context["filters"].vacant
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]


@pytest.mark.django_db
def test_the_provincial_counts_of_the_filter_are_live_not_the_rollups(tree, items, supervisor_of, login):
    rollups_refresh()  # the default figures are kept in a rollup for the whole province
    client = login(supervisor_of(tree["prov"]))
    response = client.get(URL, {"vacant": "1"})
    vacant = {items["a2_vacant_old"].pk, items["a2_vacant_fresh"].pk, items["b1_vacant"].pk}
    assert set(shown(response)) == vacant
    assert response.context["total"] == 3 and response.context["counts_as_of"] is None


@pytest.mark.django_db
def test_an_outsider_is_refused_and_another_unions_chair_sees_none_of_them(cast, items, login):
    assert login(UserFactory()).get(URL, {"vacant": "1"}).status_code == 403
    # b1's chair oversees b1 only
    response = login(cast.outsider).get(URL, {"vacant": "1"})
    assert response.status_code == 200
    assert set(shown(response)) == {items["b1_vacant"].pk}


@pytest.mark.django_db
@pytest.mark.parametrize("per_union", [1, 12])
def test_the_filtered_page_costs_a_bounded_number_of_queries(
    tree, budget, supervisor_of, login, django_assert_max_num_queries, per_union
):
    for union in (tree["a1"], tree["a2"], tree["b1"]):
        for i in range(per_union):
            make_item(budget, union, age_days=2 + i, body_kind="audit_committee")
    client = login(supervisor_of(tree["prov"]))
    client.get(URL)  # the first page after signing in also saves the session
    for params in ({}, {"vacant": "1"}, {"vacant": "1", "department": tree["dept_a"].pk, "sort": "-late"}):
        with django_assert_max_num_queries(10):
            response = client.get(URL, params)
        assert response.status_code == 200
    assert response.context["total"] == per_union  # a2's only: a1's committee is seated, b1 is in dept B


@pytest.mark.django_db
def test_the_demo_shows_a_step_nobody_can_act_on(client):
    with time_machine.travel(datetime.datetime.now(datetime.UTC), tick=True):
        call_command("seed_demo", through="oversight")
        supervisor = User.objects.get(username="edu-supervisor")
        client.force_login(supervisor)
        response = client.get(URL)
    vacant = [row["item"] for row in response.context["rows"] if row["item"].vacant]
    assert [(i.union.code, i.document_type, i.step) for i in vacant] == [
        ("edu-exam", "final_accounts", "audit_review")
    ]
    assert "无人可办理" in response.content.decode()
    told = Notification.objects.filter(dedupe_key=f"vacant:{vacant[0].pk}")
    assert set(told.values_list("recipient__username", flat=True)) == {
        "edu-exam-chair",
        "edu-supervisor",
        "prov-supervisor",
    }
