"""A step works on one instance of its process and document (workflows/memo.py): the row its lock
loaded is the one viewflow's activations and the flow's hooks use, so what a hook sets is what the
service sees, and the scope ends with the step's transaction. Each click stays within a bounded
number of queries (issue 22: a median step at most 25)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.scenarios import (
    answer_all,
    assert_consistent,
    audit_meeting,
    congress_meeting,
    consolidate,
    open_items,
    party_reply,
)
from workflows import memo
from workflows.budget.models import BudgetStatus
from workflows.budget.services import Recipient, budget_submit
from workflows.models import Resolution
from workflows.services.decisions import written_decision_record
from workflows.services.workitems import AlreadyHandled

# Queries of each step of the budget chain through the services (the pages add the session's).
STEP_QUERIES = {
    # two opinion tasks, each written once with its holder (read with any substitute), work item,
    # request and reminder; 草案 dropped under the lock, which is the submit's only transaction
    "submit": 35,
    "opinions": 47,  # both answers; the second completes viewflow's join and opens consolidation
    "consolidate": 18,  # the audit committee read with whether it has a member in office
    # the meeting, its attendees and agenda, the decision and its outcome notice, the Party's task
    "audit meeting": 36,
    "Party reply": 28,  # the decision and its outcome notice (drafter and chair, e-mail deliveries)
    "congress": 44,  # the decision, put in force and both told, the S3.3 obligation met, the process ended
}


@pytest.mark.django_db
def test_each_budget_step_shares_its_locked_instances_and_stays_within_its_queries(cast, draft_budget):
    budget = draft_budget()
    with CaptureQueriesContext(connection) as ctx:
        budget_submit(
            actor=cast.office,
            budget=budget,
            recipients=[Recipient(cast.group_leader, cast.group), Recipient(cast.representatives[0])],
            due_at=timezone.now() + datetime.timedelta(days=7),
        )
    # the hooks set the status on the service's own instance: no second read needed to see it
    assert budget.status == BudgetStatus.SOLICITING
    assert len(ctx.captured_queries) <= STEP_QUERIES["submit"], len(ctx.captured_queries)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.SOLICITING
    steps = [
        ("opinions", lambda: answer_all(budget, cast), BudgetStatus.CONSOLIDATING),
        ("consolidate", lambda: consolidate(budget, cast), BudgetStatus.AUDIT_REVIEW),
        ("audit meeting", lambda: audit_meeting(budget, cast), BudgetStatus.PARTY_APPROVAL),
        ("Party reply", lambda: party_reply(budget, cast), BudgetStatus.CONGRESS_RATIFICATION),
        ("congress", lambda: congress_meeting(budget, cast), BudgetStatus.IN_FORCE),
    ]
    for name, step, status in steps:
        with CaptureQueriesContext(connection) as ctx:
            step()
        assert len(ctx.captured_queries) <= STEP_QUERIES[name], (name, len(ctx.captured_queries))
        assert memo.locked_process(budget.process_id) is None, name  # the scope ended with the step
        budget.refresh_from_db()
        assert budget.status == status, name
        assert_consistent(budget)


@pytest.mark.django_db
def test_a_refused_step_leaves_no_scope_and_the_next_reads_afresh(cast, submitted_budget):
    budget = submitted_budget()
    answer_all(budget, cast)
    consolidate(budget, cast)
    audit_meeting(budget, cast)
    (item,) = open_items(budget)
    party_reply(budget, cast)
    with pytest.raises(AlreadyHandled):
        written_decision_record(  # a second recorder on the stale page: told who decided
            work_item=item,
            recorder=cast.party_secretary,
            resolution=Resolution.APPROVE,
            reference_number="机党〔2026〕13号",
            decided_on=item.created_at.date(),
        )
    assert memo.locked_process(budget.process_id) is None
    congress_meeting(budget, cast)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.IN_FORCE
