"""Provincial figures kept in a rollup: the sweep stores exactly what the live
selectors count, is idempotent, drops unused figures; the pages read it for the whole province only,
say as of when, stay live for a department; a miss costs two queries more than a hit; the sorts
that no index serves are refused for the whole province with a message."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from core.statutory import Obligation
from oversight import errors, rollups
from oversight.models import Rollup, RollupPage
from oversight.rollups import rollups_refresh
from oversight.selectors import stuck as stuck_selectors
from oversight.selectors.efficiency import (
    EfficiencyFilters,
    efficiency_by_step,
    efficiency_by_union,
    overdue_trend,
)
from oversight.selectors.scope import oversight_scope
from oversight.selectors.scorecard import ScoreFilters, scorecard_totals
from oversight.selectors.stuck import SORTS, Sort, StuckFilters, stuck_counts, stuck_items, stuck_page
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
def data(tree, budget, cast):
    """Stuck items of several ages and steps, finished steps, obligations of 2027 in three unions."""
    items = []
    for name, ages in (("a1", (1, 9, 20)), ("a2", (40,)), ("b1", (8, 100))):
        for i, age in enumerate(ages):
            items.append(
                make_item(
                    budget,
                    tree[name],
                    age_days=age,
                    due_in_days=-0.5 if age == 1 else None,
                    step="opinion" if i % 2 else "audit_review",
                    assignee=cast.chair,
                )
            )
        make_item(budget, tree[name], age_days=50, state="done", finished_after_days=len(ages) + 1)
        Obligation.objects.create(
            union=tree[name], code="S1.2", fiscal_year=2027, due_date=datetime.date(2027, 2, 1)
        )
    return items


def _province_scope(supervisor):
    return oversight_scope(user=supervisor)


@pytest.mark.django_db
def test_sweep_stores_what_the_live_selectors_count_and_a_second_run_does_nothing(tree, data, supervisor_of):
    scope = _province_scope(supervisor_of(tree["prov"]))
    # when: the beat runs twice
    assert rollups_refresh() == 11  # stuck, scorecard 2026–2028 × three kinds, efficiency
    taken = dict(Rollup.objects.values_list("variant", "taken_at"))
    with time_machine.travel(NOW + datetime.timedelta(minutes=1), tick=False):
        assert rollups_refresh() == 0
    # then: nothing was written again, and every figure equals the live one
    assert dict(Rollup.objects.values_list("variant", "taken_at")) == taken
    now = timezone.now()
    live_counts = stuck_counts(items=stuck_items(scope=scope, filters=StuckFilters(), now=now), now=now)
    kept, as_of = rollups.figures(page=RollupPage.STUCK, scope=scope, variant="", now=now)
    assert kept == live_counts
    assert as_of == NOW
    assert kept.total == 6 and kept.buckets == [("0–3", 1), ("4–7", 0), ("8–14", 2), ("15–30", 1), (">30", 2)]
    score = ScoreFilters(year=2027)
    kept, _as_of = rollups.figures(
        page=RollupPage.SCORECARD, scope=scope, variant=rollups.score_variant(score), now=now
    )
    assert kept == scorecard_totals(scope=scope, filters=score, today=timezone.localdate())
    assert kept.counts[("S1.2", "")]["late"] == 3
    eff = EfficiencyFilters()
    kept, _as_of = rollups.figures(page=RollupPage.EFFICIENCY, scope=scope, variant="step=", now=now)
    assert kept == (
        efficiency_by_step(scope=scope, filters=eff, now=now),
        efficiency_by_union(scope=scope, filters=eff, now=now),
        overdue_trend(scope=scope, filters=eff, now=now),
    )


@pytest.mark.django_db
def test_sweep_recomputes_after_the_interval_and_drops_figures_unused_for_a_day(tree, data):
    rollups_refresh()
    old = Rollup.objects.create(
        union=tree["prov"],
        page=RollupPage.SCORECARD,
        variant="year=2020&kind=&status=&code=",
        figures={},
        taken_at=NOW,
    )
    # six minutes on: only the stuck counts (every 5 minutes) are due
    with time_machine.travel(NOW + datetime.timedelta(minutes=6), tick=False):
        assert rollups_refresh() == 1
    # a day and a bit on: everything is due again, the unused 2020 scorecard is gone
    with time_machine.travel(NOW + datetime.timedelta(days=1, minutes=1), tick=False):
        assert rollups_refresh() == 11
    assert not Rollup.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_provincial_page_shows_the_counts_as_of_the_sweep_and_the_list_live(
    tree, data, budget, supervisor_of, login
):
    rollups_refresh()
    client = login(supervisor_of(tree["prov"]))
    # given: a new stuck item after the sweep
    new = make_item(budget, tree["a2"], age_days=12)
    # when: two minutes later
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        response = client.get(URL)
    # then: the counts are the sweep's (with its moment, 17:00 in Shanghai), the list has the new item
    assert response.context["total"] == 6
    assert response.context["counts_as_of"] == NOW
    assert "截至 17:00" in response.content.decode() or "as of 17:00" in response.content.decode()
    assert new.pk in {row["item"].pk for row in response.context["rows"]}
    # when the beat has not run for longer than MAX_AGE, the page counts again and stores it
    later = NOW + rollups.MAX_AGE[RollupPage.STUCK] + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        response = client.get(URL)
    assert response.context["total"] == 7
    assert response.context["counts_as_of"] == later
    assert Rollup.objects.get(page=RollupPage.STUCK).taken_at == later


@pytest.mark.django_db
def test_department_supervisor_and_filtered_province_pages_are_counted_live(tree, data, supervisor_of, login):
    rollups_refresh()
    Rollup.objects.update(figures={"poisoned": True})  # would fail to decode if it were read
    response = login(supervisor_of(tree["dept_a"])).get(URL)
    assert response.context["total"] == 4 and response.context["counts_as_of"] is None
    assert "as-of" not in response.content.decode()
    client = login(supervisor_of(tree["prov"]))
    response = client.get(URL, {"department": tree["dept_a"].pk})
    assert response.context["total"] == 4 and response.context["counts_as_of"] is None
    response = client.get("/oversight/scorecard/", {"year": 2027, "department": tree["dept_b"].pk})
    assert response.context["totals_as_of"] is None and response.context["union_count"] == 2
    response = client.get("/oversight/efficiency/", {"union": tree["a1"].pk})
    assert response.context["figures_as_of"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "as_of"),
    [("/oversight/scorecard/?year=2027", "totals_as_of"), ("/oversight/efficiency/", "figures_as_of")],
)
def test_scorecard_and_efficiency_show_the_moment_of_their_figures(
    tree, data, supervisor_of, login, path, as_of
):
    rollups_refresh()
    with time_machine.travel(NOW + datetime.timedelta(minutes=3), tick=False):
        response = login(supervisor_of(tree["prov"])).get(path)
    assert response.context[as_of] == NOW
    assert 'data-testid="as-of"' in response.content.decode()


@pytest.mark.django_db
def test_other_filters_over_the_province_are_counted_on_first_use_then_kept(tree, data, supervisor_of, login):
    client = login(supervisor_of(tree["prov"]))
    response = client.get(URL, {"older_than": "10"})
    assert response.context["total"] == 4 and response.context["counts_as_of"] == NOW
    assert Rollup.objects.filter(page=RollupPage.STUCK, variant="o=10&s=&t=").exists()
    response = client.get("/oversight/scorecard/", {"year": 2027, "status": "late"})
    assert response.context["union_count"] == 3 and response.context["totals_as_of"] == NOW
    # a new stuck item is counted once the kept figures are older than MAX_AGE, not before
    make_item(_budget(data), tree["a1"], age_days=30)
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        assert client.get(URL, {"older_than": "10"}).context["total"] == 4
    with time_machine.travel(
        NOW + rollups.MAX_AGE[RollupPage.STUCK] + datetime.timedelta(seconds=1), tick=False
    ):
        assert client.get(URL, {"older_than": "10"}).context["total"] == 5


def _budget(items):
    from workflows.budget.models import Budget

    return Budget.objects.get(pk=items[0].document_id)


@pytest.mark.django_db
def test_a_miss_costs_two_queries_more_than_a_hit_and_stores_the_figures(
    tree, data, supervisor_of, login, django_assert_num_queries
):
    client = login(supervisor_of(tree["prov"]))
    client.get("/oversight/reports/")  # the session is written on the first request
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as miss:
        client.get(URL)
    assert Rollup.objects.filter(page=RollupPage.STUCK).count() == 1
    with CaptureQueriesContext(connection) as hit:
        client.get(URL)
    assert len(miss) == len(hit) + 2
    assert len(hit) <= 10


@pytest.mark.django_db
def test_who_must_act_sort_needs_a_department_for_the_whole_province(tree, data, supervisor_of, login):
    client = login(supervisor_of(tree["prov"]))
    response = client.get(URL, {"sort": "who"})
    assert response.context["sort"] == Sort()
    assert str(errors.SORT_NEEDS_NARROWER_SCOPE) in [str(m) for m in response.context["messages"]]
    response = client.get(URL, {"sort": "who", "department": tree["dept_a"].pk})
    assert response.context["sort"].column == "who"
    assert not list(response.context["messages"])


@pytest.mark.django_db
@pytest.mark.parametrize("column", sorted(SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_lists_every_stuck_item_once_in_order_across_pages(
    tree, data, supervisor_of, monkeypatch, column, descending
):
    # given: a department supervisor (every sort allowed), pages of two rows
    scope = oversight_scope(user=supervisor_of(tree["dept_a"]))
    items = stuck_items(scope=scope, filters=StuckFilters(), now=NOW)
    sort = Sort(column=column, descending=descending)
    seen, after = [], None
    while True:
        page, after = stuck_page(items=items, sort=sort, after=after, size=2)
        seen += page
        if after is None:
            break
    # then: the same rows as one unpaged query, in the order of that query
    everything = list(stuck_selectors._sortable(items).order_by(*stuck_selectors._ordering(sort)))
    assert [i.pk for i in seen] == [i.pk for i in everything]
    assert len(seen) == 4
