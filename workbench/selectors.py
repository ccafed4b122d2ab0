"""What the home workbench (工作台) shows a person: each section is one selector, read set-based, so the
page's query count does not grow with the number of documents or unions (tests/workbench).

Sections appear by role: everyone has a to-do list; a person seated in a union sees its documents in
progress, its statutory deadlines, its documents at risk and its recent outcomes; a member of a Party
organisation sees the Party organisation's workbench (党组织工作台) over the unions it leads (S1.1–S1.3);
a supervisor sees the unions below.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import BodyKind, BodyUserObjectPermission, Union, UnionUserObjectPermission
from core.statutory import Obligation, ObligationCode, ObligationStatus, obligation_words
from oversight.selectors.scope import OversightScope
from workflows.documents import document_url
from workflows.models import Resolution, WorkItem, WorkItemKind, WorkItemState
from workflows.party import selectors as party_selectors
from workflows.plan.models import AnnualPlan, PlanStatus
from workflows.selectors import todo_groups, todo_page
from workflows.services.vacancy import unseated_bodies
from workflows.steps import SIGN_FOR_STEP
from workflows.views import work_item_action
from workflows.visibility import participant_filter

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
    counts = WorkItem.objects.filter(
        scope.union_q(), state=WorkItemState.OPEN, parent__isnull=True
    ).aggregate(
        late=Count("id", filter=Q(due_at__lt=now)),
        stuck=Count("id", filter=Q(due_at__lt=now) | Q(created_at__lt=now - datetime.timedelta(stuck_days))),
        vacant=Count(
            "id",
            filter=Q(kind=WorkItemKind.BODY, body_id__in=unseated_bodies(on=timezone.localdate(now))),
        ),
    )
    to_sign = WorkItem.objects.filter(assignee=user, step=SIGN_FOR_STEP, state=WorkItemState.OPEN).count()
    return Supervision(
        unions=sum(1 for u in scope.unions if u.supervised),
        stuck=counts["stuck"],
        late=counts["late"],
        vacant=counts["vacant"],
        to_sign=to_sign,
    )


# --- the Party organisation's workbench (党组织工作台, S1.1–S1.3) --------------------------------------

PARTY_SHOWN = 30
PARTY_REPORTS_SHOWN = 10
# a status's badge on the Five Ones row (the calendar's colours, core.views_calendar)
STATUS_BADGES = {
    ObligationStatus.MET: "text-bg-success",
    ObligationStatus.PENDING: "text-bg-secondary",
    ObligationStatus.LATE: "text-bg-warning",
    ObligationStatus.MISSED: "text-bg-danger",
    ObligationStatus.RETURNED: "text-bg-warning",
}


@dataclass
class PartyStep:
    """A step awaiting the Party organisation's consent, approval, reply or hearing, with the page where
    it is taken (for the organisation's recorders) or else the document's page."""

    item: WorkItem
    url: str | None
    action: str
    overdue: bool


@dataclass
class Duty:
    """One obligation of a led union's year, in words, with its status on the day."""

    obligation: Obligation
    what: str
    status: str

    @property
    def label(self) -> str:
        return str(ObligationStatus(self.status).label)

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]


@dataclass
class LedUnion:
    """A union whose Party organisation the person sits on, directly or through the leading body (S1.1):
    its Five Ones of the year, its yearly hearing (S1.2) and its plans (planning together)."""

    pk: int
    name: str
    duties: list[Duty] = field(default_factory=list)
    hearing: object | None = None  # this year's Hearing, if asked for
    plans: list = field(default_factory=list)  # AnnualPlan with all_items, party_items

    @property
    def hearing_duty(self) -> Duty | None:
        return next((d for d in self.duties if d.obligation.code == ObligationCode.PARTY_HEARS_REPORT), None)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        """(badge, label, how many) per status present, in the calendar's order."""
        n = Counter(d.status for d in self.duties)
        return [(STATUS_BADGES[s], str(ObligationStatus(s).label), n[s]) for s in STATUS_BADGES if n[s]]


@dataclass
class PartyDesk:
    unions: list[LedUnion]
    steps: list[PartyStep]
    awaiting_reply: list  # InstructionRequest, overdue ones first (their reply_due is the earliest)
    reports: list  # InstructionRequest of kind "report", filed or returned
    action_items: list  # open ActionItem, soonest due first


