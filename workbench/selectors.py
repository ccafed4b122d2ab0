"""What the home workbench (工作台) shows a person: each section is one selector, read set-based, so the
page's query count does not grow with the number of documents or unions (tests/workbench).

Sections appear by role: everyone has a to-do list; a person seated in a union sees its documents in
progress, its statutory deadlines, its documents at risk and its recent outcomes; a member of a Party
organisation sees what awaits that organisation; a supervisor sees the unions below.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils import timezone

from core.statutory import Obligation
from oversight.selectors.scope import OversightScope
from workflows.documents import document_url
from workflows.models import Resolution, WorkItem, WorkItemKind, WorkItemState
from workflows.selectors import todo_groups, todo_page
from workflows.services.vacancy import body_seated_exists
from workflows.steps import SIGN_FOR_STEP

DEADLINE_DAYS = 60
OUTCOME_DAYS = 30
IN_PROGRESS_LIMIT = 40
OUTCOME_LIMIT = 8
TODO_SHOWN = 5


@dataclass
class InProgress:
    """A document of my union under way: where it stands and who holds it (its open steps)."""

    title: str
    union_name: str
    url: str | None
    steps: list[WorkItem] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        now = timezone.now()
        return any(item.due_at is not None and item.due_at < now for item in self.steps)


@dataclass
class Outcome:
    title: str
    union_name: str
    url: str | None
    what: str  # "approved", "returned" or "not_passed"
    by: str  # the body that decided (or the step's title)
    at: datetime.datetime


@dataclass
class Todos:
    total: int
    by_step: list[tuple[str, int]]  # (step title, items), most first
    first: list[WorkItem]  # the soonest due


def my_todos(*, user) -> Todos:
    """My to-do list's counts by step and its first items, soonest due first: the inbox's own two
    queries."""
    counts: dict[str, int] = {}
    for _union, _name, _step, n, title in todo_groups(user=user):
        counts[title] = counts.get(title, 0) + n
    items, _cursor = todo_page(user=user, size=TODO_SHOWN)
    by_step = sorted(counts.items(), key=lambda c: (-c[1], c[0]))
    return Todos(total=sum(counts.values()), by_step=by_step, first=items)


def documents_in_progress(*, union_ids: list[int]) -> list[InProgress]:
    """Open top-level steps of the unions' documents, grouped by document: one query."""
    items = (
        WorkItem.objects.filter(union_id__in=union_ids, state=WorkItemState.OPEN, parent__isnull=True)
        .select_related("union", "body", "assignee")
        .order_by("union__name", "process_id", "created_at")[: IN_PROGRESS_LIMIT * 3]
    )
    documents: dict[int, InProgress] = {}
    for item in items:
        document = documents.get(item.process_id)
        if document is None:
            if len(documents) == IN_PROGRESS_LIMIT:
                break
            document = documents[item.process_id] = InProgress(
                title=item.document_title or str(item.get_document_type_display()),
                union_name=item.union.name,
                url=document_url(item.document_type, item.document_id),
            )
        document.steps.append(item)
    return list(documents.values())


@dataclass
class Deadline:
    """A statutory deadline of one of my unions, in the users' words (the rule's code left off)."""

    obligation: Obligation
    what: str
    late: bool
    days_left: int


def _without_code(label: str, code: str) -> str:
    return label[len(code) :].strip() if label.startswith(code) else label


def deadlines_ahead(*, union_ids: list[int], today: datetime.date) -> list[Deadline]:
    """Unmet statutory obligations due within DEADLINE_DAYS, the late ones of the last year first."""
    obligations = (
        Obligation.objects.filter(
            union_id__in=union_ids,
            met_on__isnull=True,
            due_date__lte=today + datetime.timedelta(days=DEADLINE_DAYS),
            due_date__gte=today - datetime.timedelta(days=365),
        )
        .select_related("union")
        .order_by("due_date", "union__name")[:30]
    )
    return [
        Deadline(
            obligation=o,
            what=_without_code(str(o.get_code_display()), o.code),
            late=o.due_date < today,
            days_left=(o.due_date - today).days,
        )
        for o in obligations
    ]


def recent_outcomes(*, union_ids: list[int], now: datetime.datetime) -> list[Outcome]:
    """Bodies' decisions on the unions' documents in the last OUTCOME_DAYS days, newest first: one
    query (a body's step done with an approval or a return)."""
    items = (
        WorkItem.objects.filter(
            union_id__in=union_ids,
            kind=WorkItemKind.BODY,
            state=WorkItemState.DONE,
            outcome__in=[Resolution.APPROVE, Resolution.RETURN],
            finished_at__gte=now - datetime.timedelta(days=OUTCOME_DAYS),
        )
        .select_related("union", "body")
        .order_by("-finished_at", "-id")[:OUTCOME_LIMIT]
    )
    return [
        Outcome(
            title=item.document_title,
            union_name=item.union.name,
            url=document_url(item.document_type, item.document_id),
            what="approved" if item.outcome == Resolution.APPROVE else "returned",
            by=item.body.display_name if item.body else item.step_title,
            at=item.finished_at,
        )
        for item in items
    ]


def awaiting_party(*, body_ids: list[int]) -> list[WorkItem]:
    """What awaits the person's Party organisation(s): their bodies' open steps, oldest first."""
    return list(
        WorkItem.objects.filter(body_id__in=body_ids, state=WorkItemState.OPEN, parent__isnull=True)
        .select_related("union", "body")
        .order_by(F("due_at").asc(nulls_last=True), "created_at")[:30]
    )


@dataclass
class Supervision:
    """The unions below a supervisor: how many steps are stuck or late, and the reports sent up to the
    supervisor's own union awaiting their signature (签收)."""

    unions: int
    stuck: int
    late: int
    vacant: int  # body steps whose body has no seat in force: nobody can act (无人可办理)
    to_sign: int


def supervision(*, user, scope: OversightScope, now: datetime.datetime, stuck_days: int = 7) -> Supervision:
    """Counts over the supervisor's scope (one query) and their reports to sign for (one query)."""
    counts = (
        WorkItem.objects.filter(scope.union_q(), state=WorkItemState.OPEN, parent__isnull=True)
        .annotate(seated=body_seated_exists(on=timezone.localdate(now)))
        .aggregate(
            late=Count("id", filter=Q(due_at__lt=now)),
            stuck=Count(
                "id", filter=Q(due_at__lt=now) | Q(created_at__lt=now - datetime.timedelta(stuck_days))
            ),
            vacant=Count("id", filter=Q(kind=WorkItemKind.BODY, seated=False)),
        )
    )
    to_sign = WorkItem.objects.filter(assignee=user, step=SIGN_FOR_STEP, state=WorkItemState.OPEN).count()
    return Supervision(
        unions=sum(1 for u in scope.unions if u.supervised),
        stuck=counts["stuck"],
        late=counts["late"],
        vacant=counts["vacant"],
        to_sign=to_sign,
    )
