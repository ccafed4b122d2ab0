"""S5.2: the outcome selector the Model Workers' Home reads (latest closed cycle, else the open one)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.surveys.factories import make_survey_with_answers
from workflows.surveys.selectors import latest_survey_outcome, survey_outcomes

pytestmark = pytest.mark.django_db


def test_S5_2_outcome_counts_satisfied_ratings_over_all_ratings(tree):
    # 3 answers × 9 rating questions: 2 all-5, 1 all-2 → 18 of 27 satisfied; all 3 members answered
    cycle = make_survey_with_answers(tree["a1"], answers=[[5], [5], [2]])
    outcome = latest_survey_outcome(tree["a1"].pk)
    assert outcome.cycle_id == cycle.pk and outcome.status == "closed"
    assert outcome.issued == 3 and outcome.answered == 3
    assert outcome.response_rate_pct == Decimal("100.0")
    assert outcome.satisfaction_pct == Decimal("66.7")
    assert outcome.threshold_pct == Decimal("90") and not outcome.met


def test_S5_2_closed_cycle_wins_over_a_later_open_one_and_queries_are_constant(
    tree, django_assert_max_num_queries
):
    closed = make_survey_with_answers(tree["a1"], answers=[[5], [4]])
    make_survey_with_answers(tree["a1"], answers=[[1]], close=False)
    make_survey_with_answers(tree["a2"], answers=[[5], [5], [5]], close=False)
    with django_assert_max_num_queries(3):
        found = survey_outcomes([tree["a1"].pk, tree["a2"].pk, tree["b1"].pk])
    assert found[tree["a1"].pk].cycle_id == closed.pk and found[tree["a1"].pk].met
    assert found[tree["a2"].pk].status == "open" and found[tree["a2"].pk].satisfaction_pct == Decimal("100.0")
    assert tree["b1"].pk not in found
    assert latest_survey_outcome(tree["b1"].pk) is None