def party_desk(*, user, today: datetime.date, now: datetime.datetime) -> PartyDesk | None:
    """Everything of the unions the person's Party organisation leads (party.selectors.led_union_ids,
    S1.1), read-only: ten queries however many unions it leads (tests/party/test_party_scope.py)."""
    union_ids = party_selectors.led_union_ids(user)
    if not union_ids:
        return None
    unions = {
        pk: LedUnion(pk, name)
        for pk, name in Union.objects.filter(pk__in=union_ids)
        .order_by("name", "id")
        .values_list("id", "name")
    }
    for obligation in Obligation.objects.filter(union_id__in=union_ids, fiscal_year=today.year).order_by(
        "union_id", "due_date", "code", "period"
    ):
        what = obligation_words(obligation.code) + (f" {obligation.period}" if obligation.period else "")
        unions[obligation.union_id].duties.append(Duty(obligation, what, obligation.status_on(today)))
    for hearing in party_selectors.hearings_of_year(union_ids, today.year):
        unions[hearing.union_id].hearing = hearing
    plans = list(_plans_together(union_ids, today.year))
    readable = _readable(user, plans)
    for plan in plans:
        plan.readable = plan.pk in readable
        unions[plan.union_id].plans.append(plan)
    return PartyDesk(
        unions=list(unions.values()),
        steps=_party_steps(user=user, union_ids=union_ids, now=now),
        awaiting_reply=list(party_selectors.awaiting_reply(union_ids)[:PARTY_SHOWN]),
        reports=party_selectors.reports_received(union_ids, limit=PARTY_REPORTS_SHOWN),
        action_items=list(party_selectors.open_action_items(union_ids)[:PARTY_SHOWN]),
    )


def _party_steps(*, user, union_ids: list[int], now: datetime.datetime) -> list[PartyStep]:
    """Open steps at the unions' Party organisation bodies, soonest due first: one query, which also
    says whether the person records for the step's body (then the link is the step's own page)."""
    records = BodyUserObjectPermission.objects.filter(
        user=user, permission__codename="record_decision", content_object_id=OuterRef("body_id")
    )
    items = (
        WorkItem.objects.filter(
            union_id__in=union_ids,
            state=WorkItemState.OPEN,
            parent__isnull=True,
            body__kind=BodyKind.PARTY_ORGANIZATION,
        )
        .annotate(records=Exists(records))
        .select_related("union", "body")
        .order_by(F("due_at").asc(nulls_last=True), "created_at", "id")[:PARTY_SHOWN]
    )
    steps = []
    for item in items:
        if item.records:
            url, action = work_item_action(item)
        else:
            url, action = document_url(item.document_type, item.document_id), _("Open the document")
        overdue = item.due_at is not None and item.due_at < now
        steps.append(PartyStep(item=item, url=url, action=str(action), overdue=overdue))
    return steps


def _plans_together(union_ids: list[int], year: int):
    """This year's and next year's annual plans (in force or under way) with how many of the current
    version's items were deployed together with Party building (S1.2 "planning together")."""
    items = "current_version__sections__items"
    return (
        AnnualPlan.objects.filter(union_id__in=union_ids, year__in=[year, year + 1])
        .exclude(status=PlanStatus.WITHDRAWN)
        .annotate(
            all_items=Count(items),
            party_items=Count(items, filter=Q(**{f"{items}__with_party": True})),
        )
        .order_by("union_id", "year")
    )


def _readable(user, plans) -> set[int]:
    """The plans the person may open (workflows.visibility in one query: an officer of the union, or a
    plan put before them — its Party consent puts it before the Party organisation's members), so that
    a plan the page would refuse is listed without a link. (A supervisor above who also sits on a Party
    organisation reads the plan from oversight instead.)"""
    if not plans:
        return set()
    officer = UnionUserObjectPermission.objects.filter(
        user=user, permission__codename="view_union_documents"
    ).values("content_object_id")
    readable = AnnualPlan.objects.filter(pk__in=[p.pk for p in plans]).filter(
        Q(union_id__in=officer) | participant_filter(user=user)
    )
    return set(readable.values_list("pk", flat=True).distinct())
