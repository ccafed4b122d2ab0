"""The API's task actions (issue 32): claim, transfer (转交), answer an opinion request, urge (催办) —
each as its page does it (tests/workflows/test_action_pages.py, test_decision_pages.py, test_urge.py):
the same outcome in the database, the outsider refused, bad input 400 in the one JSON error shape.
The decision and the expenditure request: tests/api/test_actions_expenditure.py."""

from __future__ import annotations

import datetime
import secrets

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import PersonalAccessToken, hash_token
from core.models import Event
from tests.scenarios import open_items, to_audit_review
from workflows.budget.models import BudgetStatus
from workflows.models import OpinionAnswer, OpinionRequest, Urge, WorkItem, WorkItemState

pytestmark = pytest.mark.django_db


def api(action: str, item: WorkItem | int) -> str:
    return reverse(f"api:work_item_{action}", args=[item if isinstance(item, int) else item.pk])


def as_(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, data=None):
    return client.post(url, data or {}, content_type="application/json")


def error(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()["error"]
    assert body["status"] == response.status_code and body["message"]
    return body


@pytest.fixture
def audit_item(cast, submitted_budget):
    """A budget before a1's fund audit committee: the committee's open, unclaimed item."""
    return to_audit_review(submitted_budget(), cast)


def test_claim_takes_the_committees_task_as_the_page_does(cast, audit_item, audit_secretary):
    response = post(as_(cast.audit_director), api("claim", audit_item))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["work_item"]["id"] == audit_item.pk and body["work_item"]["assignee"] == str(
        cast.audit_director.full_name
    )
    assert body["document"]["status"] == BudgetStatus.AUDIT_REVIEW
    audit_item.refresh_from_db()
    assert audit_item.assignee == cast.audit_director and audit_item.task.owner == cast.audit_director
    # a colleague comes second: 409 with who and when, written as a refusal
    late = post(as_(audit_secretary), api("claim", audit_item))
    assert late.status_code == 409 and error(late)["code"] == "conflict"
    assert Event.objects.filter(verb="action_refused", actor=audit_secretary).exists()


def test_claim_is_refused_to_an_officer_who_records_nothing_and_to_the_outsider(cast, audit_item):
    assert error(post(as_(cast.chair), api("claim", audit_item)))["status"] == 403
    assert error(post(as_(cast.outsider), api("claim", audit_item)))["status"] == 404
    assert error(post(as_(cast.outsider), api("claim", 2**31 - 1)))["status"] == 404
    assert as_(cast.audit_director).get(api("claim", audit_item)).status_code == 405
    audit_item.refresh_from_db()
    assert audit_item.assignee is None


def test_transfer_hands_the_task_to_another_recorder_only(cast, audit_item, audit_secretary):
    director = as_(cast.audit_director)
    # only the people the page's picker accepts: the chair does not record for the committee
    outside = post(director, api("transfer", audit_item), {"person": cast.chair.pk})
    assert outside.status_code == 400 and "person" in error(outside)["fields"]
    assert Event.objects.filter(verb="action_refused", actor=cast.audit_director).exists()
    for bad in ({}, {"person": "abc"}, {"person": -1}, {"person": 2**40}):
        assert error(post(director, api("transfer", audit_item), bad))["status"] == 400, bad
    assert (
        error(post(as_(cast.outsider), api("transfer", audit_item), {"person": audit_secretary.pk}))["status"]
        == 404
    )
    # when
    response = post(director, api("transfer", audit_item), {"person": audit_secretary.pk, "note": "请审"})
    # then
    assert response.status_code == 200, response.content
    audit_item.refresh_from_db()
    assert audit_item.assignee == audit_secretary and audit_item.state == WorkItemState.OPEN


def test_opinion_is_answered_once_as_on_the_page(cast, submitted_budget):
    budget = submitted_budget()
    items = {i.assignee: i for i in open_items(budget)}
    leader_item, rep_item = items[cast.group_leader], items[cast.representatives[0]]
    leader = as_(cast.group_leader)
    assert error(post(leader, api("opinion", leader_item), {"answer": "maybe"}))["fields"]["answer"]
    assert (
        error(post(as_(cast.outsider), api("opinion", leader_item), {"answer": "no_opinion"}))["status"]
        == 404
    )
    # someone else's request is not theirs to see, as on the page
    assert error(post(leader, api("opinion", rep_item), {"answer": "no_opinion"}))["status"] == 404
    # when
    response = post(
        leader, api("opinion", leader_item), {"answer": "opinion", "text": "建议增加职工书屋经费"}
    )
    # then
    assert response.status_code == 200, response.content
    answered = OpinionRequest.objects.get(work_item=leader_item)
    assert answered.answer == OpinionAnswer.OPINION and answered.text == "建议增加职工书屋经费"
    assert response.json()["work_item"]["state"] == WorkItemState.DONE
    again = post(leader, api("opinion", leader_item), {"answer": "opinion", "text": "再补充一条"})
    assert again.status_code == 409
    assert OpinionRequest.objects.get(work_item=leader_item).text == "建议增加职工书屋经费"
    # the last answer moves the budget on: the response says where it is now
    done = post(as_(cast.representatives[0]), api("opinion", rep_item), {"answer": "no_opinion"})
    assert done.json()["document"]["status"] == BudgetStatus.CONSOLIDATING


def test_urge_once_a_day_by_the_initiator_never_by_an_officer_or_outsider(cast, audit_item):
    office = as_(cast.office)
    response = post(office, api("urge", audit_item))
    assert response.status_code == 200, response.content
    assert response.json()["told"] == 2 and Urge.objects.get().by == cast.office
    again = post(office, api("urge", audit_item))
    assert again.status_code == 409 and "24" in error(again)["message"]
    assert error(post(as_(cast.chair), api("urge", audit_item)))["status"] == 403
    assert error(post(as_(cast.outsider), api("urge", audit_item)))["status"] == 404
    assert Urge.objects.count() == 1


def test_a_personal_access_token_claims_and_an_anonymous_call_is_refused(cast, audit_item):
    raw = "wuyi_" + secrets.token_urlsafe(24)
    PersonalAccessToken.objects.create(
        user=cast.audit_director,
        name="脚本",
        token_hash=hash_token(raw),
        prefix=raw[:8],
        expires_at=timezone.now() + datetime.timedelta(days=1),
    )
    assert Client().post(api("claim", audit_item), content_type="application/json").status_code in (401, 403)
    response = Client().post(
        api("claim", audit_item), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert response.status_code == 200, response.content
    audit_item.refresh_from_db()
    assert audit_item.assignee == cast.audit_director


def test_any_bad_id_or_body_is_a_404_or_400_never_a_500(cast, audit_item):
    director = as_(cast.audit_director)
    for action in ("claim", "transfer", "decision", "opinion", "urge"):
        assert error(post(director, api(action, 10**30)))["status"] == 404, action
    for body in ("[]", '"x"', "{", "null"):
        response = director.post(api("transfer", audit_item), body, content_type="application/json")
        assert error(response)["status"] == 400, body
    assert error(post(director, api("transfer", audit_item), {"person": audit_item.pk, "note": "\x00"}))[
        "fields"
    ]["note"]
