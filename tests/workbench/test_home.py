"""The home workbench (工作台, issue 24): each role sees what waits for them and their union, and
nothing of a union they have no seat in. The page's queries do not grow with the documents."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Seat
from core.statutory import Obligation
from tests.pages import content
from tests.scenarios import audit_meeting, drive, plan_at_committee
from workflows.models import WorkItem, WorkItemState

HOME = "/"


def section(html: str, testid: str) -> str:
    """The HTML of one section of the page (empty when the section is not shown)."""
    start = html.find(f'data-testid="{testid}"')
    if start < 0:
        return ""
    end = html.find("</section>", start)
    return html[start:end]


@pytest.mark.django_db
def test_the_chair_sees_the_unions_documents_in_progress_and_who_holds_them(cast, submitted_budget, login):
    budget = submitted_budget(year=2027)
    drive(budget, cast, until="congress_ratification")
    plan = plan_at_committee(cast, year=2027)
    client = login(cast.chair)
    html = content(client.get(HOME))
    progress = section(html, "wb-in-progress")
    assert budget.title in progress and plan.title in progress
    assert "会员（代表）大会" in progress  # the congress holds the budget
    assert "工会委员会" in progress  # the union committee holds the plan
    # the chair's own to-do (the committee's meeting on the plan) is counted on top
    assert section(html, "wb-todos")


@pytest.mark.django_db
def test_statutory_deadlines_of_the_next_sixty_days_are_listed_without_rule_codes(cast, login):
    today = timezone.localdate()
    Obligation.objects.create(
        union=cast.union, code="S3.3", fiscal_year=2027, due_date=today + datetime.timedelta(days=20)
    )
    Obligation.objects.create(
        union=cast.union, code="S2.2", fiscal_year=2027, due_date=today + datetime.timedelta(days=90)
    )
    html = content(login(cast.office).get(HOME))
    deadlines = section(html, "wb-deadlines")
    assert "经费预算" in deadlines
    assert "S3.3" not in deadlines
    assert "20 天后" in deadlines
    assert "计划" not in deadlines  # due in 90 days: not yet


@pytest.mark.django_db
def test_recent_outcomes_show_the_bodys_approval(cast, submitted_budget, login):
    budget = submitted_budget(year=2027)
    drive(budget, cast, until="audit_review")
    audit_meeting(budget, cast)
    outcomes = section(content(login(cast.office).get(HOME)), "wb-outcomes")
    assert budget.title in outcomes
    assert "经费审查委员会" in outcomes


@pytest.mark.django_db
def test_a_party_member_sees_what_awaits_their_organisation(cast, submitted_budget, login):
    budget = submitted_budget(year=2027)
    drive(budget, cast, until="party_approval")
    party = section(content(login(cast.party_secretary).get(HOME)), "wb-party")
    assert budget.title in party
    # the office staff has no Party section
    assert section(content(login(cast.office).get(HOME)), "wb-party") == ""


@pytest.mark.django_db
def test_a_supervisor_above_sees_the_unions_below(cast, tree, submitted_budget, supervisor_of, login):
    budget = submitted_budget(year=2027)
    drive(budget, cast, until="audit_review")
    WorkItem.objects.filter(process=budget.process, state=WorkItemState.OPEN).update(
        due_at=timezone.now() - datetime.timedelta(days=2)
    )
    supervisor = supervisor_of(tree["dept_a"])
    html = content(login(supervisor).get(HOME))
    supervision = section(html, "wb-supervision")
    assert supervision
    assert reverse("oversight:stuck") in supervision


@pytest.mark.django_db
def test_an_officer_of_another_union_sees_nothing_of_this_one(cast, submitted_budget, login):
    budget = submitted_budget(year=2027)
    drive(budget, cast, until="congress_ratification")
    html = content(login(cast.outsider).get(HOME))
    assert budget.title not in html
    assert section(html, "wb-supervision") == ""


@pytest.mark.django_db
def test_the_workbench_reads_a_bounded_number_of_queries(
    cast, submitted_budget, login, django_assert_max_num_queries
):
    client = login(cast.chair)
    client.get(HOME)
    for year in (2027, 2028, 2029):
        drive(submitted_budget(year=year), cast, until="congress_ratification")
    with django_assert_max_num_queries(14):
        response = client.get(HOME)
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_document_that_cannot_finish_before_its_deadline_is_flagged_with_its_forecast(
    cast, submitted_budget, login
):
    budget = submitted_budget(year=2027)
    Obligation.objects.update_or_create(
        union=cast.union,
        code="S3.3",
        fiscal_year=2027,
        period="",
        defaults={"due_date": timezone.localdate() + datetime.timedelta(days=5)},
    )
    risk = section(content(login(cast.chair).get(HOME)), "wb-at-risk")
    assert budget.title in risk
    assert "晚于法定期限" in risk


@pytest.mark.django_db
def test_a_supervisor_above_sees_the_steps_nobody_can_act_on(
    cast, tree, submitted_budget, supervisor_of, login
):
    budget = submitted_budget(year=2027)
    drive(budget, cast, until="audit_review")
    supervisor = supervisor_of(tree["dept_a"])
    assert "无人可办理" not in section(content(login(supervisor).get(HOME)), "wb-supervision")
    Seat.objects.filter(body=cast.body("audit_committee")).update(
        end_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    supervision = section(content(login(supervisor).get(HOME)), "wb-supervision")
    assert "无人可办理 <strong>1</strong>" in supervision
