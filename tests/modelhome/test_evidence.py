"""S5.2: the evidence Wuyi already holds, linked to each criterion: missing for a union that holds
nothing, found once the budget is in force, the committees met, a study recorded, a contact logged, the
workers given and a survey closed; thresholds (membership rate, satisfaction ≥ 90 %) from the criterion."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.models import Union
from tests.modelhome.helpers import YEAR, enter_manual, full_evidence, make_home
from tests.surveys.factories import make_survey_with_answers
from workflows.modelhome import evidence, services
from workflows.modelhome.models import EvidenceSource, HomeCriterion

pytestmark = pytest.mark.django_db
AUTOMATIC = [s for s in evidence.PROVIDERS]


def _by_source(application):
    report = evidence.evidence_report(application)
    return {row.criterion.evidence_source: row for row in report.rows}, report


def test_S5_2_a_union_that_holds_nothing_has_every_automatic_evidence_missing(tree, cast):
    make_home(tree)
    application = services.application_create(actor=cast.office, union=cast.union, year=YEAR)
    rows, report = _by_source(application)
    for source in [*AUTOMATIC, EvidenceSource.PLAN_TASKS]:
        assert not rows[source].evidence.found, source
    required = HomeCriterion.objects.filter(dimension__standard=application.standard, evidence_required=True)
    assert len(report.missing) == required.count()


def test_S5_2_evidence_is_found_for_every_source_and_linked(tree, cast):
    make_home(tree)
    full_evidence(cast)
    application = services.application_create(actor=cast.office, union=cast.union, year=YEAR)
    enter_manual(application, cast.office)
    rows, report = _by_source(application)
    assert report.missing == []
    for source in [*AUTOMATIC, EvidenceSource.PLAN_TASKS, EvidenceSource.MANUAL]:
        assert rows[source].evidence.found, source
    budget = rows[EvidenceSource.BUDGET_IN_FORCE].evidence
    assert budget.items[0][1].startswith("/budgets/") and len(budget.items) >= 3  # with its approvals
    assert rows[EvidenceSource.TRAINING].evidence.items[0][1].startswith("/training/")
    assert rows[EvidenceSource.MEMBERSHIP_RATE].evidence.pct == Decimal("95.0")
    assert not rows[EvidenceSource.MEMBERSHIP_RATE].evidence.below_threshold
    assert rows[EvidenceSource.SATISFACTION].evidence.pct == Decimal("100.0")


def test_S5_2_thresholds_come_from_the_criterion(tree, cast):
    home = make_home(tree)
    Union.objects.filter(pk=cast.union.pk).update(member_count=85, worker_count=100)
    cast.union.refresh_from_db()
    make_survey_with_answers(cast.union, answers=[[5, 5, 5], [1, 1, 1]])
    application = services.application_create(actor=cast.office, union=cast.union, year=YEAR)
    application.union = cast.union
    rows, _report = _by_source(application)
    assert rows[EvidenceSource.MEMBERSHIP_RATE].evidence.found
    assert rows[EvidenceSource.MEMBERSHIP_RATE].evidence.below_threshold  # 85 % < 90 %
    assert rows[EvidenceSource.SATISFACTION].evidence.below_threshold
    HomeCriterion.objects.filter(dimension__standard=home.standard, evidence_source="membership_rate").update(
        threshold_pct=80
    )
    rows, _report = _by_source(application)
    assert not rows[EvidenceSource.MEMBERSHIP_RATE].evidence.below_threshold


def test_S5_2_an_open_survey_is_not_evidence_yet(tree, cast):
    make_home(tree)
    make_survey_with_answers(cast.union, answers=[[5, 5, 5]], close=False)
    application = services.application_create(actor=cast.office, union=cast.union, year=YEAR)
    rows, _report = _by_source(application)
    assert not rows[EvidenceSource.SATISFACTION].evidence.found
