"""Factories: people (factory_boy), unions with their bodies (union_create), seats, the cast of union a1,
and each document kind as its drafter leaves it, made through the project's services."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import factory
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from viewflow.workflow.models import Process

from core.models import Body, BodyKind, Role, Seat, Union, UnionKind, User
from core.services.unions import union_create
from core.statutory import CalendarYear
from notifications.models import ReminderRule
from workflows.budget.flows import BudgetFlow
from workflows.budget.models import Account, Budget
from workflows.budget.services import LineInput, budget_create, budget_save_lines
from workflows.budget_adjustment.models import BudgetAdjustment
from workflows.budget_adjustment.services import adjustment_create, adjustment_save_lines
from workflows.execution.models import BudgetExecutionReview
from workflows.execution.services import review_create
from workflows.final_accounts.models import FinalAccounts
from workflows.final_accounts.services import final_accounts_create, final_accounts_save
from workflows.models import CopyTo, OpinionAnswer, WorkItem, WorkItemKind, WorkItemState
from workflows.party.models import CatalogueItem
from workflows.plan.models import AnnualPlan, DutyArea
from workflows.plan.services import ItemInput, SectionInput, plan_create, plan_save
from workflows.reports.finance_report import finance_report_create
from workflows.reports.models import CongressReport, YearEndSummary
from workflows.reports.services import summary_create, work_report_create

PASSWORD = "Test-password-2026"
_PASSWORD_HASH = make_password(PASSWORD)
TERM_START = datetime.date(2024, 1, 1)
D = Decimal


# --- reference data -----------------------------------------------------------------------------------


def ensure_chart_of_accounts() -> None:
    """The chart of accounts, the statutory calendar, the default reminder rules and the default catalogue
    of requests and reports are migration data: a transactional test's flush removes them, so put them
    back."""
    if not Account.objects.exists():
        migration = importlib.import_module("workflows.budget.migrations.0002_chart_of_accounts")
        with connection.schema_editor() as editor:
            migration.load_chart(apps, editor)
    if not CalendarYear.objects.exists():
        importlib.import_module("core.migrations.0005_seed_calendar").seed(apps, None)
    if not ReminderRule.objects.exists():
        importlib.import_module("notifications.migrations.0003_default_reminder_rules").seed(apps, None)
    if not CatalogueItem.objects.exists():  # S1.3's default catalogue of requests and reports
        importlib.import_module("workflows.party.migrations.0002_default_catalogue").add(apps, None)


# --- people, unions, bodies and seats -------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试人员{n}")
    password = _PASSWORD_HASH


_codes = iter(range(1, 10**9))


def make_union(
    kind: str = UnionKind.GRASSROOTS, parent: Union | None = None, name: str | None = None, **kwargs
) -> Union:
    """A union with its bodies (union_create makes the bodies its kind has)."""
    n = next(_codes)
    return union_create(
        actor=None,
        name=name or f"{UnionKind(kind).label}{n}",
        code=f"u{n}",
        kind=kind,
        parent=parent,
        **kwargs,
    )


def make_tree() -> dict[str, Union]:
    """provincial → dept A (grassroots A1, A2 → group A1g), dept B (grassroots B1)."""
    prov = make_union(UnionKind.PROVINCIAL)
    dept_a = make_union(UnionKind.DEPARTMENT, prov)
    dept_b = make_union(UnionKind.DEPARTMENT, prov)
    a1 = make_union(UnionKind.GRASSROOTS, dept_a)
    a2 = make_union(UnionKind.GRASSROOTS, dept_a)
    b1 = make_union(UnionKind.GRASSROOTS, dept_b)
    a1g = make_union(UnionKind.GROUP, a1)
    return {"prov": prov, "dept_a": dept_a, "dept_b": dept_b, "a1": a1, "a2": a2, "b1": b1, "a1g": a1g}


def body_of(union: Union, kind: str) -> Body:
    return Body.objects.get(union=union, kind=kind)


def give_seat(
    person: User,
    union: Union,
    role: str,
    body_kind: str | None = None,
    start: datetime.date = TERM_START,
    end: datetime.date | None = None,
) -> Seat:
    body = body_of(union, body_kind) if body_kind else None
    seat = Seat(person=person, union=union, body=body, role=role, start_date=start, end_date=end)
    seat.full_clean()
    seat.save()
    return seat


def seated(union: Union, role: str, body_kind: str | None = None, **user_fields) -> User:
    """A new person holding one seat."""
    person = UserFactory(**user_fields)
    give_seat(person, union, role, body_kind)
    return person


# Every role a person can hold in a grassroots union: (name, body kind, role).
GRASSROOTS_ROLES: list[tuple[str, str | None, str]] = [
    ("chair", BodyKind.UNION_COMMITTEE, Role.CHAIR),
    ("vice_chair", BodyKind.UNION_COMMITTEE, Role.VICE_CHAIR),
    ("committee_member", BodyKind.UNION_COMMITTEE, Role.MEMBER),
    ("committee_secretary", BodyKind.UNION_COMMITTEE, Role.SECRETARY),
    ("audit_director", BodyKind.AUDIT_COMMITTEE, Role.DIRECTOR),
    ("audit_member", BodyKind.AUDIT_COMMITTEE, Role.MEMBER),
    ("women_director", BodyKind.WOMEN_COMMITTEE, Role.DIRECTOR),
    ("party_secretary", BodyKind.PARTY_ORGANIZATION, Role.SECRETARY),
    ("party_member", BodyKind.PARTY_ORGANIZATION, Role.MEMBER),
    ("representative", BodyKind.CONGRESS, Role.REPRESENTATIVE),
    ("office_staff", None, Role.OFFICE_STAFF),
    ("finance_officer", None, Role.FINANCE_OFFICER),
]


class Cast:
    """The people of union a1 (the tree's): the drafter (office staff), the union committee (chair and
    two members), the fund audit committee (director and two members), the Party organisation's
    secretary, the congress (chair and five representatives), the leader of the union group a1g below
    a1, and an outsider (the chair of b1)."""

    def __init__(self, tree: dict[str, Union]):
        a1 = self.union = tree["a1"]
        self.office = seated(a1, Role.OFFICE_STAFF, username="a1-office")
        self.chair = seated(a1, Role.CHAIR, "union_committee", username="a1-chair")
        self.audit_director = seated(a1, Role.DIRECTOR, "audit_committee", username="a1-audit")
        self.audit_members = [
            seated(a1, Role.MEMBER, "audit_committee", username=f"a1-audit{i}") for i in range(2)
        ]
        self.party_secretary = seated(a1, Role.SECRETARY, "party_organization", username="a1-party")
        self.congress_chair = seated(a1, Role.CHAIR, "congress", username="a1-congress-chair")
        self.representatives = [
            seated(a1, Role.REPRESENTATIVE, "congress", username=f"a1-rep{i}") for i in range(5)
        ]
        # a union group below a1 answers through its leader
        self.group = tree["a1g"]
        self.group_leader = seated(self.group, Role.CHAIR, username="a1g-leader")
        self.outsider = seated(tree["b1"], Role.CHAIR, "union_committee", username="b1-chair")
        self.committee_members = [
            seated(a1, Role.MEMBER, "union_committee", username=f"a1-committee{i}") for i in range(2)
        ]

    def body(self, kind: str) -> Body:
        """One of a1's bodies: "union_committee", "audit_committee", "party_organization", "congress"."""
        return body_of(self.union, kind)

    @property
    def committee(self) -> list[User]:
        return [self.chair, *self.committee_members]

    @property
    def audit_committee(self) -> list[User]:
        return [self.audit_director, *self.audit_members]

    @property
    def congress(self) -> list[User]:
        return [self.congress_chair, *self.representatives]


