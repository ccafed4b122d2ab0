"""Oversight's deadline risk tab (issue 24): a supervisor sees the documents below them expected to miss
their statutory deadline (S3.3 for a budget), with how the forecast was made; an officer of another
union without a supervisor or chair seat is refused; the page's queries do not grow with the documents.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from core.models import Event, Role, Union, User
from core.statutory import Obligation
from tests.factories import UserFactory, make_budget, seated
from tests.scenarios import at, submit_draft, travel

URL = "/oversight/risk/"
NOW = at(2027, 1, 10, 9, 0)


@pytest.fixture(autouse=True)
def _at_now():
    with travel(NOW):
        yield


def _budget_at_risk(cast, year: int = 2027):
    """a1's budget out for opinions today; its S3.3 falls due on 28 February (72 days of steps left)."""
    budget = submit_draft(make_budget(cast, year=year), cast)
    Obligation.objects.create(
        union=cast.union, code="S3.3", fiscal_year=year, due_date=datetime.date(2027, 2, 28)
    )
    return budget


@pytest.mark.django_db
def test_supervisor_sees_the_budget_at_risk_with_how_the_forecast_was_made(tree, cast, supervisor_of, login):
    budget = _budget_at_risk(cast)
    response = login(supervisor_of(tree["dept_a"])).get(URL)
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert (row.document_id, row.deadline, row.forecast, row.days_over) == (
        budget.pk,
        datetime.date(2027, 2, 28),
        datetime.date(2027, 3, 23),
        23,
    )
    page = response.content.decode()
    assert 'data-testid="risk"' in page
    assert "到期风险" in page  # the tab
    assert "预计 2027-03-23 完成：对预算草案提出意见 7 天（默认）" in page
    assert "会员（代表）大会审议批准 30 天（默认）" in page
    assert cast.union.name in page and budget.title in page


@pytest.mark.django_db
def test_the_risk_tab_shows_only_the_unions_in_scope(tree, cast, supervisor_of, login):
    _budget_at_risk(cast)
    assert len(login(supervisor_of(tree["prov"])).get(URL).context["rows"]) == 1
    assert len(login(cast.chair).get(URL).context["rows"]) == 1  # a1's own chair
    sibling = login(supervisor_of(tree["dept_b"])).get(URL)
    assert sibling.status_code == 200 and sibling.context["rows"] == []
    b1_chair = login(cast.outsider).get(URL)
    assert b1_chair.status_code == 200 and b1_chair.context["rows"] == []
    narrowed = login(supervisor_of(tree["prov"])).get(URL, {"department": tree["dept_b"].pk})
    assert narrowed.context["rows"] == []


@pytest.mark.django_db
def test_an_officer_without_a_supervisor_or_chair_seat_is_refused_and_logged(tree, cast, login):
    _budget_at_risk(cast)
    b1_office = seated(tree["b1"], Role.OFFICE_STAFF, username="b1-office")
    response = login(b1_office).get(URL)
    assert response.status_code == 403
    assert Event.objects.filter(verb="access_denied", actor=b1_office).exists()
    assert login(cast.audit_director).get(URL).status_code == 403  # a1's own, but not a chair
    assert login(UserFactory()).get(URL).status_code == 403


@pytest.mark.django_db
def test_a_sibling_union_named_in_the_filter_is_ignored_with_a_message(tree, cast, supervisor_of, login):
    _budget_at_risk(cast)
    response = login(supervisor_of(tree["dept_b"])).get(URL, {"union": tree["a1"].pk})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert [m.level_tag for m in response.context["messages"]] == ["warning"]


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_for_one_document_or_three(
    tree, cast, supervisor_of, login, django_assert_max_num_queries
):
    _budget_at_risk(cast)
    client = login(supervisor_of(tree["prov"]))
    client.get(URL)  # the session is written and the step durations read once
    # the session and the user, the scope, the badges; the documents, the medians, the open items
    with django_assert_max_num_queries(7):
        assert len(client.get(URL).context["rows"]) == 1
    for year in (2028, 2029):
        _budget_at_risk(cast, year)
    with django_assert_max_num_queries(7):
        assert len(client.get(URL).context["rows"]) == 3
    with django_assert_max_num_queries(8):  # a department: the unions below it are read (one query)
        assert len(client.get(URL, {"department": tree["dept_a"].pk}).context["rows"]) == 3


@pytest.mark.django_db
def test_the_demo_shows_a_budget_at_risk_to_the_provincial_supervisor(login):
    with travel(at(2026, 12, 6, 9, 0)):
        call_command("seed_demo", verbosity=0)
        response = login(User.objects.get(username="prov-supervisor")).get(URL)
    assert response.status_code == 200
    at_risk = {row.union_id for row in response.context["rows"]}
    assert Union.objects.get(code="edu-office").pk in at_risk
