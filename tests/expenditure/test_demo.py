"""The demo shows expenditure requests at every step (S3.1, S5.3): paid, late before the chair, awaiting
a countersignature, a major one before the union committee, returned, and a line nearly exhausted with
a draft refused for lack of budget."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command

from core.models import Event, Union
from workflows.expenditure import selectors
from workflows.expenditure.models import ExpenditureRequest, ExpenditureStatus
from workflows.models import WorkItem, WorkItemState


@pytest.mark.django_db
def test_the_demo_has_a_request_at_every_step_and_a_line_nearly_spent():
    call_command("seed_demo", through="expenditure requests")
    requests = ExpenditureRequest.objects.all()
    union = Union.objects.get(pk=requests.first().union_id)
    statuses = sorted(requests.values_list("status", flat=True))
    assert statuses == sorted(
        [
            ExpenditureStatus.PAID,
            ExpenditureStatus.CHAIR_APPROVAL,
            ExpenditureStatus.COUNTERSIGN,
            ExpenditureStatus.COMMITTEE_APPROVAL,
            ExpenditureStatus.RETURNED,
            ExpenditureStatus.PAID,
            ExpenditureStatus.DRAFT,
        ]
    )
    late = WorkItem.objects.get(step="chair_approval", state=WorkItemState.OPEN, union=union)
    assert late.is_overdue
    year = selectors.budget_year_for(union)
    remaining = min(figures.remaining for _line, figures in selectors.ledger(union.pk, year))
    assert remaining == Decimal("1500.00")
    assert Event.objects.filter(verb="action_refused", union=union).exists()
    call_command("seed_demo", through="expenditure requests")  # idempotent
    assert ExpenditureRequest.objects.count() == 7
