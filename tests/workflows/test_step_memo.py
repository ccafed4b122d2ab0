"""Each step reads its process, document and union once (workflows/memo.py, issue 10 P6)."""

from __future__ import annotations

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.workflows.test_budget_spine import (
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
from workflows.services.workitems import AlreadyHandled

# Reads of one row by its key: the rows the memo shares within a step.
ROW_READS = {
    # the lock's read may bring the document along (LEFT OUTER JOIN "budget_budget" …)
    "process": re.compile(
        r'FROM "viewflow_process"(?: LEFT OUTER JOIN [^W]*)? WHERE "viewflow_process"\."id" = '
    ),
    "budget": re.compile(
        r'FROM "budget_budget"(?: INNER JOIN "core_union" [^W]*)? WHERE "budget_budget"\."id" = '
        r'|FROM "viewflow_process" LEFT OUTER JOIN "budget_budget"'
    ),
    "union": re.compile(r'FROM "core_union" WHERE "core_union"\."id" = '),
    "obligation deadline": re.compile(r'SELECT "core_obligation"\."due_date" '),
}


def row_reads(captured) -> Counter:
    found = Counter()
    for query in captured:
        for name, pattern in ROW_READS.items():
            if pattern.search(query["sql"]):
                found[name] += 1
    return found


@pytest.mark.django_db
def test_every_budget_step_reads_its_rows_once(cast, draft_budget):
    budget = draft_budget()
    with CaptureQueriesContext(connection) as ctx:
        budget_submit(
            actor=cast.office,
            budget=budget,
            recipients=[Recipient(cast.group_leader, cast.group), Recipient(cast.representatives[0])],
            due_at=timezone.now() + datetime.timedelta(days=7),
        )
    reads = row_reads(ctx.captured_queries)
    assert reads["process"] == 1 and reads["obligation deadline"] <= 1, dict(reads)  # two items made
    assert reads["budget"] == 1, dict(reads)  # under the lock; the flow's hooks update that instance
    assert budget.status == BudgetStatus.SOLICITING
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
        opinions = len(open_items(budget)) if name == "opinions" else 1  # one step per recipient
        with CaptureQueriesContext(connection) as ctx:
            step()
        reads = row_reads(ctx.captured_queries)
        assert all(count <= opinions for count in reads.values()), (name, dict(reads))
        assert not memo.active(), name  # the memo ends with the step's transaction
        budget.refresh_from_db()
        assert budget.status == status, name
        assert_consistent(budget)


@pytest.mark.django_db
def test_a_refused_step_leaves_no_memo_and_the_next_reads_afresh(cast, submitted_budget):
    budget = submitted_budget()
    answer_all(budget, cast)
    consolidate(budget, cast)
    audit_meeting(budget, cast)
    (item,) = open_items(budget)
    party_reply(budget, cast)
    from workflows.models import Resolution
    from workflows.services.decisions import written_decision_record

    with pytest.raises(AlreadyHandled):
        written_decision_record(  # a second recorder on the stale page: told who decided
            work_item=item,
            recorder=cast.party_secretary,
            resolution=Resolution.APPROVE,
            reference_number="机党〔2026〕13号",
            decided_on=item.created_at.date(),
        )
    assert not memo.active()
    congress_meeting(budget, cast)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.IN_FORCE
