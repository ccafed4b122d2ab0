"""The API's read endpoints (issue 32): each answers what the page shows, to the page's people only —
the outsider (the chair of b1) gets 404 in the error shape — at a query count independent of the rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.api.helpers import error, token_client
from tests.factories import pile_up
from tests.scenarios import to_audit_review

pytestmark = pytest.mark.django_db


def _query_count(client, url, django_assert_max_num_queries, most: int):
    with django_assert_max_num_queries(most) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


@pytest.mark.parametrize("box", ["todo", "watching", "done"])
def test_each_inbox_box_costs_the_same_queries_with_2_or_60_tasks(box, cast, django_assert_max_num_queries):
    director = cast.audit_director
    api = token_client(director)
    url = f"{reverse('api:inbox')}?box={box}"
    api.get(url)
    pile_up(director, union=cast.union, n=1, acting_for=cast.chair)
    few, body = _query_count(api, url, django_assert_max_num_queries, 8)
    assert body["box"] == box and body["results"]
    pile_up(director, union=cast.union, n=29, acting_for=cast.chair, start=1)
    many, body = _query_count(api, url, django_assert_max_num_queries, 8)
    assert few == many
    if box == "todo":
        assert len(body["results"]) == 25 and body["next"]
        following = api.get(f"{url}&cursor={body['next']}").json()
        assert following["results"] and following["results"][0]["work_item_id"] not in {
            r["work_item_id"] for r in body["results"]
        }


def test_the_outsiders_inbox_holds_nothing_of_a1(cast):
    pile_up(cast.audit_director, union=cast.union, n=2, acting_for=cast.chair)
    api = token_client(cast.outsider)
    for box in ("todo", "watching", "done"):
        assert api.get(f"/api/inbox/?box={box}").json()["results"] == []


def test_a_garbage_cursor_or_box_means_the_first_page(cast):
    api = token_client(cast.audit_director)
    assert api.get("/api/inbox/?box=nonsense&cursor=x_y&union=abc").status_code == 200


def test_a_document_and_its_trail_to_its_people_and_404_to_the_outsider(cast, submitted_budget):
    budget = submitted_budget()
    to_audit_review(budget, cast)
    url = reverse("api:document", args=["budget", budget.pk])
    body = token_client(cast.audit_director).get(url).json()
    assert body["id"] == budget.pk and body["union"] == cast.union.name
    assert body["items"] and body["events"] and body["open_steps"]
    response = token_client(cast.outsider).get(url)
    assert response.status_code == 404 and error(response)["code"] == "not_found"
    assert token_client(cast.chair).get(reverse("api:document", args=["nokind", 1])).status_code == 404


def test_obligations_to_officers_and_404_to_the_outsider(cast, django_assert_max_num_queries):
    url = f"{reverse('api:obligations')}?union={cast.union.pk}&year=2026"
    api = token_client(cast.chair)
    api.get(url)
    _count, body = _query_count(api, url, django_assert_max_num_queries, 8)
    assert "results" in body and "count" in body
    response = token_client(cast.outsider).get(url)
    assert response.status_code == 404 and error(response)
    assert token_client(cast.chair).get(reverse("api:obligations")).status_code == 404  # no union


def test_notifications_are_the_persons_own_at_a_fixed_query_count(cast, django_assert_max_num_queries):
    api = token_client(cast.chair)
    url = reverse("api:notifications")
    api.get(url)

    def notify(n: int):
        Notification.objects.bulk_create(
            [Notification(recipient=cast.chair, union=cast.union, title=f"提醒{i}") for i in range(n)]
        )

    notify(2)
    few, body = _query_count(api, url, django_assert_max_num_queries, 6)
    assert len(body["results"]) == 2 and body["next"] is None
    notify(40)
    many, body = _query_count(api, url, django_assert_max_num_queries, 6)
    assert few == many and len(body["results"]) == 30 and body["next"]
    assert len(api.get(f"{url}?before={body['next']}").json()["results"]) == 12
    assert token_client(cast.outsider).get(url).json()["results"] == []


def test_a_budget_lines_ledger_to_officers_and_404_to_the_outsider(
    cast, budget_in_force, django_assert_max_num_queries
):
    url = reverse("api:ledger_line", args=[cast.union.pk, "50101"])
    api = token_client(cast.chair)
    api.get(url)
    _count, body = _query_count(api, url, django_assert_max_num_queries, 14)
    assert body["account_id"] == "50101" and body["budgeted"] and body["requests"] == []
    response = token_client(cast.outsider).get(url)
    assert response.status_code == 404 and error(response)["code"] == "not_found"
    assert api.get(reverse("api:ledger_line", args=[cast.union.pk, "401"])).status_code == 404  # income
