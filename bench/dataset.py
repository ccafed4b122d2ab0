"""The scale dataset (issue 10), written with COPY into the app's real tables.

Shape (``full``): 1 provincial organs union, 60 department unions, 16,000 grassroots unions (40 of them
directly under the provincial union) and 3,939 union groups; five bodies per union except groups;
100,000 people with seats (committee chairs and members, directors, secretaries, congress chairs and
representatives, office staff and finance officers, supervisors, group leaders, and a few full-time
cadres who are office staff of many grassroots unions); guardian's direct-FK permission rows derived
from the seats with ``core.services.permissions.union_perms_for_seat`` and the recorder rules; one
million budget processes with their budgets, versions and lines, about five million human tasks with
their work items (about 8 % open, due dates spread so that many are overdue), opinion requests,
copies, events, obligations for three fiscal years, the next reminder of every open item and unmet
obligation, and a few notifications.

Budgets: one live budget per union and fiscal year (the partial unique index), so 16,061 drafting
unions × 28 fiscal years (2000–2027) give 449,708 live budgets; the rest of the million are withdrawn
drafts. The 2027 budgets are in flight (drafting, soliciting opinions, in review) and 85 % of the older
live budgets are stuck at some step (``stuck_share``): with one live budget per union and year, that is
the only way to about 8 % open tasks. It is a stress shape for the inbox, the reminders and the
oversight pages, not a snapshot of a healthy province: 66,000 budgets are in force, 384,000 are open.

Only human tasks are generated (each with its work item); viewflow's gateway, split, join, function,
start and end tasks (nine per finished budget) are not, nor meetings and written decisions behind the
decided body steps. Open processes can still be continued by the app: opinion tasks carry split
tokens, so completing the last open opinion lets the join fire.

Loading: non-unique indexes, unique constraints and foreign keys of the loaded tables are dropped
before COPY and re-created afterwards (which validates every foreign key); primary keys stay.
Everything random comes from ``random.Random`` seeded per union, so a scale and seed always give the
same rows. Rows that other rows point to get explicit ids (from the table's current maximum); leaf
rows take the identity default.
"""

from __future__ import annotations

import datetime
import math
import queue
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone, translation
from viewflow.workflow.fields import get_flow_ref, get_task_ref

from core.models import BodyKind, Role, UnionKind
from core.services.permissions import BODY_RECORDERS, union_perms_for_seat
from core.services.statutory import rules_for
from core.statutory import ObligationRule, ObligationStatus, WorkingCalendar
from notifications.models import ReminderRule, SubjectKind
from notifications.services.reminders import RuleBook, occasions
from workflows.budget.flows import STEPS, BudgetFlow
from workflows.budget.models import Account, AccountKind, Budget

