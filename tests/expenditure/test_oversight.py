"""Expenditure requests in oversight (issue 26): a late step shows on the upper union's stuck
approvals like any document's, read-only, and not to another department's supervisor."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.pages import content
from workflows.models import WorkItem

pytestmark = pytest.mark.django_db


def test_a_late_expenditure_step_is_on_the_upper_unions_stuck_approvals(
    cast, tree, login, sent_request, supervisor_of
):
    request = sent_request("3000.00")
    now = timezone.now()
    WorkItem.objects.filter(process_id=request.process_id, step="finance_check").update(
        created_at=now - datetime.timedelta(days=20), due_at=now - datetime.timedelta(days=10)
    )
    page = content(login(supervisor_of(tree["dept_a"])).get(reverse("oversight:stuck")))
    assert request.title in page and "财务审核" in page
    other = content(login(supervisor_of(tree["dept_b"])).get(reverse("oversight:stuck")))
    assert request.title not in other
