"""The scale generator (bench/dataset.py) at its tiny scale, in the normal suite, so that it never rots.

The same code that loads a million processes writes a few hundred rows here, in the test's
transaction: drop indexes and foreign keys, COPY, rebuild them (which validates every foreign key).
Then the app itself must agree with the data: its permission sync, obligation generator and reminder
scheduler find nothing to add, the inbox returns exactly the items a person may act on, and viewflow
can carry a generated process on.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from bench import dataset
from core.models import Body, BodyUserObjectPermission, Seat, Union, UnionUserObjectPermission, User
from core.services.permissions import permissions_sync_for_user
from core.services.statutory import obligations_generate
from core.statutory import Obligation
from notifications.models import Reminder
from notifications.services.reminders import reminders_schedule_work_item
from workflows.budget.models import Budget, BudgetStatus, BudgetVersion
from workflows.budget.services import budget_submit
from workflows.models import OpinionAnswer, OpinionRequest, WorkItem, WorkItemState
from workflows.selectors import todo_page, todo_queryset
from workflows.services.opinions import opinion_answer

TINY = dataset.SCALES["tiny"]


def sql(query: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchall()


@pytest.fixture
def generated(db):
    report = dataset.generate(scale=TINY)
    return report


@pytest.mark.django_db
def test_row_counts_follow_the_scale(generated):
    with connection.cursor() as cursor:
        counts = dataset.summary(cursor)
    unions = 1 + TINY.departments + TINY.grassroots + TINY.groups
    assert counts["core_union"] == unions
    assert counts["core_body"] == 5 * (unions - TINY.groups)
    assert counts["viewflow_process"] == counts["budget_budget"] == TINY.processes
    assert counts["viewflow_task"] == counts["workflows_workitem"] > 4 * TINY.processes
    assert counts["core_user"] >= TINY.users
    # what COPY reported is what the tables hold
    for table, n in generated.counts.items():
        assert counts[table] == n, table
    # about 8 % open, some overdue and some not, person and body items among them
    share = counts["workflows_workitem (open)"] / counts["workflows_workitem"]
    assert 0.03 < share < 0.15
    assert 0 < counts["workflows_workitem (open, overdue)"] < counts["workflows_workitem (open)"]
    kinds = {k for (k,) in sql("SELECT DISTINCT kind FROM workflows_workitem WHERE state = 'open'")}
    assert kinds == {"person", "body"}


@pytest.mark.django_db
def test_indexes_and_foreign_keys_are_back_and_valid(generated):
    invalid = sql(
        """SELECT conname FROM pg_constraint WHERE NOT convalidated AND conrelid = ANY(%s::regclass[])""",
        [list(dataset.COLUMNS)],
    )
    assert invalid == []
    names = {
        name for (name,) in sql("SELECT indexname FROM pg_indexes WHERE tablename = 'workflows_workitem'")
    }
    assert {"workitem_open_assignee_cover", "workitem_open_body_cover", "workitem_open_union"} <= names
    fks = sql(
        "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'workflows_workitem'::regclass"
    )
    assert fks[0][0] >= 8


@pytest.mark.django_db
def test_work_items_and_tasks_agree(generated):
    # every work item's task belongs to the same process, is human, is the item's step, in the item's state
    mismatches = sql(
        """SELECT w.id FROM workflows_workitem w JOIN viewflow_task t ON t.id = w.task_id
           WHERE t.process_id <> w.process_id OR t.flow_task_type <> 'HUMAN'
              OR t.flow_task NOT LIKE '%%.' || w.step
              OR (w.state = 'open' AND t.status NOT IN ('NEW', 'ASSIGNED'))
              OR (w.state = 'done' AND t.status <> 'DONE')
              OR (w.state = 'canceled' AND t.status <> 'CANCELED')
              OR (w.state = 'open' AND t.owner_id IS DISTINCT FROM w.assignee_id)"""
    )
    assert mismatches == []
    # every process's budget points back at it; open budgets have open items, the others none
    for budget in Budget.objects.select_related("process", "current_version"):
        process = budget.process
        assert process.artifact_object_id == budget.pk
        assert budget.current_version == BudgetVersion.objects.filter(budget=budget).order_by("number").last()
        open_items = WorkItem.objects.filter(process=process, state=WorkItemState.OPEN).count()
        if budget.status in (BudgetStatus.IN_FORCE, BudgetStatus.WITHDRAWN):
            assert open_items == 0
            assert process.status == ("DONE" if budget.status == BudgetStatus.IN_FORCE else "CANCELED")
        else:
            assert open_items > 0
            assert process.status == "NEW"
    # one opinion request per opinion item
    assert OpinionRequest.objects.count() == WorkItem.objects.filter(step="give_opinion").count()


@pytest.mark.django_db
def test_permission_rows_are_what_the_seats_grant(generated):
    assert Seat.objects.count() > 0
    assert UnionUserObjectPermission.objects.exists() and BodyUserObjectPermission.objects.exists()
    for user in User.objects.all():
        assert permissions_sync_for_user(user=user) == (0, 0), user.username


@pytest.mark.django_db
def test_obligations_and_reminders_are_what_the_app_would_schedule(generated):
    obligations = Obligation.objects.count()
    reminders = Reminder.objects.count()
    for year in TINY.obligation_years:
        assert obligations_generate(fiscal_year=year) == 0
    assert Obligation.objects.count() == obligations
    open_items = list(WorkItem.objects.filter(state=WorkItemState.OPEN).select_related("union"))
    for item in open_items:
        reminders_schedule_work_item(item=item)
    assert Reminder.objects.count() == reminders
    assert Reminder.objects.filter(subject_kind="work_item").count() > 0


@pytest.mark.django_db
def test_the_inbox_shows_a_generated_person_their_items(generated):
    rows = sql(
        """WITH mine AS (
               SELECT p.user_id, w.id FROM core_bodyuserobjectpermission p
               JOIN workflows_workitem w ON w.body_id = p.content_object_id
                AND w.state = 'open' AND w.kind = 'body' AND w.assignee_id IS NULL
               UNION ALL
               SELECT assignee_id, id FROM workflows_workitem
               WHERE state = 'open' AND assignee_id IS NOT NULL)
           SELECT user_id, array_agg(id) FROM mine GROUP BY user_id ORDER BY count(*) DESC, user_id"""
    )
    assert rows
    for user_id, expected in rows[:5]:
        user = User.objects.get(pk=user_id)
        assert sorted(todo_queryset(user=user).values_list("id", flat=True)) == sorted(expected)
        page, _cursor = todo_page(user=user)
        assert [i.id for i in page] == [
            i.id for i in sorted(WorkItem.objects.filter(id__in=expected), key=lambda i: (i.due_at, i.id))
        ][: len(page)]


@pytest.mark.django_db
def test_viewflow_carries_a_generated_process_on(generated):
    # the last open opinions of a solicitation: the join fires and the drafter consolidates
    item = WorkItem.objects.filter(step="give_opinion", state=WorkItemState.OPEN).order_by("id").first()
    assert item is not None
    budget = Budget.objects.get(pk=item.document_id)
    for opinion in WorkItem.objects.filter(
        process=item.process, step="give_opinion", state=WorkItemState.OPEN
    ):
        opinion_answer(work_item=opinion, actor=opinion.assignee, answer=OpinionAnswer.NO_OPINION)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.CONSOLIDATING
    consolidate = WorkItem.objects.get(process=item.process, step="consolidate", state=WorkItemState.OPEN)
    assert consolidate.assignee_id == budget.drafter_id
    # a budget waiting for consolidation goes on to the audit committee
    budget_submit(actor=User.objects.get(pk=budget.drafter_id), budget=budget)
    budget.refresh_from_db()
    assert budget.status == BudgetStatus.AUDIT_REVIEW
    audit = WorkItem.objects.get(process=item.process, step="audit_review", state=WorkItemState.OPEN)
    assert audit.body == Body.objects.get(union=budget.union, kind="audit_committee")
    assert Task.objects.get(pk=audit.task_id).status == "NEW"
    assert Process.objects.get(pk=item.process_id).status == "NEW"


@pytest.mark.django_db
def test_generated_unions_form_the_expected_tree(generated):
    prov = Union.objects.get(kind="provincial")
    assert Union.objects.filter(parent=prov, kind="department").count() == TINY.departments
    assert Union.objects.filter(parent=prov, kind="grassroots").count() == TINY.grassroots_under_provincial
    assert not Union.objects.filter(kind="group").exclude(parent__kind="grassroots").exists()
    assert timezone.now() - Union.objects.earliest("created_at").created_at < datetime.timedelta(days=800)
