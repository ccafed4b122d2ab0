"""Ids reserved by the lock (workflows/ids.py, issue 10 P6): distinct per process, used in step order."""

from __future__ import annotations

import pytest
from viewflow.workflow.models import Process, Task

from tests.workflows.test_budget_spine import answer_all, consolidate, open_items
from workflows import ids, memo
from workflows.models import WorkItem


@pytest.mark.django_db
def test_every_process_locked_by_one_statement_gets_ids_of_its_own(submitted_budget):
    first, second = submitted_budget(), submitted_budget(year=2028)
    rows = list(
        Process.objects.filter(pk__in=[first.process_id, second.process_id])
        .select_for_update()
        .annotate(**ids.lock_annotations())
    )
    reserved = [i for row in rows for i in row._wuyi_ids_viewflow_task]
    assert len(reserved) == 2 * ids.RESERVED["viewflow_task"] == len(set(reserved))
    assert not Task.objects.filter(pk__in=reserved).exists()
    with memo.step_scope():
        ids.keep(rows)
        taken = [ids.take(Task) for _ in reserved]
        assert ids.take(Task) is None  # spent: the next row is inserted at once
    assert sorted(taken) == sorted(reserved)
    assert ids.take(Task) is None  # no step, no ids


@pytest.mark.django_db
def test_a_documents_work_items_are_numbered_in_the_order_of_its_steps(cast, submitted_budget):
    budget = submitted_budget()
    answer_all(budget, cast)
    consolidate(budget, cast)
    (audit_item,) = open_items(budget)
    items = list(WorkItem.objects.filter(process=budget.process).order_by("created_at", "id"))
    assert [i.pk for i in items] == sorted(i.pk for i in items)
    assert items[-1].pk == audit_item.pk and audit_item.task.pk == audit_item.task_id
    tasks = list(Task.objects.filter(process=budget.process).order_by("created", "id"))
    assert [t.pk for t in tasks] == sorted(t.pk for t in tasks)
