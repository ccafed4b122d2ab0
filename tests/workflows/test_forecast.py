"""Deadline risk (issue 24, workflows.forecast): an open document whose remaining steps, at their usual
durations (the median of the last year's finished steps, else the defaults), end after its statutory
deadline (S3.3 for a budget) is flagged before it is late, with how the forecast was made."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.statutory import Obligation
from tests.factories import make_budget
from tests.scenarios import at, drive, party_reply, submit_draft, travel
from workflows import registry
from workflows.forecast import (
    MIN_SAMPLES,
    Source,
    document_forecast,
    documents_at_risk,
)
from workflows.models import Resolution, StepDuration, WorkItem

NOW = at(2027, 1, 10, 9, 0)
TODAY = datetime.date(2027, 1, 10)
BUDGET = registry.kind("budget")
# the budget's chain from the opinions at its defaults: 7 + 7 + 14 + 14 + 30 days
FROM_OPINIONS = 72


@pytest.fixture(autouse=True)
def _at_now():
    with travel(NOW):
        yield


def _deadline(union, due: datetime.date, year: int = 2027, **fields) -> Obligation:
    return Obligation.objects.create(union=union, code="S3.3", fiscal_year=year, due_date=due, **fields)


@pytest.fixture
def soliciting(cast):
    """a1's 2027 budget out for opinions since today; S3.3 due on 28 February 2027."""
    budget = submit_draft(make_budget(cast, year=2027), cast)
    _deadline(cast.union, datetime.date(2027, 2, 28))
    return budget


def _past_steps(budget, step: str, days: float, n: int, *, finished_days_ago: int = 30) -> None:
    """``n`` budget steps finished ``finished_days_ago`` days ago that each took ``days`` days."""
    finished = NOW - datetime.timedelta(days=finished_days_ago)
    for _ in range(n):
        WorkItem.objects.create(
            process=budget.process,
            union=budget.union,
            document_type="budget",
            document_id=budget.pk,
            document_title="past",
            step=step,
            step_title=step,
            kind="body",
            created_at=finished - datetime.timedelta(days=days),
            finished_at=finished,
            state="done",
        )


@pytest.mark.django_db
def test_s3_3_budget_that_cannot_be_approved_by_its_deadline_is_flagged_from_the_defaults(cast, soliciting):
    (risk,) = documents_at_risk(union_ids=[cast.union.pk], today=TODAY)
    assert (risk.document_type, risk.document_id, risk.union_id) == ("budget", soliciting.pk, cast.union.pk)
    assert risk.title == soliciting.title and risk.union_name == cast.union.name
    assert risk.url == reverse("budget:detail", args=[soliciting.pk])
    assert risk.deadline == datetime.date(2027, 2, 28)
    assert risk.forecast == TODAY + datetime.timedelta(days=FROM_OPINIONS)
    assert risk.days_over == (risk.forecast - risk.deadline).days == 23
    assert [(s.step, s.days, s.source) for s in risk.steps] == [
        ("give_opinion", 7, Source.DEFAULT),
        ("consolidate", 7, Source.DEFAULT),
        ("audit_review", 14, Source.DEFAULT),
        ("party_approval", 14, Source.DEFAULT),
        ("congress_ratification", 30, Source.DEFAULT),
    ]
    assert str(risk.current_step) == str(BUDGET.step("give_opinion").title)
    with translation.override("en"):
        assert risk.explanation.startswith("Expected done on 2027-03-23: ")
        assert "Congress review and approval 30 days (default)" in risk.explanation
    with translation.override("zh-hans"):
        assert "预计 2027-03-23 完成" in risk.explanation


@pytest.mark.django_db
def test_a_union_step_duration_row_is_the_default_the_forecast_uses(cast, soliciting):
    StepDuration.objects.create(
        union=cast.union, document_type="budget", step="congress_ratification", days=40
    )
    (risk,) = documents_at_risk(union_ids=[cast.union.pk], today=TODAY)
    assert risk.steps[-1].days == 40
    assert risk.forecast == TODAY + datetime.timedelta(days=FROM_OPINIONS + 10)


@pytest.mark.django_db
def test_the_median_of_the_last_years_steps_wins_once_there_are_enough(cast, soliciting):
    # given: fewer finished audit reviews than the minimum sample, each of 30 days
    _past_steps(soliciting, "audit_review", 30, MIN_SAMPLES - 1)
    (risk,) = documents_at_risk(union_ids=[cast.union.pk], today=TODAY)
    assert risk.steps[2].days == 14 and risk.steps[2].source == Source.DEFAULT
    # when: one more (the median of 30, 30, 30, 30, 2.4 days… is 30, rounded up)
    _past_steps(soliciting, "audit_review", 2.4, 1)
    (risk,) = documents_at_risk(union_ids=[cast.union.pk], today=TODAY)
    # then
    assert (risk.steps[2].days, risk.steps[2].source) == (30, Source.MEDIAN)
    assert risk.forecast == TODAY + datetime.timedelta(days=FROM_OPINIONS - 14 + 30)
    with translation.override("en"):
        assert "Fund audit committee review and consent 30 days (median of the last year)" in risk.explanation


