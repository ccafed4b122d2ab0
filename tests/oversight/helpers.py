"""Shared data for the oversight tests: work items placed by hand at known ages."""

from __future__ import annotations

import datetime
from io import BytesIO

from openpyxl import load_workbook

from core.models import Body
from workflows.models import WorkItem

NOW = datetime.datetime(2027, 3, 1, 9, 0, tzinfo=datetime.UTC)


def make_item(
    budget,
    union,
    *,
    age_days,
    due_in_days=None,
    step="audit_review",
    assignee=None,
    body_kind=None,
    state="open",
    finished_after_days=None,
    document_type="budget",
    document_id=None,
):
    created = NOW - datetime.timedelta(days=age_days)
    body = Body.objects.get(union=union, kind=body_kind) if body_kind else None
    finished = (
        created + datetime.timedelta(days=finished_after_days) if finished_after_days is not None else None
    )
    return WorkItem.objects.create(
        process=budget.process,
        union=union,
        document_type=document_type,
        document_id=document_id or budget.pk,
        document_title=f"Budget of {union.name}",
        step=step,
        step_title="Audit review" if step == "audit_review" else "Opinions",
        kind="body" if body else "person",
        body=body,
        assignee=assignee,
        created_at=created,
        due_at=None if due_in_days is None else NOW + datetime.timedelta(days=due_in_days),
        state=state,
        finished_at=finished,
    )


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def sheet_rows(ws) -> list[tuple]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]