BENCH_PASSWORD = "Bench-password-2026"
TZ = "Asia/Shanghai"
EPOCH = datetime.date(1970, 1, 1)
DAY = 86400
BODY_KINDS = [
    BodyKind.UNION_COMMITTEE,
    BodyKind.AUDIT_COMMITTEE,
    BodyKind.WOMEN_COMMITTEE,
    BodyKind.PARTY_ORGANIZATION,
    BodyKind.CONGRESS,
]
BODY_STEPS = ["audit_review", "party_approval", "congress_ratification"]
STEP_BODY = {
    "audit_review": BodyKind.AUDIT_COMMITTEE,
    "party_approval": BodyKind.PARTY_ORGANIZATION,
    "congress_ratification": BodyKind.CONGRESS,
}
# Where an open budget waits: the 2027 cycle (in flight now) and the backlog of older years.
CURRENT_STAGES = (
    [
        "draft",
        "give_opinion",
        "consolidate",
        "audit_review",
        "party_approval",
        "congress_ratification",
        "revise",
    ],
    [15, 35, 10, 15, 10, 10, 5],
)
STUCK_STAGES = (
    ["draft", "consolidate", "audit_review", "party_approval", "congress_ratification", "revise"],
    [5, 15, 30, 25, 20, 5],
)
OPINION_TEXTS = ["建议增加职工书屋经费", "同意", "建议压缩会议费", "建议增加困难职工帮扶支出", "无修改意见"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏宇"


@dataclass(frozen=True)
class Scale:
    name: str
    departments: int
    grassroots: int  # including those directly under the provincial union
    grassroots_under_provincial: int
    groups: int
    users: int
    processes: int
    first_year: int
    last_year: int  # the budget year being drafted now
    cadres_per_department: int
    cadre_unions: int  # grassroots unions each cadre is office staff of
    department_reps: int
    max_recipients: int  # opinion recipients chosen by a department or the provincial union
    stuck_share: float  # chance that an older live budget is stuck at some step
    obligation_years: tuple[int, ...]
    shards: int = 1  # parallel loader processes (full and small); tiny always runs in-process


SCALES: dict[str, Scale] = {
    "full": Scale(
        name="full",
        departments=60,
        grassroots=16_000,
        grassroots_under_provincial=40,
        groups=3_939,
        users=100_000,
        processes=1_000_000,
        first_year=2000,
        last_year=2027,
        cadres_per_department=3,
        cadre_unions=25,
        department_reps=10,
        max_recipients=30,
        stuck_share=0.85,
        obligation_years=(2025, 2026, 2027),
        shards=2,
    ),
    "small": Scale(
        name="small",
        departments=6,
        grassroots=800,
        grassroots_under_provincial=4,
        groups=194,
        users=5_000,
        processes=50_000,
        first_year=2000,
        last_year=2027,
        cadres_per_department=2,
        cadre_unions=15,
        department_reps=8,
        max_recipients=20,
        stuck_share=0.85,
        obligation_years=(2025, 2026, 2027),
        shards=2,
    ),
    "tiny": Scale(
        name="tiny",
        departments=2,
        grassroots=6,
        grassroots_under_provincial=1,
        groups=4,
        users=50,
        processes=40,
        first_year=2025,
        last_year=2027,
        cadres_per_department=1,
        cadre_unions=2,
        department_reps=3,
        max_recipients=4,
        stuck_share=0.4,
        obligation_years=(2026, 2027),
        shards=1,
    ),
}

# The tables the generator writes, in load order, with the columns it provides.
COLUMNS: dict[str, list[str]] = {
    "core_union": [
        "id", "name", "code", "kind", "parent_id", "member_count", "time_zone", "is_active", "created_at",
    ],
    "core_body": [
        "id", "union_id", "kind", "name", "is_single_person", "decision_mode", "quorum_numerator",
        "quorum_denominator", "quorum_strict", "pass_numerator", "pass_denominator", "pass_strict",
        "pass_base", "term_start", "term_end",
    ],
    "core_user": [
        "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name", "email",
        "is_staff", "is_active", "date_joined", "full_name", "phone", "home_union_id",
    ],
    "core_seat": ["person_id", "union_id", "body_id", "role", "start_date", "end_date", "note"],
    "core_unionuserobjectpermission": ["user_id", "permission_id", "content_object_id"],
    "core_bodyuserobjectpermission": ["user_id", "permission_id", "content_object_id"],
    "viewflow_process": [
        "id", "flow_class", "status", "created", "finished", "artifact_content_type_id",
        "artifact_object_id", "data",
    ],
    "budget_budget": [
        "id", "union_id", "year", "title", "status", "drafter_id", "process_id", "current_version_id",
        "restart_step", "decided", "created_at", "in_force_since",
    ],
    "budget_budgetversion": [
        "id", "budget_id", "number", "carryover", "carryover_is_estimate", "note", "created_by_id",
        "created_at", "submitted_at",
    ],
    "budget_budgetline": ["version_id", "account_id", "amount", "remark"],
    "viewflow_task": [
        "id", "flow_task", "flow_task_type", "status", "created", "started", "finished", "token",
        "owner_id", "process_id", "data",
    ],
    "workflows_workitem": [
        "id", "task_id", "process_id", "union_id", "document_type", "document_id", "document_title",
        "step", "step_title", "kind", "body_id", "assignee_id", "claimed_at", "note", "due_at", "state",
        "created_at", "finished_at", "finished_by_id", "outcome",
    ],
    "workflows_opinionrequest": [
        "process_id", "round", "recipient_id", "on_behalf_of_id", "due_at", "answer", "text",
        "answered_at", "work_item_id",
    ],
    "workflows_copyto": [
        "process_id", "document_type", "document_id", "document_title", "union_id", "person_id",
        "added_by_id", "created_at",
    ],
    "core_event": [
        "created_at", "actor_id", "verb", "subject_type", "subject_id", "union_id", "from_state",
        "to_state", "detail",
    ],
    "core_obligation": [
        "id", "union_id", "code", "fiscal_year", "period", "due_date", "missed_after_days", "status",
        "met_on", "met_by",
    ],
    "notifications_reminder": [
        "subject_kind", "subject_id", "union_id", "kind", "offset_days", "due_on", "fire_at", "state",
        "sent_at", "recipients",
    ],
    "notifications_notification": [
        "recipient_id", "union_id", "title", "body", "url", "dedupe_key", "created_at", "read_at",
    ],
}  # fmt: skip
EXPLICIT_IDS = {t for t, cols in COLUMNS.items() if cols[0] == "id"}
N = "\\N"


def _n(value) -> str:
    return N if value is None else str(value)


class Clock:
    """Fast timestamp text for COPY: integer UTC seconds → '2026-11-25 12:47:42+00'."""

    def __init__(self):
        self.days: dict[int, str] = {}
        self.secs = [f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]

    def day(self, d: int) -> str:
        text = self.days.get(d)
        if text is None:
            text = self.days[d] = (EPOCH + datetime.timedelta(days=d)).isoformat()
        return text

    def ts(self, t: int | None) -> str:
        if t is None:
            return N
        d, s = divmod(t, DAY)
        return f"{self.day(d)} {self.secs[s]}+00"

    def iso(self, t: int) -> str:
        d, s = divmod(t, DAY)
        return f"{self.day(d)}T{self.secs[s]}+00:00"

    def local_date(self, t: int) -> datetime.date:
        return EPOCH + datetime.timedelta(days=(t + 8 * 3600) // DAY)  # Asia/Shanghai has no DST


def epoch(day: datetime.date, hour: int = 9) -> int:
    return (day - EPOCH).days * DAY + hour * 3600 - 8 * 3600  # local hour in Shanghai


# --- the writer ---------------------------------------------------------------------------------


class CopyWriter:
    """Buffers rows per table and COPYs them in chunks.

    ``threaded``: the COPY statements run in a background thread on their own psycopg connection
    while the caller builds the next chunk (PostgreSQL ingests on one core, Python builds on the other).
    Otherwise they run inline on the given connection (inside the caller's transaction: the tests).
    """

    def __init__(self, conn, *, threaded: bool, chunk_bytes: int = 4 << 20):
        self.conn = conn
        self.chunk_bytes = chunk_bytes
        self.buffers: dict[str, list[str]] = {}
        self.sizes: dict[str, int] = {}
        self.counts: dict[str, int] = {}
        self.seconds: dict[str, float] = {}
        self.threaded = threaded
        self.error: BaseException | None = None
        if threaded:
            self.queue: queue.Queue = queue.Queue(maxsize=3)
            self.thread = threading.Thread(target=self._drain, daemon=True)
            self.thread.start()

    def add(self, table: str, line: str) -> None:
        buf = self.buffers.get(table)
        if buf is None:
            buf = self.buffers[table] = []
            self.sizes[table] = 0
        buf.append(line)
        self.sizes[table] += len(line) + 1
        if self.sizes[table] >= self.chunk_bytes:
            self.flush(table)

    def flush(self, table: str) -> None:
        buf = self.buffers.get(table)
        if not buf:
            return
        data = "\n".join(buf) + "\n"
        self.counts[table] = self.counts.get(table, 0) + len(buf)
        self.buffers[table] = []
        self.sizes[table] = 0
        if self.threaded:
            if self.error:
                raise self.error
            self.queue.put((table, data))
        else:
            self._copy(table, data)

    def _copy(self, table: str, data: str) -> None:
        started = time.perf_counter()
        cols = ", ".join(COLUMNS[table])
        with self.conn.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            copy.write(data)
        self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - started

    def _drain(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is None:
                try:
                    self._copy(*item)
                except BaseException as exc:  # noqa: BLE001 — reported by close()
                    self.error = exc

    def close(self) -> None:
        for table in list(self.buffers):
            self.flush(table)
        if self.threaded:
            self.queue.put(None)
            self.thread.join()
            if self.error:
                raise self.error


# --- the structure: unions, bodies, people, seats -----------------------------------------------


class UnionInfo:
    __slots__ = (
        "idx", "id", "kind", "parent", "name", "code", "members", "bodies", "chair", "drafters",
        "recorders", "office", "reps", "supervisors", "children", "pool", "obligation_count",
    )  # fmt: skip

    def __init__(self, idx, uid, kind, parent, name, code, members):
        self.idx = idx
        self.id = uid
        self.kind = kind
        self.parent = parent  # UnionInfo or None
        self.name = name
        self.code = code
        self.members = members
        self.bodies: dict[str, int] = {}
        self.chair: int | None = None  # the union committee chair (or the group leader)
        self.drafters: list[int] = []  # office staff (with the cadres) and finance officers
        self.recorders: dict[str, list[int]] = {}  # body kind -> seat-holding recorders
        self.office: list[int] = []  # office staff: record for every body of the union
        self.reps: list[int] = []  # congress representatives
        self.supervisors: list[int] = []
        self.children: list[UnionInfo] = []
        self.pool: list[tuple[int, int | None]] = []  # opinion recipients (person, on behalf of union)
        self.obligation_count = 0


class Structure:
    """Unions, bodies, people and seats, built in memory from the scale and seed."""

    def __init__(self, scale: Scale, seed: int, bases: dict[str, int]):
        self.scale = scale
        rng = random.Random(f"{seed}-structure")
        self.unions: list[UnionInfo] = []
        self.persons: list[tuple[int, str, int]] = []  # (id, full name, home union id)
        self.seats: list[tuple[int, int, int | None, str]] = []  # (person, union, body, role)
        self._next_union = bases["core_union"]
        self._next_body = bases["core_body"]
        self._next_person = bases["core_user"]
        self._rng = rng

        prov = self._union(UnionKind.PROVINCIAL, None, "省直机关工会", members=rng.randint(800, 2000))
        depts = [
            self._union(UnionKind.DEPARTMENT, prov, f"省直第{i + 1}部门机关工会", rng.randint(150, 900))
            for i in range(scale.departments)
        ]
        grassroots = []
        for i in range(scale.grassroots):
            parent = prov if i < scale.grassroots_under_provincial else depts[i % scale.departments]
            name = f"{parent.name}第{i + 1}基层工会"
            grassroots.append(self._union(UnionKind.GRASSROOTS, parent, name, rng.randint(8, 400)))
        for i in range(scale.groups):
            parent = grassroots[rng.randrange(len(grassroots))]
            self._union(UnionKind.GROUP, parent, f"{parent.name}第{i + 1}工会小组", rng.randint(3, 30))

        # People. Departments and the provincial union: seven officers, representatives, supervisors.
        for u in [prov, *depts]:
            self._staff_union(u, officers=7, reps=scale.department_reps, supervisors=5 if u is prov else 2)
        cadres = []
        for d in depts:
            own = [g for g in d.children if g.kind == UnionKind.GRASSROOTS]
            for _ in range(scale.cadres_per_department):
                person = self._person(d)
                cadres.append(person)
                for g in rng.sample(own, min(scale.cadre_unions, len(own))):
                    self._seat(person, g, None, Role.OFFICE_STAFF)
        groups = [u for u in self.unions if u.kind == UnionKind.GROUP]
        left = scale.users - len(self.persons) - len(groups) - 5 * len(grassroots)
        extra = [0] * len(grassroots)
        for _ in range(max(left, 0)):
            extra[rng.randrange(len(grassroots))] += 1
        for g, n in zip(grassroots, extra, strict=True):
            self._staff_union(g, officers=5, reps=n, supervisors=0)
        for grp in groups:
            leader = self._person(grp)
            self._seat(leader, grp, None, Role.CHAIR)
            grp.chair = leader
        # Opinion recipients: the chairs of subordinate unions and groups, and the representatives.
        for u in self.unions:
            if u.kind == UnionKind.GROUP:
                continue
            u.pool = [(c.chair, c.id) for c in u.children if c.chair is not None]
            u.pool += [(p, None) for p in u.reps]
        self.drafting = [u for u in self.unions if u.kind != UnionKind.GROUP]

    def _union(self, kind, parent, name, members) -> UnionInfo:
        uid = self._next_union = self._next_union + 1
        code = f"bench-{kind[0]}{uid}"
        u = UnionInfo(len(self.unions), uid, kind, parent, name, code, members)
        self.unions.append(u)
        if parent is not None:
            parent.children.append(u)
        if kind != UnionKind.GROUP:
            for body_kind in BODY_KINDS:
                self._next_body += 1
                u.bodies[body_kind] = self._next_body
        return u

    def _person(self, home: UnionInfo) -> int:
        pid = self._next_person = self._next_person + 1
        rng = self._rng
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
        self.persons.append((pid, name, home.id))
        return pid

    def _seat(self, person: int, u: UnionInfo, body_kind: str | None, role: str) -> None:
        body_id = u.bodies[body_kind] if body_kind else None
        self.seats.append((person, u.id, body_id, role))
        if body_kind and role in BODY_RECORDERS:
            u.recorders.setdefault(body_kind, []).append(person)
        if role == Role.OFFICE_STAFF:
            u.office.append(person)
            u.drafters.append(person)
        elif role == Role.FINANCE_OFFICER:
            u.drafters.append(person)
        elif role == Role.REPRESENTATIVE:
            u.reps.append(person)
        elif role == Role.SUPERVISOR:
            u.supervisors.append(person)
        elif role == Role.CHAIR and body_kind == BodyKind.UNION_COMMITTEE:
            u.chair = person

    def _staff_union(self, u: UnionInfo, *, officers: int, reps: int, supervisors: int) -> None:
        """Seats of a union with bodies. Small unions merge roles on fewer people."""
        uc, audit, women = BodyKind.UNION_COMMITTEE, BodyKind.AUDIT_COMMITTEE, BodyKind.WOMEN_COMMITTEE
        party, congress = BodyKind.PARTY_ORGANIZATION, BodyKind.CONGRESS
        p = [self._person(u) for _ in range(officers)]
        if officers >= 7:
            plan = [
                [(uc, Role.CHAIR), (congress, Role.CHAIR)],
                [(uc, Role.VICE_CHAIR), (congress, Role.REPRESENTATIVE)],
                [(audit, Role.DIRECTOR), (uc, Role.MEMBER)],
                [(women, Role.DIRECTOR), (audit, Role.MEMBER), (congress, Role.REPRESENTATIVE)],
                [(party, Role.SECRETARY)],
                [(None, Role.OFFICE_STAFF), (congress, Role.SECRETARY)],
                [(None, Role.FINANCE_OFFICER), (party, Role.MEMBER), (congress, Role.REPRESENTATIVE)],
            ]
        else:
            plan = [
                [(uc, Role.CHAIR), (congress, Role.CHAIR)],
                [(uc, Role.VICE_CHAIR), (audit, Role.DIRECTOR), (congress, Role.REPRESENTATIVE)],
                [(women, Role.DIRECTOR), (party, Role.MEMBER), (congress, Role.REPRESENTATIVE)],
                [(party, Role.SECRETARY), (uc, Role.MEMBER)],
                [(None, Role.OFFICE_STAFF), (None, Role.FINANCE_OFFICER)],
            ]
        for person, seats in zip(p, plan, strict=True):
            for body_kind, role in seats:
                self._seat(person, u, body_kind, role)
        for _ in range(reps):
            self._seat(self._person(u), u, congress, Role.REPRESENTATIVE)
        for _ in range(supervisors):
            self._seat(self._person(u), u, None, Role.SUPERVISOR)


# --- the plan of each union's budgets -----------------------------------------------------------


class Entry:
    """One budget and its process: what happened to it, decided up front so that counts are exact."""

    __slots__ = ("year", "fate", "stage", "recips", "answers", "returned_at", "drafter", "claimed", "steps")

    def __init__(self, year, fate, stage, recips, answers, returned_at, drafter, claimed):
        self.year = year
        self.fate = fate  # "done", "open", "withdrawn"
        self.stage = stage  # the open or withdrawn step
        self.recips = recips
        self.answers = answers  # per recipient: "opinion" / "no_opinion" / "no_reply" / "" (open)
        self.returned_at = returned_at  # the body step that returned it once, if any
        self.drafter = drafter
        self.claimed = claimed  # an open body item already claimed by a recorder
        self.steps = self._steps()

    def _steps(self) -> list[tuple[str, int, str]]:
        """(step, recipient index or -1, state) of each human task in order."""
        steps: list[tuple[str, int, str]] = []
        if self.fate == "withdrawn" and self.stage == "draft":
            return [("draft", -1, "canceled")]
        if self.fate == "open" and self.stage == "draft":
            return [("draft", -1, "open")]
        steps.append(("draft", -1, "done"))
        for i, answer in enumerate(self.answers):
            if answer:
                steps.append(("give_opinion", i, "done"))
            else:
                steps.append(("give_opinion", i, "canceled" if self.fate == "withdrawn" else "open"))
        if self.stage == "give_opinion":
            return steps
        if self.fate == "open" and self.stage == "consolidate":
            return [*steps, ("consolidate", -1, "open")]
        steps.append(("consolidate", -1, "done"))
        for body_step in BODY_STEPS:
            if self.returned_at == body_step:
                steps.append((body_step, -1, "returned"))
                if self.fate == "open" and self.stage == "revise":
                    return [*steps, ("revise", -1, "open")]
                steps.append(("revise", -1, "done"))
            if self.fate == "open" and self.stage == body_step:
                return [*steps, (body_step, -1, "open")]
            steps.append((body_step, -1, "done"))
        return steps

    @property
    def versions(self) -> int:
        return 2 if any(s[0] == "revise" and s[2] == "done" for s in self.steps) else 1


class Planner:
    def __init__(self, structure: Structure, seed: int):
        self.s = structure
        self.scale = structure.scale
        self.seed = seed
        years = self.scale.last_year - self.scale.first_year + 1
        live = len(structure.drafting) * years
        withdrawn = max(self.scale.processes - live, 0)
        # Withdrawn drafts spread over the drafting unions as evenly as possible.
        base, rest = divmod(withdrawn, len(structure.drafting))
        self.withdrawn = [base + (1 if i < rest else 0) for i in range(len(structure.drafting))]

    def plan(self, k: int) -> list[Entry]:
        """The budgets of the k-th drafting union, in creation order."""
        u = self.s.drafting[k]
        rng = random.Random(f"{self.seed}-plan-{u.id}")
        scale = self.scale
        entries = []
        years = list(range(scale.first_year, scale.last_year + 1))
        kinds = [(y, "live") for y in years]
        kinds += [(rng.choice(years), "withdrawn") for _ in range(self.withdrawn[k])]
        kinds.sort(key=lambda item: item[0])
        for year, what in kinds:
            entries.append(self._entry(u, year, what, rng))
        return entries

    def _entry(self, u: UnionInfo, year: int, what: str, rng: random.Random) -> Entry:
        scale = self.scale
        drafter = rng.choice(u.drafters)
        age = scale.last_year - year
        if what == "withdrawn":
            fate, stage = "withdrawn", ("draft" if rng.random() < 0.3 else "give_opinion")
        elif age == 0:
            fate = "done" if rng.random() < 0.05 else "open"
            stage = rng.choices(*CURRENT_STAGES)[0] if fate == "open" else ""
        elif rng.random() < scale.stuck_share:
            fate, stage = "open", rng.choices(*STUCK_STAGES)[0]
        else:
            fate, stage = "done", ""
        recips: list[tuple[int, int | None]] = []
        answers: list[str] = []
        if stage != "draft":
            pool = u.pool or [(u.chair, None)]
            limit = scale.max_recipients if u.kind != UnionKind.GRASSROOTS else len(pool)
            n = min(len(pool), max(1, limit if len(pool) <= limit else rng.randint(limit // 2, limit)))
            seen: set[int] = set()
            for person, on_behalf in rng.sample(pool, n):
                if person in seen or person == drafter:
                    continue
                seen.add(person)
                recips.append((person, on_behalf))
            if not recips:
                recips.append((u.chair if u.chair != drafter else u.drafters[-1], None))
            for _ in recips:
                r = rng.random()
                if stage == "give_opinion":  # still soliciting: nobody is "no reply" before the due date
                    answers.append("" if r < 0.6 else "opinion" if r < 0.85 else "no_opinion")
                else:
                    answers.append("opinion" if r < 0.55 else "no_opinion" if r < 0.9 else "no_reply")
            if stage == "give_opinion" and all(answers):  # the join has not fired yet
                answers[rng.randrange(len(answers))] = ""
        returned_at = None
        if stage == "revise":
            returned_at = rng.choice(BODY_STEPS)
        elif fate == "done" and rng.random() < 0.06:
            returned_at = rng.choice(BODY_STEPS)
        elif fate == "open" and stage in BODY_STEPS and rng.random() < 0.3:  # stuck after a return
            returned_at = rng.choice(BODY_STEPS[: BODY_STEPS.index(stage) + 1])
        claimed = fate == "open" and stage in BODY_STEPS and rng.random() < 0.15
        return Entry(year, fate, stage, recips, answers, returned_at, drafter, claimed)


def obligation_templates(union_kinds_members: Iterable[tuple[str, int, int | None]], years) -> dict:
    """(kind, member_count, parent id) → [(code, fiscal year, period, due date, missed_after_days)],
    from the obligation rules in the database with the nearest-rule-wins lookup of the app."""
    rules_by_scope = {(r.union_id, r.code): r for r in ObligationRule.objects.all()}
    templates: dict = {}
    for kind, members, parent_id in union_kinds_members:
        key = (kind, members, parent_id)
        if key in templates:
            continue
        union = SimpleNamespace(pk=-1, parent_id=parent_id, kind=kind, member_count=members)
        rows = []
        for code, rule in rules_for(union=union, rules_by_scope=rules_by_scope).items():
            if not (rule.active and rule.generated) or kind not in rule.kinds.split(","):
                continue
            if rule.min_members and members < rule.min_members:
                continue
            for year in years:
                for period, due in rule.due_dates(year):
                    rows.append((code, year, period, due, rule.missed_after_days))
        templates[key] = rows
    return templates


# --- the context: what the generator reads from the database first -----------------------------


@dataclass
class Context:
    scale: Scale
    seed: int
    now: int
    today: datetime.date
    bases: dict[str, int]
    perm_ids: dict[str, int]
    budget_ct: int
    flow_ref: str
    task_refs: dict[str, str]
    step_titles: dict[str, str]
    income_accounts: list[str]
    expense_accounts: list[str]
    password_hash: str
    work_rule: ReminderRule
    obligation_rule: ReminderRule
    calendar: WorkingCalendar
    templates: dict = field(default_factory=dict)
    drop_indexes: bool = True


def _max_ids(cursor) -> dict[str, int]:
    bases = {}
    for table in EXPLICIT_IDS:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        bases[table] = cursor.fetchone()[0]
    return bases


def read_context(scale: Scale, seed: int) -> Context:
    with translation.override("zh-hans"):
        titles = {name: str(spec.title) for name, spec in STEPS.items()}
    perms = dict(
        Permission.objects.filter(
            content_type__app_label="core", content_type__model__in=["union", "body"]
        ).values_list("codename", "id")
    )
    postable = Account.objects.filter(postable=True)
    income = list(postable.filter(kind=AccountKind.INCOME).values_list("code", flat=True).order_by("code"))
    expense = list(
        postable.filter(kind=AccountKind.EXPENDITURE).values_list("code", flat=True).order_by("code")
    )
    if not income or not expense:
        raise RuntimeError("the chart of accounts is missing: run the migrations first")
    book = RuleBook()
    fake_union = SimpleNamespace(pk=None, parent_id=None)
    with connection.cursor() as cursor:
        bases = _max_ids(cursor)
    now = int(timezone.now().timestamp())
    today = timezone.localdate()
    return Context(
        scale=scale,
        seed=seed,
        now=now,
        today=today,
        bases=bases,
        perm_ids=perms,
        budget_ct=ContentType.objects.get_for_model(Budget).pk,
        flow_ref=get_flow_ref(BudgetFlow),
        task_refs={name: get_task_ref(getattr(BudgetFlow, name)) for name in STEPS},
        step_titles=titles,
        income_accounts=income,
        expense_accounts=expense,
        password_hash=make_password(BENCH_PASSWORD),
        work_rule=book.for_union(fake_union, SubjectKind.WORK_ITEM),
        obligation_rule=book.for_union(fake_union, SubjectKind.OBLIGATION),
        calendar=WorkingCalendar(
            datetime.date(scale.first_year - 1, 1, 1), datetime.date(scale.last_year + 2, 12, 31)
        ),
    )


# --- phase 1: unions, bodies, people, seats, permissions ----------------------------------------


def write_structure(ctx: Context, s: Structure, w: CopyWriter, clock: Clock) -> None:
    created = clock.ts(ctx.now - 400 * DAY)
    defaults = {
        BodyKind.PARTY_ORGANIZATION: ("written", 1, 2, "t"),
        BodyKind.CONGRESS: ("meeting", 2, 3, "f"),
    }
    for u in s.unions:
        parent = u.parent.id if u.parent else N
        w.add(
            "core_union", f"{u.id}\t{u.name}\t{u.code}\t{u.kind}\t{parent}\t{u.members}\t{TZ}\tt\t{created}"
        )
        for body_kind, body_id in u.bodies.items():
            mode, qn, qd, strict = defaults.get(body_kind, ("meeting", 1, 2, "t"))
            w.add(
                "core_body",
                f"{body_id}\t{u.id}\t{body_kind}\t\tf\t{mode}\t{qn}\t{qd}\t{strict}\t1\t2\tt\tall\t{N}\t{N}",
            )
        w.add(
            "core_event",
            f'{created}\t{N}\tunion_created\tcore.union\t{u.id}\t{u.id}\t\t\t{{"kind": "{u.kind}"}}',
        )
    pw = ctx.password_hash
    for pid, name, home in s.persons:
        w.add(
            "core_user",
            f"{pid}\t{pw}\t{N}\tf\tb{pid}\t\t\tb{pid}@bench.invalid\tf\tt\t{created}\t{name}\t\t{home}",
        )
    term = datetime.date(ctx.today.year - 2, 1, 1).isoformat()
    by_person: dict[int, list[tuple[int, int | None, str]]] = {}
    for person, union_id, body_id, role in s.seats:
        w.add("core_seat", f"{person}\t{union_id}\t{_n(body_id)}\t{role}\t{term}\t{N}\t")
        by_person.setdefault(person, []).append((union_id, body_id, role))
    # Permissions exactly as core.services.permissions.desired_permissions derives them.
    body_kind_of = {body_id: kind for u in s.unions for kind, body_id in u.bodies.items()}
    bodies_of = {u.id: list(u.bodies.values()) for u in s.unions}
    record = ctx.perm_ids["record_decision"]
    for person, seats in by_person.items():
        union_pairs: set[tuple[str, int]] = set()
        body_ids: set[int] = set()
        for union_id, body_id, role in seats:
            seat = SimpleNamespace(
                body_id=body_id,
                body=SimpleNamespace(kind=body_kind_of[body_id]) if body_id else None,
                role=role,
                union_id=union_id,
            )
            union_pairs.update((code, union_id) for code in union_perms_for_seat(seat))
            if body_id and role in BODY_RECORDERS:
                body_ids.add(body_id)
            if role == Role.OFFICE_STAFF:
                body_ids.update(bodies_of[union_id])
        for code, union_id in sorted(union_pairs):
            w.add("core_unionuserobjectpermission", f"{person}\t{ctx.perm_ids[code]}\t{union_id}")
        for body_id in sorted(body_ids):
            w.add("core_bodyuserobjectpermission", f"{person}\t{record}\t{body_id}")


# --- phase 2: budgets, processes, tasks, work items, … of a range of drafting unions -------------


@dataclass
class Counts:
    processes: int = 0
    versions: int = 0
    tasks: int = 0
    obligations: int = 0

    def add(self, other: Counts) -> None:
        self.processes += other.processes
        self.versions += other.versions
        self.tasks += other.tasks
        self.obligations += other.obligations


def union_counts(planner: Planner, ctx: Context, k: int) -> Counts:
    entries = planner.plan(k)
    u = planner.s.drafting[k]
    return Counts(
        processes=len(entries),
        versions=sum(e.versions for e in entries),
        tasks=sum(len(e.steps) for e in entries),
        obligations=len(ctx.templates.get((u.kind, u.members, u.parent.id if u.parent else None), [])),
    )


class Occasions:
    """The next reminder occasion after now, memoised per due date (the reminders service's rule)."""

    def __init__(self, ctx: Context, rule: ReminderRule):
        import zoneinfo

        self.rule = rule
        self.ctx = ctx
        self.tz = zoneinfo.ZoneInfo(TZ)
        self.memo: dict[datetime.date, tuple | None] = {}

    def next(self, due_on: datetime.date) -> tuple | None:
        if due_on in self.memo:
            return self.memo[due_on]
        found = None
        for o in occasions(due_on=due_on, rule=self.rule, tz=self.tz, calendar=self.ctx.calendar):
            at = int(o.fire_at.timestamp())
            if at > self.ctx.now:
                found = (o.kind, o.offset_days, at)
                break
        self.memo[due_on] = found
        return found


class Emitter:
    """Writes the rows of one drafting union's budgets (and its obligations)."""

    def __init__(self, ctx: Context, s: Structure, w: CopyWriter, clock: Clock, start: dict[str, int]):
        self.ctx = ctx
        self.s = s
        self.w = w
        self.c = clock
        self.next = dict(start)  # next explicit id per table
        self.work_occ = Occasions(ctx, ctx.work_rule)
        self.obl_occ = Occasions(ctx, ctx.obligation_rule)

    def _id(self, table: str) -> int:
        value = self.next[table]
        self.next[table] = value + 1
        return value

    def union(self, planner: Planner, k: int) -> None:
        u = self.s.drafting[k]
        rng = random.Random(f"{self.ctx.seed}-rows-{u.id}")
        in_force: dict[int, tuple[int, int]] = {}
        for entry in planner.plan(k):
            self.budget(u, entry, rng, in_force)
        self.obligations(u, rng, in_force)

    def _times(self, e: Entry, rng: random.Random) -> tuple[int, list[tuple[int, int | None]], int | None]:
        """Process start, (created, finished) of each step, and the opinion due time.

        Drafted in the autumn before the fiscal year. The 2027 cycle's open step began in the last
        weeks (an open solicitation is still ahead of its due date: the beat closes overdue ones); a
        stuck budget's open step began some time in the last year.
        """
        now = self.ctx.now
        current = e.year == self.ctx.scale.last_year
        start = epoch(datetime.date(e.year - 1, 9, 1)) + rng.randrange(100 * DAY)
        if current:
            start = min(start, now - 60 * DAY)
        open_from = None
        if e.fate == "open":
            back = rng.randrange(DAY, 20 * DAY) if current else rng.randrange(DAY, 30 * DAY)
            open_from = now - back
            if e.stage == "draft":
                start = min(open_from, now - 3600)
        t = start
        times: list[tuple[int, int | None]] = []
        opinion_created = opinion_due = None
        last_opinion_end = None
        for step, ri, state in e.steps:
            spec = STEPS[step]
            if step == "give_opinion":
                if opinion_created is None:
                    opinion_created = t + rng.randrange(60, 600)
                    opinion_due = opinion_created + 7 * DAY
                    if e.fate == "open" and e.stage == "give_opinion":
                        opinion_created = max(opinion_created, now - rng.randrange(DAY, 6 * DAY))
                        opinion_due = opinion_created + 7 * DAY
                    last_opinion_end = opinion_created
                created = opinion_created
            else:
                if last_opinion_end is not None:
                    t = last_opinion_end + 600
                    last_opinion_end = None
                created = max(t, open_from) if state == "open" and open_from is not None else t
            created = min(created, now - 600)
            answer = e.answers[ri] if ri >= 0 else ""
            if state in ("done", "returned"):
                if answer == "no_reply":
                    fin = opinion_due + rng.randrange(60, 600)
                else:
                    limit = opinion_due - created if step == "give_opinion" else min(spec.days, 5) * DAY
                    fin = created + rng.randrange(1800, max(limit, 3600))
                fin = min(fin, now - 60)
            elif state == "canceled":
                fin = min(created + rng.randrange(3600, 3 * DAY), now - 60)
            else:
                fin = None
            times.append((created, fin))
            if step == "give_opinion":
                if fin is not None:
                    last_opinion_end = max(last_opinion_end, fin)
            elif fin is not None:
                t = fin + rng.randrange(600, DAY)
        return start, times, opinion_due

    def budget(self, u: UnionInfo, e: Entry, rng: random.Random, in_force: dict) -> None:
        ctx, c, w = self.ctx, self.c, self.w
        pid = self._id("viewflow_process")
        bid = self._id("budget_budget")
        title = f"{u.name}{e.year}年经费预算（草案）"
        start, times, opinion_due = self._times(e, rng)
        split_token = None
        submitted_at = revised_at = finished = None
        decided = False
        for (step, ri, state), (created, fin) in zip(e.steps, times, strict=True):
            tid = self._id("viewflow_task")
            iid = self._id("workflows_workitem")
            spec = STEPS[step]
            done = state in ("done", "returned")
            answer = e.answers[ri] if ri >= 0 else ""
            on_behalf = body_id = None
            if step in BODY_STEPS:
                body_id = u.bodies[STEP_BODY[step]]
                own = u.recorders.get(STEP_BODY[step], [])
                person = None
                actor = rng.choice(own) if own and rng.random() < 0.8 else rng.choice(u.office)
            elif step == "give_opinion":
                person, on_behalf = e.recips[ri]
                actor = person
                if split_token is None:
                    split_token = tid - 1  # the (not generated) split task precedes the first opinion
            else:
                person = actor = e.drafter
            due = opinion_due if step == "give_opinion" else created + spec.days * DAY
            # viewflow's task, as the flow leaves it
            if done:
                status, owner, started = "DONE", actor, fin - rng.randrange(60, 1800)
            elif state == "canceled":
                status, owner, started = "CANCELED", person, None
            else:
                claimed = body_id is not None and e.claimed
                owner = person if person is not None else (actor if claimed else None)
                status, started = ("ASSIGNED" if owner is not None else "NEW"), None
            if step == "give_opinion":
                token = f"start/{split_token}_{ri + 1}"
                data = (
                    f'{{"round": 1, "due_at": "{c.iso(opinion_due)}", "recipient_id": {person}, '
                    f'"on_behalf_of_id": {"null" if on_behalf is None else on_behalf}}}'
                )
            else:
                token, data = "start", "{}"
            w.add(
                "viewflow_task",
                f"{tid}\t{ctx.task_refs[step]}\tHUMAN\t{status}\t{c.ts(created)}\t{c.ts(started)}\t"
                f"{c.ts(fin)}\t{token}\t{_n(owner)}\t{pid}\t{data}",
            )
            # its work item, as work_item_create and work_item_complete leave it
            kind = "body" if body_id is not None else "person"
            claimed_at = None
            if done:
                item_state = "done"
                if step == "give_opinion":
                    outcome = answer
                elif step in BODY_STEPS:
                    outcome = "return" if state == "returned" else "approve"
                else:
                    outcome = "submitted"
                finished_by = None if answer == "no_reply" else actor
                assignee = actor if kind == "body" else person
                if kind == "body":
                    claimed_at = fin
            elif state == "canceled":
                item_state, outcome, finished_by, assignee = "canceled", "", None, person
            else:
                item_state, outcome, finished_by, assignee = "open", "", None, owner
                if kind == "body" and owner is not None:
                    claimed_at = min(created + rng.randrange(3600, DAY), ctx.now - 60)
            w.add(
                "workflows_workitem",
                f"{iid}\t{tid}\t{pid}\t{u.id}\tbudget\t{bid}\t{title}\t{step}\t{ctx.step_titles[step]}\t"
                f"{kind}\t{_n(body_id)}\t{_n(assignee)}\t{c.ts(claimed_at)}\t\t{c.ts(due)}\t{item_state}\t"
                f"{c.ts(created)}\t{c.ts(fin)}\t{_n(finished_by)}\t{outcome}",
            )
            if step == "give_opinion":
                answered = fin if answer in ("opinion", "no_opinion") else None
                text = rng.choice(OPINION_TEXTS) if answer == "opinion" else ""
                w.add(
                    "workflows_opinionrequest",
                    f"{pid}\t1\t{person}\t{_n(on_behalf)}\t{c.ts(opinion_due)}\t{answer or 'pending'}\t"
                    f"{text}\t{c.ts(answered)}\t{iid}",
                )
            if item_state == "open":
                due_on = c.local_date(due)
                occasion = self.work_occ.next(due_on)
                if occasion is not None:
                    okind, offset, fire = occasion
                    w.add(
                        "notifications_reminder",
                        f"work_item\t{iid}\t{u.id}\t{okind}\t{offset}\t{due_on.isoformat()}\t"
                        f"{c.ts(fire)}\tpending\t{N}\t0",
                    )
            if step == "draft" and done:
                submitted_at = fin
            if step == "revise" and done:
                revised_at = fin
            if step in BODY_STEPS and done:
                decided = True
            if fin is not None:
                finished = fin if finished is None else max(finished, fin)
        # the process, the budget, its versions and lines
        if e.fate == "done":
            since = finished + 5
            status, p_status, p_finished = "in_force", "DONE", since
        elif e.fate == "withdrawn":
            since = None
            status, p_status, p_finished = "withdrawn", "CANCELED", finished
        else:
            since = p_finished = None
            status, p_status = STEPS[e.stage].status, "NEW"
        if submitted_at is not None:
            recips = ", ".join(
                f'{{"round": 1, "due_at": "{c.iso(opinion_due)}", "recipient_id": {p}, '
                f'"on_behalf_of_id": {"null" if b is None else b}}}'
                for p, b in e.recips
            )
            data = f'{{"opinion_round": 1, "opinion_recipients": [{recips}]}}'
        else:
            data = "{}"
        w.add(
            "viewflow_process",
            f"{pid}\t{ctx.flow_ref}\t{p_status}\t{c.ts(start)}\t{c.ts(p_finished)}\t{ctx.budget_ct}\t{bid}\t{data}",
        )
        carry = rng.randrange(0, 50_000)
        versions = [(start, submitted_at)]
        if e.versions == 2:
            versions.append((revised_at - 3600, revised_at))
        version_id = None
        for number, (v_created, v_submitted) in enumerate(versions, start=1):
            version_id = self._id("budget_budgetversion")
            w.add(
                "budget_budgetversion",
                f"{version_id}\t{bid}\t{number}\t{carry}.00\tt\t\t{e.drafter}\t{c.ts(v_created)}\t"
                f"{c.ts(v_submitted)}",
            )
            income = rng.sample(ctx.income_accounts, min(2, len(ctx.income_accounts)))
            spend = rng.sample(ctx.expense_accounts, min(3, len(ctx.expense_accounts)))
            total = rng.randrange(50_000, 3_000_000)
            for account in income:  # balanced: expenditure never exceeds income (S3.2)
                w.add("budget_budgetline", f"{version_id}\t{account}\t{total // len(income)}.00\t")
            for account in spend:
                w.add("budget_budgetline", f"{version_id}\t{account}\t{total // (len(spend) + 1)}.00\t")
        w.add(
            "budget_budget",
            f"{bid}\t{u.id}\t{e.year}\t{title}\t{status}\t{e.drafter}\t{pid}\t{version_id}\t"
            f"{e.returned_at or ''}\t{'t' if decided else 'f'}\t{c.ts(start)}\t{c.ts(since)}",
        )
        # events: created, submitted, and how it ended
        w.add(
            "core_event",
            f"{c.ts(start)}\t{e.drafter}\tbudget_created\tbudget.budget\t{bid}\t{u.id}\t\tdraft\t"
            f'{{"year": {e.year}, "estimate": true, "carryover": "{carry}"}}',
        )
        if submitted_at is not None:
            w.add(
                "core_event",
                f"{c.ts(submitted_at)}\t{e.drafter}\tsubmitted\tbudget.budget\t{bid}\t{u.id}\tdraft\t\t"
                f'{{"step": "draft", "version": 1, "recipients": {len(e.recips)}}}',
            )
        if e.fate == "done":
            w.add(
                "core_event",
                f"{c.ts(since)}\t{N}\tin_force\tbudget.budget\t{bid}\t{u.id}\tcongress_ratification\t"
                f'in_force\t{{"version": {len(versions)}}}',
            )
            in_force[e.year] = (bid, since)
        elif e.fate == "withdrawn":
            left = "draft" if e.stage == "draft" else "soliciting"
            w.add(
                "core_event",
                f"{c.ts(p_finished)}\t{e.drafter}\twithdrawn\tbudget.budget\t{bid}\t{u.id}\t{left}\t"
                f'withdrawn\t{{"reason": ""}}',
            )
        if rng.random() < 0.02 and u.chair is not None and u.chair != e.drafter:
            w.add(
                "workflows_copyto",
                f"{pid}\tbudget\t{bid}\t{title}\t{u.id}\t{u.chair}\t{e.drafter}\t{c.ts(start + 3600)}",
            )

    def obligations(self, u: UnionInfo, rng: random.Random, in_force: dict) -> None:
        ctx, c, w = self.ctx, self.c, self.w
        today = ctx.today
        rows = ctx.templates.get((u.kind, u.members, u.parent.id if u.parent else None), [])
        for code, year, period, due, missed_after in rows:
            oid = self._id("core_obligation")
            met_on, met_by = None, ""
            if code == "S3.3":
                if year in in_force:
                    budget_id, since = in_force[year]
                    met_on, met_by = c.local_date(since), f"budget:{budget_id}"
            elif due < today and rng.random() < 0.85:
                met_on, met_by = due - datetime.timedelta(days=rng.randrange(0, 40)), "历史数据导入"
            if met_on is not None:
                status = ObligationStatus.MET
            elif today > due + datetime.timedelta(days=missed_after):
                status = ObligationStatus.MISSED
            elif today > due:
                status = ObligationStatus.LATE
            else:
                status = ObligationStatus.PENDING
            w.add(
                "core_obligation",
                f"{oid}\t{u.id}\t{code}\t{year}\t{period}\t{due.isoformat()}\t{missed_after}\t{status}\t"
                f"{_n(met_on)}\t{met_by}",
            )
            if met_on is None:
                occasion = self.obl_occ.next(due)
                if occasion is not None:
                    okind, offset, fire = occasion
                    w.add(
                        "notifications_reminder",
                        f"obligation\t{oid}\t{u.id}\t{okind}\t{offset}\t{due.isoformat()}\t{c.ts(fire)}\t"
                        f"pending\t{N}\t0",
                    )


# --- phase 3: notifications ---------------------------------------------------------------------


def write_notifications(ctx: Context, s: Structure, w: CopyWriter, clock: Clock) -> None:
    rng = random.Random(f"{ctx.seed}-notifications")
    for pid, _name, home in s.persons:
        created = ctx.now - rng.randrange(DAY, 60 * DAY)
        read = clock.ts(created + 3600) if rng.random() < 0.7 else N
        w.add(
            "notifications_notification",
            f"{pid}\t{home}\t预算草案征求意见提醒\t\t/\t{N}\t{clock.ts(created)}\t{read}",
        )


# --- indexes and constraints around the load ----------------------------------------------------


@dataclass
class Deferred:
    indexes: list[tuple[str, str, str]]  # (table, name, definition)
    constraints: list[tuple[str, str, str, str]]  # (table, name, contype, definition)


def drop_indexes(cursor, tables: list[str]) -> Deferred:
    """Drop the non-unique indexes, unique constraints/indexes and foreign keys of the tables."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, c.conname, c.contype, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
        ORDER BY c.contype DESC, c.conname
        """,
        [tables],
    )
    constraints = list(cursor.fetchall())
    cursor.execute(
        """
        SELECT t.relname, i.relname, pg_get_indexdef(x.indexrelid)
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        WHERE x.indrelid = ANY(%s::regclass[]) AND NOT x.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
        ORDER BY t.relname, i.relname
        """,
        [tables],
    )
    indexes = list(cursor.fetchall())
    for table, name, _type, _definition in constraints:  # foreign keys first (ORDER BY contype DESC)
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for _table, name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return Deferred(indexes=indexes, constraints=constraints)


def rebuild_jobs(deferred: Deferred) -> list[list[str]]:
    """Per table: its indexes, then its unique constraints; foreign keys in a second round."""
    by_table: dict[str, list[str]] = {}
    for table, _name, definition in deferred.indexes:
        by_table.setdefault(table, []).append(definition)
    for table, name, contype, definition in deferred.constraints:
        if contype == "u":
            by_table.setdefault(table, []).append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    fks: dict[str, list[str]] = {}
    for table, name, contype, definition in deferred.constraints:
        if contype == "f":
            fks.setdefault(table, []).append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return [*by_table.values(), *fks.values()]


# --- the whole run ------------------------------------------------------------------------------


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # COPY time per table
    timings: list[tuple[str, float]] = field(default_factory=list)

    def merge(self, counts: dict[str, int], seconds: dict[str, float]) -> None:
        for table, n in counts.items():
            self.counts[table] = self.counts.get(table, 0) + n
        for table, n in seconds.items():
            self.seconds[table] = self.seconds.get(table, 0.0) + n


def shard_ranges(planner: Planner, ctx: Context, shards: int) -> tuple[list[tuple[int, int]], list[dict]]:
    """Split the drafting unions into contiguous ranges of about equal task counts, with id starts."""
    per_union = [union_counts(planner, ctx, k) for k in range(len(planner.s.drafting))]
    total_tasks = sum(c.tasks for c in per_union)
    ranges, starts = [], []
    nxt = {
        "viewflow_process": ctx.bases["viewflow_process"] + 1,
        "budget_budget": ctx.bases["budget_budget"] + 1,
        "budget_budgetversion": ctx.bases["budget_budgetversion"] + 1,
        "viewflow_task": ctx.bases["viewflow_task"] + 1,
        "workflows_workitem": ctx.bases["workflows_workitem"] + 1,
        "core_obligation": ctx.bases["core_obligation"] + 1,
    }
    begin, acc = 0, Counts()
    target = math.ceil(total_tasks / shards)
    for k, cnt in enumerate(per_union):
        acc.add(cnt)
        last = k == len(per_union) - 1
        if acc.tasks >= target * (len(ranges) + 1) or last:
            ranges.append((begin, k + 1))
            starts.append(dict(nxt))
            for kk in range(begin, k + 1):
                c = per_union[kk]
                nxt["viewflow_process"] += c.processes
                nxt["budget_budget"] += c.processes
                nxt["budget_budgetversion"] += c.versions
                nxt["viewflow_task"] += c.tasks
                nxt["workflows_workitem"] += c.tasks
                nxt["core_obligation"] += c.obligations
            begin = k + 1
    return ranges, starts


def emit_range(ctx, structure, planner, writer, clock, start, begin, end, progress=None) -> None:
    emitter = Emitter(ctx, structure, writer, clock, start)
    for k in range(begin, end):
        emitter.union(planner, k)
        if progress and (k - begin) % 500 == 499:
            progress(k - begin + 1, end - begin)


INBOX_TRIGGERS = [
    ("workflows_workitem", "workflows_inbox_touch_ins"),
    ("workflows_workitem", "workflows_inbox_touch_upd"),
    ("workflows_workitem", "workflows_inbox_touch_del"),
    ("core_bodyuserobjectpermission", "workflows_inbox_perms_ins"),
    ("core_bodyuserobjectpermission", "workflows_inbox_perms_upd"),
    ("core_bodyuserobjectpermission", "workflows_inbox_perms_del"),
]


def generate(
    *,
    scale: Scale,
    seed: int = 10,
    conn=None,
    threaded: bool = False,
    shards: int | None = None,
    connect: Callable | None = None,
    log: Callable[[str], None] = lambda _msg: None,
) -> Report:
    """Build the dataset on the database of Django's default connection.

    ``conn`` (default: Django's own psycopg connection, i.e. the caller's transaction) receives the
    structure and, with one shard, everything else. With ``shards`` > 1, ``connect()`` must return new
    psycopg connections: each shard is a forked process loading its unions in its own transaction,
    and the index rebuild runs on two connections. The caller commits.
    """
    report = Report()
    clock = Clock()
    phase_started = time.perf_counter()

    def timed(name: str):
        nonlocal phase_started
        now = time.perf_counter()
        report.timings.append((name, now - phase_started))
        log(f"  {name}: {now - phase_started:.1f} s")
        phase_started = now

    connection.ensure_connection()
    own = conn or connection.connection
    shards = shards or 1
    ctx = read_context(scale, seed)
    structure = Structure(scale, seed, ctx.bases)
    ctx.templates = obligation_templates(
        [
            (u.kind, u.members, u.parent.id if u.parent else None)
            for u in structure.drafting
            if u.kind in (UnionKind.DEPARTMENT, UnionKind.GRASSROOTS)
        ],
        scale.obligation_years,
    )
    planner = Planner(structure, seed)
    ranges, starts = shard_ranges(planner, ctx, shards)
    timed("planned")

    tables = list(COLUMNS)
    with own.cursor() as cur:
        cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        deferred = drop_indexes(cur, tables)
        # The inbox change log (workflows/0010) tells cached to-do pages what changed since; nothing
        # is cached while the dataset is loaded, so its triggers would only write millions of rows.
        for table, trigger in INBOX_TRIGGERS:
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
    timed(f"dropped {len(deferred.indexes)} indexes and {len(deferred.constraints)} constraints")

    writer = CopyWriter(own, threaded=False)
    write_structure(ctx, structure, writer, clock)
    write_notifications(ctx, structure, writer, clock)
    writer.close()
    report.merge(writer.counts, writer.seconds)
    timed("unions, bodies, people, seats, permissions, notifications")

    if shards == 1:
        w = CopyWriter(own, threaded=False)
        emit_range(ctx, structure, planner, w, clock, starts[0], *ranges[0])
        w.close()
        report.merge(w.counts, w.seconds)
    else:
        own.commit()  # the shards write into the same tables: release the locks of the index drops
        report.merge(*_run_shards(ctx, structure, planner, ranges, starts, connect, log))
    timed("budgets, processes, tasks, work items, opinions, events, obligations, reminders")

    jobs = rebuild_jobs(deferred)
    _rebuild(own, jobs, connect if shards > 1 else None)
    with own.cursor() as cur:
        for table, trigger in INBOX_TRIGGERS:
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
    timed("indexes and constraints rebuilt (foreign keys validated)")

    with own.cursor() as cur:
        for table in EXPLICIT_IDS:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
            )
        cur.execute("ANALYZE " + ", ".join(tables))
    timed("sequences set, tables analysed")
    return report


def _run_shards(ctx, structure, planner, ranges, starts, connect, log) -> tuple[dict, dict]:
    """Fork one loader per shard; each commits its own rows. Returns row counts and COPY seconds."""
    import multiprocessing as mp

    from django.db import connections

    connections.close_all()  # a forked child must never use the parent's connection
    fork = mp.get_context("fork")
    results = fork.Queue()

    def child(index: int) -> None:
        conn = connect()
        try:
            with conn.cursor() as cur:
                cur.execute("SET synchronous_commit = off")
            writer = CopyWriter(conn, threaded=True)

            def progress(done, total):
                log(f"    shard {index + 1}: {done}/{total} unions")

            begin, end = ranges[index]
            emit_range(ctx, structure, planner, writer, Clock(), starts[index], begin, end, progress=progress)
            writer.close()
            conn.commit()
            results.put((index, writer.counts, writer.seconds, None))
        except BaseException as exc:  # noqa: BLE001 — re-raised in the parent
            results.put((index, {}, {}, repr(exc)))
        finally:
            conn.close()

    procs = [fork.Process(target=child, args=(i,)) for i in range(len(ranges))]
    for p in procs:
        p.start()
    totals = Report()
    errors = []
    for _ in procs:
        _index, counts, seconds, error = results.get()
        if error:
            errors.append(error)
        totals.merge(counts, seconds)
    for p in procs:
        p.join()
    if errors:
        raise RuntimeError("a loader shard failed: " + "; ".join(errors))
    return totals.counts, totals.seconds


def _rebuild(own, jobs: list[list[str]], connect) -> None:
    """Run the rebuild jobs: inline on ``own``, or on two autocommit connections in parallel."""
    if connect is None:
        with own.cursor() as cur:
            for job in jobs:
                for statement in job:
                    cur.execute(statement)
        return
    own.commit()
    work: queue.Queue = queue.Queue()
    # the biggest tables first; foreign keys only once every index exists
    index_jobs = [j for j in jobs if not j[0].startswith("ALTER TABLE") or "FOREIGN KEY" not in j[0]]
    fk_jobs = [j for j in jobs if j not in index_jobs]
    errors: list[BaseException] = []

    def worker(job_queue: queue.Queue) -> None:
        conn = None
        try:
            conn = connect()
            conn.commit()
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SET maintenance_work_mem = '1GB'")
                cur.execute("SET max_parallel_maintenance_workers = 0")
                while True:
                    try:
                        job = job_queue.get_nowait()
                    except queue.Empty:
                        return
                    for statement in job:
                        for attempt in range(5):
                            try:
                                cur.execute(statement)
                                break
                            except Exception as exc:  # deadlock between two FK validations: retry
                                if "deadlock" not in str(exc) or attempt == 4:
                                    raise
        except BaseException as exc:  # noqa: BLE001 — raised below, in the caller's thread
            errors.append(exc)
        finally:
            if conn is not None:
                conn.close()

    for batch in (index_jobs, fk_jobs):
        work = queue.Queue()
        for job in sorted(batch, key=_job_weight, reverse=True):
            work.put(job)
        threads = [threading.Thread(target=worker, args=(work,)) for _ in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        if errors:
            raise errors[0]


_WEIGHTS = {"viewflow_task": 10, "workflows_workitem": 10, "budget_budgetline": 6, "core_event": 5}


def _job_weight(job: list[str]) -> int:
    text = job[0]
    return next((w for table, w in _WEIGHTS.items() if f" {table} " in text or f" {table}(" in text), 1)


def summary(cursor) -> dict[str, int]:
    """Row counts of the app's tables, for the final print (exact counts)."""
    rows = {}
    for table in [*COLUMNS, "notifications_reminder"]:
        if table in rows:
            continue
        cursor.execute(f"SELECT count(*) FROM {table}")
        rows[table] = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM workflows_workitem WHERE state = 'open'")
    rows["workflows_workitem (open)"] = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM workflows_workitem WHERE state = 'open' AND due_at < now()")
    rows["workflows_workitem (open, overdue)"] = cursor.fetchone()[0]
    return rows