@pytest.mark.django_db
def test_steps_older_than_a_year_do_not_count_towards_the_median(cast, soliciting):
    _past_steps(soliciting, "audit_review", 30, MIN_SAMPLES, finished_days_ago=366)
    (risk,) = documents_at_risk(union_ids=[cast.union.pk], today=TODAY)
    assert risk.steps[2].source == Source.DEFAULT


@pytest.mark.django_db
def test_time_already_spent_in_the_open_step_is_counted(cast, soliciting):
    with travel(NOW + datetime.timedelta(days=5)):
        (risk,) = documents_at_risk(union_ids=[cast.union.pk], today=TODAY + datetime.timedelta(days=5))
    first = risk.steps[0]
    assert (first.step, first.days, first.usual_days, first.spent_days) == ("give_opinion", 2, 7, 5)
    assert risk.forecast == TODAY + datetime.timedelta(days=FROM_OPINIONS)
    with translation.override("en"):
        assert "2 more days (default 7 days, 5 days spent)" in risk.explanation


@pytest.mark.django_db
def test_a_budget_that_can_still_be_approved_in_time_is_not_flagged(cast):
    budget = submit_draft(make_budget(cast, year=2027), cast)
    _deadline(cast.union, TODAY + datetime.timedelta(days=FROM_OPINIONS))  # the last day is still in time
    assert documents_at_risk(union_ids=[cast.union.pk], today=TODAY) == []
    forecast = document_forecast(budget, BUDGET, today=TODAY)
    assert forecast.forecast == forecast.deadline and not forecast.at_risk


@pytest.mark.django_db
def test_a_document_without_a_deadline_is_not_flagged(cast):
    budget = submit_draft(make_budget(cast, year=2027), cast)
    _deadline(cast.union, datetime.date(2027, 2, 28), year=2028)  # another year's obligation
    assert documents_at_risk(union_ids=[cast.union.pk], today=TODAY) == []
    forecast = document_forecast(budget, BUDGET, today=TODAY)
    assert forecast.deadline is None and not forecast.at_risk
    assert forecast.forecast == TODAY + datetime.timedelta(days=FROM_OPINIONS)


@pytest.mark.django_db
def test_a_met_or_already_past_deadline_is_not_a_forecast(cast, soliciting):
    Obligation.objects.filter(union=cast.union).update(met_on=TODAY)
    assert documents_at_risk(union_ids=[cast.union.pk], today=TODAY) == []
    Obligation.objects.filter(union=cast.union).update(
        met_on=None, due_date=TODAY - datetime.timedelta(days=1)
    )
    assert documents_at_risk(union_ids=[cast.union.pk], today=TODAY) == []  # late: the stuck page's


@pytest.mark.django_db
def test_only_the_unions_asked_for_are_read(tree, cast, soliciting):
    assert documents_at_risk(union_ids=[tree["a2"].pk, tree["b1"].pk], today=TODAY) == []
    assert documents_at_risk(union_ids=[], today=TODAY) == []


@pytest.mark.django_db
def test_a_returned_budget_goes_on_from_the_step_that_returned_it(cast, soliciting):
    drive(soliciting, cast, until="party_approval")
    party_reply(soliciting, cast, Resolution.RETURN, "请压减文体活动支出")
    (risk,) = documents_at_risk(union_ids=[cast.union.pk], today=TODAY)
    assert [(s.step, s.days) for s in risk.steps] == [
        ("revise", 7),
        ("party_approval", 14),
        ("congress_ratification", 30),
    ]
    assert risk.forecast == TODAY + datetime.timedelta(days=51)


@pytest.mark.django_db
def test_document_forecast_of_a_document_with_no_open_step_is_none(cast, soliciting):
    WorkItem.objects.filter(process=soliciting.process).update(state="canceled")
    assert document_forecast(soliciting, BUDGET, today=TODAY) is None


@pytest.mark.django_db
def test_an_item_outside_the_flow_is_not_a_step_of_the_chain(tree, cast, soliciting):
    # given: an upper union's item on the document outside its flow (signing for a submitted report)
    WorkItem.objects.filter(process=soliciting.process).update(state="canceled")
    WorkItem.objects.create(
        process=soliciting.process,
        union=tree["dept_a"],
        document_type="budget",
        document_id=soliciting.pk,
        step="sign_for",
        step_title="sign for",
        kind="person",
    )
    # then: the chain is through
    assert documents_at_risk(union_ids=[cast.union.pk], today=TODAY) == []
    assert document_forecast(soliciting, BUDGET, today=TODAY) is None


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_number_of_documents(cast, soliciting):
    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            found = documents_at_risk(union_ids=[cast.union.pk], today=TODAY)
        return len(found), len(queries)

    documents_at_risk(union_ids=[cast.union.pk], today=TODAY)  # the step durations are now in memory
    one, queries_for_one = count()
    for year in (2028, 2029):
        submit_draft(make_budget(cast, year=year), cast)
        _deadline(cast.union, datetime.date(2027, 3, 1), year=year)
    three, queries_for_three = count()
    assert (one, three) == (1, 3)
    assert queries_for_one == queries_for_three <= 3