# --- documents, each as its drafter leaves it ----------------------------------------------------------

CARRYOVER = D("20000.00")
# income 401 120,000 + 402 300,000; expenditure 50101 150,000, 50102 200,000, 50502 60,000
BALANCED_LINES = [
    LineInput("401", D("120000.00")),
    LineInput("402", D("300000.00")),
    LineInput("50101", D("150000.00")),
    LineInput("50102", D("200000.00")),
    LineInput("50502", D("60000.00")),
]


def make_budget(
    cast: Cast,
    *,
    year: int = 2027,
    lines: list[LineInput] = BALANCED_LINES,
    carryover: Decimal = CARRYOVER,
    carryover_is_estimate: bool = True,
) -> Budget:
    """A draft budget with its lines."""
    budget = budget_create(
        actor=cast.office,
        union=cast.union,
        year=year,
        carryover=carryover,
        carryover_is_estimate=carryover_is_estimate,
    )
    budget_save_lines(
        actor=cast.office,
        budget=budget,
        lines=list(lines),
        carryover=carryover,
        carryover_is_estimate=carryover_is_estimate,
    )
    return budget


def plan_sections(
    owner: User | None = None, *, other_owner: User | None = None, leave_empty: str | None = None, reason=""
) -> list[SectionInput]:
    """One task in each of the seven duty areas (the competitions' owned by ``other_owner`` if given);
    ``leave_empty`` names an area left without tasks, for ``reason``."""
    sections = []
    for area in DutyArea.values:
        if area == leave_empty:
            sections.append(SectionInput(area, [], reason))
            continue
        area_owner = other_owner if (other_owner and area == "competitions") else owner
        item = ItemInput(
            f"{area} 重点任务", datetime.date(2027, 3, 1), datetime.date(2027, 11, 30), owner=area_owner
        )
        sections.append(SectionInput(area, [item]))
    return sections


def make_plan(cast: Cast, *, year: int = 2027, sections: list[SectionInput] | None = None) -> AnnualPlan:
    """A draft annual plan, by default with a task of the office's in every duty area."""
    plan = plan_create(actor=cast.office, union=cast.union, year=year)
    plan_save(actor=cast.office, plan=plan, sections=sections or plan_sections(owner=cast.office))
    return plan


