"""The demo data shows an adjustment in progress and half-year analyses filed and due (S3.4)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from core.models import Event
from core.statutory import Obligation
from tests.scenarios import at, travel
from workflows.budget_adjustment.models import AdjustmentStatus, BudgetAdjustment
from workflows.execution.models import BudgetExecutionReview, ReviewStatus


@pytest.mark.django_db
def test_demo_has_an_adjustment_in_progress_and_analyses_filed_and_due():
    with travel(at(2026, 11, 25, 10, 0)):
        call_command("seed_demo", through="execution analyses")
        adjustment = BudgetAdjustment.objects.get(union__code="fin-office")
        assert adjustment.status == AdjustmentStatus.PARTY_APPROVAL
        assert adjustment.year == 2027
        filed = BudgetExecutionReview.objects.get(union__code="fin-centre", fiscal_year=2026, period="H1")
        assert filed.status == ReviewStatus.FILED and filed.note
        due = BudgetExecutionReview.objects.get(union__code="fin-centre", fiscal_year=2026, period="H2")
        assert due.status == ReviewStatus.DRAFT
        analyses = Obligation.objects.filter(union__code="fin-centre", code="S3.4-analysis", fiscal_year=2026)
        obligations = {o.period: o for o in analyses}
        assert obligations["H1"].met_on is not None and obligations["H2"].met_on is None
        events = Event.objects.count()
        call_command("seed_demo", through="execution analyses")  # idempotent
        assert BudgetAdjustment.objects.count() == 1 and BudgetExecutionReview.objects.count() == 2
        assert Event.objects.count() == events
