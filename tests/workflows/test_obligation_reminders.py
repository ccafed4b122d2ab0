"""Before its deadline, the budget's obligation (S3.3) reaches whoever holds the budget's open step; a
kind that does not say so in the registry (the plan, S2.2) leaves its obligation to the officers."""

from __future__ import annotations

import pytest

from core.services.statutory import obligations_generate
from core.statutory import Obligation
from tests.scenarios import drive, open_item
from workflows import registry
from workflows.reminders import _obligation_actors, acted_on_by_its_document, actors_of


def test_the_kinds_say_whose_obligation_reaches_the_step_holders():
    assert acted_on_by_its_document() == {"S3.3": "budget"}
    assert registry.kind("budget").reminds_step_holders
    assert not registry.kind("annual_plan").reminds_step_holders


@pytest.mark.django_db
def test_s3_3_reaches_the_holders_of_the_budgets_open_step(cast, submitted_budget):
    budget = submitted_budget()
    drive(budget, cast, until="audit_review")
    obligations_generate(fiscal_year=budget.year, unions=[cast.union])
    s33 = Obligation.objects.get(union=cast.union, code="S3.3", fiscal_year=budget.year)
    item = open_item(budget, "audit_review")
    holders = {p.pk for p in actors_of(item)}  # the fund audit committee's recorders
    assert item.body.kind == "audit_committee" and cast.audit_director.pk in holders
    assert {p.pk for p in _obligation_actors(s33, None)} == holders
    s22 = Obligation.objects.get(union=cast.union, code="S2.2", fiscal_year=budget.year)
    assert _obligation_actors(s22, None) == []
