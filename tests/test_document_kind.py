"""A document kind is a declaration: the notice of tests/kind_example exists only in the test settings
(tests/settings.py adds its app) and no shared code names it. Registered from its app's ready(), its
tasks reach the inbox, its late steps the supervisors' stuck list, its trail its page, its obligation
the union's calendar, and its pages refuse outsiders."""

from __future__ import annotations

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.services.statutory import obligation_meet, obligations_generate
from core.statutory import Obligation, ObligationRule
from tests.kind_example.kind import KIND, OBLIGATION
from tests.kind_example.models import Notice, NoticeStatus
from tests.kind_example.services import notice_create, notice_submit
from tests.scenarios import committee_meeting, open_item, travel
from workflows import registry
from workflows.models import WorkItemState

YEAR = 2026
START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)


def _page(client, user, url):
    client.force_login(user)
    return client.get(url)


def _kind_routes() -> list[str]:
    """Every route of the kind's pages, as the URL resolver holds them."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "kind_example":
                    yield from (prefix + str(pattern.pattern) + str(p.pattern) for p in pattern.url_patterns)
                else:
                    yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                continue

    return list(walk(get_resolver().url_patterns))


@pytest.fixture
def notice(cast):
    with travel(START):
        return notice_create(actor=cast.office, union=cast.union, year=YEAR, title="关于开展健步走活动的通知")


def test_the_notice_is_registered_from_its_app_alone():
    assert registry.kind("notice") is KIND
    assert KIND.document_model() is Notice and KIND.process_attr == "notice"
    assert "tests.kind_example.urls" in registry.url_modules()
    assert _kind_routes() == ["notices/<int:pk>/"]


@pytest.mark.django_db
def test_its_draft_is_in_the_drafters_inbox_and_its_step_in_the_recorders(cast, notice, client):
    item = open_item(notice, "draft")
    assert item.document_type == "notice" and item.assignee_id == cast.office.pk
    todo = _page(client, cast.office, reverse("workflows:my_work")).content.decode()
    assert notice.title in todo and reverse("kind_example:detail", args=[notice.pk]) in todo
    with travel(START + datetime.timedelta(hours=1)):
        notice_submit(actor=cast.office, notice=notice)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.COMMITTEE_APPROVAL
    body_item = open_item(notice, "committee_approval")
    assert body_item.body.kind == "union_committee" and body_item.step_title == "工会委员会审议通知"
    todo = _page(client, cast.chair, reverse("workflows:my_work")).content.decode()
    assert notice.title in todo


@pytest.mark.django_db
def test_its_late_step_is_on_the_supervisors_stuck_list(cast, tree, notice, client, supervisor_of):
    with travel(START + datetime.timedelta(hours=1)):
        notice_submit(actor=cast.office, notice=notice)
    item = open_item(notice, "committee_approval")
    assert item.due_at < START + datetime.timedelta(days=8)  # the step spec's 7 days
    supervisor = supervisor_of(tree["dept_a"])
    with travel(START + datetime.timedelta(days=40)):
        response = _page(client, supervisor, reverse("oversight:stuck"))
    assert response.status_code == 200
    rows = {row["item"].pk: row for row in response.context["rows"]}
    assert item.pk in rows
    assert reverse("kind_example:detail", args=[notice.pk]) in response.content.decode()


@pytest.mark.django_db
def test_its_trail_is_on_its_page_and_it_comes_into_force_meeting_its_obligation(cast, notice, client):
    ObligationRule.objects.create(code=OBLIGATION, periods=[{"month": 12, "day": 31}])
    obligations_generate(fiscal_year=YEAR, unions=[cast.union])
    obligation = Obligation.objects.get(union=cast.union, code=OBLIGATION, fiscal_year=YEAR)
    calendar = _page(client, cast.office, f"{reverse('obligations', args=[cast.union.pk])}?year={YEAR}")
    assert f'data-code="{OBLIGATION}"' in calendar.content.decode()
    with travel(START + datetime.timedelta(hours=1)):
        notice_submit(actor=cast.office, notice=notice)
    # the step's due date fits before the obligation's deadline (the kind names its obligation)
    assert open_item(notice, "committee_approval").due_at.date() <= obligation.due_date
    with travel(START + datetime.timedelta(days=2)):
        committee_meeting(notice, cast)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.IN_FORCE
    obligation.refresh_from_db()
    assert obligation.met_on is not None
    assert obligation_meet(union=cast.union, code=OBLIGATION, fiscal_year=YEAR) is False  # met once
    page = _page(client, cast.office, reverse("kind_example:detail", args=[notice.pk]))
    assert page.status_code == 200
    trail = page.context["trail"]
    assert [i.step for i in trail.items] == ["draft", "committee_approval"]
    assert all(i.state == WorkItemState.DONE for i in trail.items)
    assert len(trail.meetings) == 1 and trail.meetings[0].record.meeting.body.kind == "union_committee"
    html = page.content.decode()
    assert (
        'data-testid="chain"' in html and "工会委员会审议通知" in html and 'data-testid="decisions"' in html
    )


@pytest.mark.django_db
def test_its_pages_refuse_outsiders(cast, tree, notice, client, supervisor_of):
    """Every route of the kind, as the chair of another union, a supervisor of a sibling department and
    a person with no seat: refused (404), and nothing of the notice shown."""
    from tests.factories import UserFactory

    outsiders = [cast.outsider, supervisor_of(tree["dept_b"]), UserFactory()]
    for route in _kind_routes():
        url = "/" + route.replace("<int:pk>", str(notice.pk))
        for person in outsiders:
            response = _page(client, person, url)
            assert response.status_code == 404, (url, person)
            assert notice.title not in response.content.decode()
    assert _page(client, cast.office, reverse("kind_example:detail", args=[notice.pk])).status_code == 200
    # a supervisor above sees it (read only)
    assert _page(client, supervisor_of(tree["dept_a"]), f"/notices/{notice.pk}/").status_code == 200