def make_summary(cast: Cast, *, year: int = 2026, text: str = "全年完成七个方面工作任务。") -> YearEndSummary:
    return summary_create(actor=cast.office, union=cast.union, year=year, text=text)


def make_work_report(cast: Cast, *, year: int = 2026) -> CongressReport:
    """The work report binding the year's acknowledged summary and next year's plan (both must exist)."""
    return work_report_create(actor=cast.office, union=cast.union, year=year)


def make_finance_report(cast: Cast, *, year: int = 2026) -> CongressReport:
    """The report on budget and final accounts binding the audited final accounts and next year's budget."""
    return finance_report_create(actor=cast.office, union=cast.union, year=year)


# Actual amounts of the 2026 budget (BALANCED_LINES, carryover 20,000)
ACTUALS = {
    "401": D("118000.00"),
    "402": D("300000.00"),
    "50101": D("140000.00"),
    "50102": D("195000.00"),
    "50502": D("58000.00"),
}
# closing balance = 20,000 + 418,000 − 393,000 = 45,000
CLOSING = D("45000.00")


def make_final_accounts(cast: Cast, *, year: int = 2026, actuals: dict = ACTUALS) -> FinalAccounts:
    """The year's final accounts with every actual amount entered (the year's budget must be in force)."""
    fa = final_accounts_create(actor=cast.office, union=cast.union, year=year)
    final_accounts_save(actor=cast.office, final_accounts=fa, actuals=dict(actuals))
    fa.refresh_from_db()
    return fa


def audit_report_file(name: str = "审查报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 audit report", content_type="application/pdf")


# The adjusted budget: 10,000 more for culture and sports, paid by 10,000 more subsidy (403).
ADJUSTED = [
    LineInput("401", D("120000.00")),
    LineInput("402", D("300000.00")),
    LineInput("403", D("10000.00"), "上级补助"),
    LineInput("50101", D("150000.00")),
    LineInput("50102", D("210000.00"), "增加运动会经费"),
    LineInput("50502", D("60000.00")),
]
ADJUSTMENT_REASON = "上级工会安排职工运动会，需增加文体活动支出。"


def make_adjustment(
    cast: Cast,
    budget: Budget,
    *,
    lines: list[LineInput] = ADJUSTED,
    carryover: Decimal = CARRYOVER,
    reason: str = ADJUSTMENT_REASON,
) -> BudgetAdjustment:
    """A draft adjustment of the budget in force with its adjusted lines (inside the S3.4 window)."""
    adjustment = adjustment_create(actor=cast.office, budget=budget, reason=reason)
    adjustment_save_lines(
        actor=cast.office,
        adjustment=adjustment,
        lines=list(lines),
        carryover=carryover,
        carryover_is_estimate=False,
        reason=reason,
    )
    return adjustment


def make_execution_review(cast: Cast, budget: Budget, *, period: str = "H1") -> BudgetExecutionReview:
    """The half-year analysis of the budget in force, its actual amounts not entered yet."""
    return review_create(actor=cast.office, budget=budget, period=period)


# --- work items in bulk ----------------------------------------------------------------------------


def pile_up(user, *, union, n: int, acting_for, start: int = 0) -> list[WorkItem]:
    """n processes reaching ``user``, bulk-created (the flows' rows without running the flows): each
    gives an unclaimed item of the union's audit committee, a task of the user's acting for someone,
    a copy to the user and an item the user finished."""
    processes = Process.objects.bulk_create([Process(flow_class=BudgetFlow) for _ in range(n)])
    now = timezone.now()
    body = body_of(union, BodyKind.AUDIT_COMMITTEE)
    items: list[WorkItem] = []
    copies: list[CopyTo] = []
    for i, process in enumerate(processes, start=start):
        same = {
            "process": process,
            "union": union,
            "document_type": "budget",
            "document_id": 10_000 + i,
            "document_title": f"堆积预算{i}",
        }
        items += [
            WorkItem(
                **same,
                step="audit_review",
                step_title="Fund audit committee review and consent",
                kind=WorkItemKind.BODY,
                body=body,
                due_at=now + datetime.timedelta(days=10, hours=i),
            ),
            WorkItem(
                **same,
                step="give_opinion",
                step_title="Give an opinion on the budget draft",
                kind=WorkItemKind.PERSON,
                assignee=user,
                acting_for=acting_for,
                due_at=now + datetime.timedelta(days=10, hours=i),
            ),
            WorkItem(
                **same,
                step="give_opinion",
                step_title="Give an opinion on the budget draft",
                kind=WorkItemKind.PERSON,
                assignee=user,
                state=WorkItemState.DONE,
                finished_by=user,
                finished_at=now - datetime.timedelta(minutes=i),
                outcome=OpinionAnswer.NO_OPINION,
            ),
        ]
        copies.append(
            CopyTo(
                process=process,
                document_type="budget",
                document_id=10_000 + i,
                document_title=f"堆积预算{i}",
                union=union,
                person=user,
                added_by=acting_for or user,
            )
        )
    CopyTo.objects.bulk_create(copies)
    return WorkItem.objects.bulk_create(items)
