#!/usr/bin/env python
"""`make chaos`: faults under load against real processes on this machine (issue 10, "Faults").

Starts gunicorn (the app on PostgreSQL database ``wuyi_chaos``, DEBUG off, 127.0.0.1 only), two Celery
workers and one beat on Redis, and an SMTP server (aiosmtpd) that receives the e-mail deliveries. A
load driver (threads, stdlib ``http.client``, real HTTP to gunicorn) makes approval requests: opinions,
consolidations and revisions, fund audit committee and congress meetings, the Party organisation's
written decisions, urges (催办), and inbox pages. Before every fault the harness makes a batch of
reminders due and waits until a sweep holds claimed rows (``FOR UPDATE SKIP LOCKED`` on
``notifications_reminder``, seen in ``pg_locks``) while approval POSTs are in flight, then injects:

- ``kill -9`` of the worker that holds the sweep's claim, then a new worker in its place;
- Redis restarted: ``redis-cli shutdown nosave`` and the project's ``redis-server`` command;
- PostgreSQL restarted: ``pg_ctlcluster --skip-systemctl-redirect <version> main restart``;

each ``CHAOS_ROUNDS`` times (default 5), interleaved. Then it lets the beat sweeps catch up and checks:
one notification per recipient, subject, rule and occurrence; every delivery made within two sweep
intervals of the recovery from the last fault that could have held it up; every open work item in
its approvers' inboxes (``todo_queryset``); no task in error and no process stuck without an open
task; no event lost (each successful approval response has its event row, nothing unexplained);
the 500 responses during faults, by path and exception (gunicorn's error log), and none outside.

Prints the table, writes bench/results/chaos-latest.json and chaos-latest.txt, exits 1 when an
invariant fails. Bounded (``CHAOS_TIME_LIMIT``, default 600 s from the start of the load; the setup
before it takes half a minute, several the first time: migrations into a template database and
collectstatic), stops by itself and stops every process it started, also on Ctrl-C or failure (Redis
and PostgreSQL are left running). Runs as root, like ``scripts/ensure-services.sh`` (pg_ctlcluster,
redis-server). Restarting PostgreSQL and Redis interrupts other users of this machine for a second
or two.

Environment: CHAOS_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/wuyi_chaos, recreated on
each run), CHAOS_BROKER_URL (redis://127.0.0.1:6379/7), CHAOS_ROUNDS (5), CHAOS_TIME_LIMIT (600),
CHAOS_UNIONS (16 grassroots unions), CHAOS_YEARS (4 budgets each), CHAOS_REMINDERS (reminders made
due before each fault, default 600), CHAOS_THREADS (4 load threads), CHAOS_PORT (free port).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
VAR = ROOT / "var" / "chaos"
VENV_BIN = Path(sys.executable).parent


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


DATABASE_URL = os.environ.get("CHAOS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wuyi_chaos")
BROKER_URL = os.environ.get("CHAOS_BROKER_URL", "redis://127.0.0.1:6379/7")
ROUNDS = env_int("CHAOS_ROUNDS", 5)
TIME_LIMIT = env_int("CHAOS_TIME_LIMIT", 600)
UNIONS = env_int("CHAOS_UNIONS", 16)
YEARS = env_int("CHAOS_YEARS", 4)
REMINDERS = env_int("CHAOS_REMINDERS", 600)
THREADS = env_int("CHAOS_THREADS", 4)
SWEEP_INTERVAL = 60  # beat runs send_due_reminders and redeliver every minute (CELERY_BEAT_SCHEDULE)
GRACE = 5.0  # seconds after a recovery during which a 500 still counts as "during the fault"
REDIS_START = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379",
    "--save", "", "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]  # fmt: skip
STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f}s] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, seconds: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except Exception:  # noqa: BLE001, S110 — a probe failing means "not yet"
            pass
        time.sleep(interval)
    return False


def with_app_name(url: str, name: str) -> str:
    """The database URL with an application_name, so that pg_stat_activity tells processes apart."""
    return f"{url}{'&' if '?' in url else '?'}application_name={name}"


# --- Redis and PostgreSQL ---------------------------------------------------------------------------


def redis_ping() -> bool:
    import redis

    try:
        return bool(
            redis.Redis(host="127.0.0.1", port=6379, socket_timeout=1, socket_connect_timeout=1).ping()
        )
    except redis.RedisError:
        return False


def redis_start() -> None:
    subprocess.run(REDIS_START, check=True, timeout=30, capture_output=True)
    if not wait_until(redis_ping, 30, 0.05):
        raise RuntimeError("redis-server did not answer PING within 30 s")


def redis_restart() -> None:
    subprocess.run(
        ["redis-cli", "-p", "6379", "shutdown", "nosave"], timeout=30, check=False, capture_output=True
    )
    if not wait_until(lambda: not redis_ping(), 15, 0.05):
        raise RuntimeError("redis-server did not stop")
    redis_start()


def pg_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]


def pg_ready() -> bool:
    import psycopg

    try:
        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=2
        ) as c:
            c.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def pg_restart() -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "restart"],
        check=True,
        timeout=120,
        capture_output=True,
    )
    if not wait_until(pg_ready, 60, 0.05):
        raise RuntimeError("PostgreSQL did not accept connections within 60 s of the restart")


def pg_ensure_running() -> None:
    if not pg_ready():
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", pg_version(), "main", "start"],
            check=False,
            timeout=120,
            capture_output=True,
        )
        wait_until(pg_ready, 60, 0.1)


# --- the processes this run starts (and only those are stopped) -----------------------------------


class Processes:
    def __init__(self, env: dict[str, str]):
        self.env = env
        self.running: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.incarnation: Counter = Counter()

    def start(self, name: str, argv: list[str], extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        self.incarnation[name] += 1
        path = VAR / f"{name}-{self.incarnation[name]}.log"
        self.logs[name] = path
        out = open(path, "wb")  # noqa: SIM115 — the child keeps it; closed here after the fork
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped (or killed) by id, and only it
        )
        out.close()
        self.running[name] = process
        return process

    def log_text(self, name: str) -> str:
        path = self.logs.get(name)
        return path.read_text(errors="replace") if path and path.exists() else ""

    def kill9(self, name: str) -> None:
        process = self.running.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop_all(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 15
        for process in self.running.values():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(5)
        self.running.clear()

    def start_worker(self, name: str) -> None:
        self.start(
            name,
            [
                str(VENV_BIN / "celery"), "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
                f"--hostname={name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            {"DATABASE_URL": with_app_name(DATABASE_URL, name)},
        )  # fmt: skip

    def worker_ready(self, name: str) -> bool:
        return " ready." in self.log_text(name)


# --- database, static files, the world ---------------------------------------------------------------


def fingerprint(paths) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def recreate_database(env: dict[str, str]) -> None:
    """A fresh database for every run, cloned from a migrated template (migrating takes minutes on a
    busy 2-core machine); the template is migrated again when a migration or the lock file changes."""
    import psycopg

    name = urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/")
    template = f"{name}_template"
    assert re.fullmatch(r"[a-z0-9_]+", name), name
    migrations = [
        p
        for p in ROOT.glob("*/**/migrations/*.py")
        if not p.relative_to(ROOT).parts[0].startswith((".", "var"))
    ]
    wanted = fingerprint([*migrations, ROOT / "requirements" / "dev-lock.txt"])
    admin = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as c:
        row = c.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template]
        ).fetchone()
        if row is None or row[0] != wanted:
            log("migrating the template database (once per migration change)")
            c.execute(f"DROP DATABASE IF EXISTS {template} WITH (FORCE)")
            c.execute(f"CREATE DATABASE {template}")
            url = DATABASE_URL.replace(f"/{name}", f"/{template}", 1)
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=ROOT,
                env={**env, "DATABASE_URL": url},
                check=True,
            )
            c.execute(f"COMMENT ON DATABASE {template} IS '{wanted}'")
        c.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        c.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    sources = [p for p in (ROOT / "static").rglob("*") if p.is_file()]
    stamp = VAR / "static" / ".chaos-fingerprint"
    wanted_static = fingerprint([*sources, ROOT / "requirements" / "dev-lock.txt"])
    if not stamp.exists() or stamp.read_text() != wanted_static:
        log("collecting static files (DEBUG is off: the manifest storage needs them)")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        stamp.write_text(wanted_static)


@dataclass
class Cast:
    union_id: int
    group_id: int
    office: int
    chair: int
    audit: list[int]
    party: int
    congress: list[int]
    group_leader: int
    bodies: dict[str, int]
    budgets: list[int] = field(default_factory=list)
    next_year: int = 2027


def seed_world() -> list[Cast]:
    """A provincial union, two department unions, grassroots unions with every body seated, and
    budgets sent for opinions — built through the services, as users would."""
    from core.models import Body, Role, Seat, UnionKind, User
    from core.services.statutory import obligations_generate
    from core.services.unions import union_create
    from notifications.services.reminders import reminders_schedule_obligations

    def person(username: str, email: str = "") -> User:
        return User.objects.create_user(username=username, password=None, full_name=username, email=email)

    def seat(user, union, role, body_kind=None):
        body = Body.objects.get(union=union, kind=body_kind) if body_kind else None
        s = Seat(person=user, union=union, body=body, role=role, start_date=datetime.date(2024, 1, 1))
        s.full_clean()
        s.save()

    prov = union_create(actor=None, name="混沌省总", code="chaos-p", kind=UnionKind.PROVINCIAL, parent=None)
    depts = [
        union_create(
            actor=None, name=f"混沌厅{i}", code=f"chaos-d{i}", kind=UnionKind.DEPARTMENT, parent=prov
        )
        for i in range(2)
    ]
    for i, dept in enumerate(depts):  # who hears of a department union's own obligations
        seat(person(f"d{i}-chair"), dept, Role.CHAIR, "union_committee")
        seat(person(f"d{i}-office", f"d{i}-office@chaos.example"), dept, Role.OFFICE_STAFF)
    casts = []
    for i in range(UNIONS):
        union = union_create(
            actor=None,
            name=f"混沌基层工会{i}",
            code=f"chaos-g{i}",
            kind=UnionKind.GRASSROOTS,
            parent=depts[i % 2],
        )
        group = union_create(
            actor=None, name=f"混沌工会小组{i}", code=f"chaos-s{i}", kind=UnionKind.GROUP, parent=union
        )
        office = person(f"c{i}-office", f"c{i}-office@chaos.example")
        seat(office, union, Role.OFFICE_STAFF)
        chair = person(f"c{i}-chair")
        seat(chair, union, Role.CHAIR, "union_committee")
        audit = [person(f"c{i}-audit{k}", f"c{i}-audit{k}@chaos.example" if k == 0 else "") for k in range(3)]
        seat(audit[0], union, Role.DIRECTOR, "audit_committee")
        for member in audit[1:]:
            seat(member, union, Role.MEMBER, "audit_committee")
        party = person(f"c{i}-party")
        seat(party, union, Role.SECRETARY, "party_organization")
        congress = [person(f"c{i}-congress{k}") for k in range(5)]
        seat(congress[0], union, Role.CHAIR, "congress")
        for rep in congress[1:]:
            seat(rep, union, Role.REPRESENTATIVE, "congress")
        leader = person(f"c{i}-group")
        seat(leader, group, Role.CHAIR)
        bodies = {b.kind: b.pk for b in Body.objects.filter(union=union)}
        casts.append(
            Cast(
                union.pk, group.pk, office.pk, chair.pk, [p.pk for p in audit], party.pk,
                [p.pk for p in congress], leader.pk, bodies,
            )
        )  # fmt: skip
    for year in (2026, 2027):
        obligations_generate(fiscal_year=year)
    reminders_schedule_obligations()
    for cast in casts:
        for _ in range(YEARS):
            cast.budgets.append(budget_start(cast))
    return casts


def budget_start(cast: Cast) -> int:
    """A budget drafted with balanced lines and sent for opinions (group leader, two representatives)."""
    from decimal import Decimal

    from django.utils import timezone

    from core.models import Union, User
    from workflows.budget.services import (
        LineInput,
        Recipient,
        budget_create,
        budget_save_lines,
        budget_submit,
    )

    union = Union.objects.get(pk=cast.union_id)
    office = User.objects.get(pk=cast.office)
    year = cast.next_year
    cast.next_year += 1
    budget = budget_create(
        actor=office, union=union, year=year, carryover=Decimal("20000.00"), carryover_is_estimate=True
    )
    lines = [
        LineInput("401", Decimal("120000.00")),
        LineInput("402", Decimal("300000.00")),
        LineInput("50101", Decimal("150000.00")),
        LineInput("50102", Decimal("200000.00")),
        LineInput("50502", Decimal("60000.00")),
    ]
    budget_save_lines(
        actor=office, budget=budget, lines=lines, carryover=Decimal("20000.00"), carryover_is_estimate=True
    )
    people = User.objects.in_bulk([cast.group_leader, cast.congress[1], cast.congress[2]])
    budget_submit(
        actor=office,
        budget=budget,
        recipients=[
            Recipient(people[cast.group_leader], Union.objects.get(pk=cast.group_id)),
            Recipient(people[cast.congress[1]]),
            Recipient(people[cast.congress[2]]),
        ],
        due_at=timezone.now() + datetime.timedelta(days=7),
    )
    return budget.pk


def session_cookie(user_id: int) -> str:
    """A signed-in session for the user, as the login page would leave it."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from core.models import User

    user = User.objects.get(pk=user_id)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


# --- the database from the harness's threads (PostgreSQL restarts under them) ------------------------


def db(fn, attempts: int = 40):
    """Run fn with the ORM; on a lost connection close it and try again (PostgreSQL restarting)."""
    from django.db import InterfaceError, OperationalError, connection

    for attempt in range(attempts):
        try:
            return fn()
        except (OperationalError, InterfaceError):
            connection.close()
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)
    return None


# --- HTTP load --------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    location: str
    messages: list[tuple[int, str]]
    error: str = ""
    body: str = ""


@dataclass
class Record:
    at: float  # monotonic, when the request was sent
    done: float
    action: str
    method: str
    path: str
    status: int  # 0: no response (connection refused, reset, timeout)
    outcome: str  # success, refused, ambiguous
    error: str = ""


class Ledger:
    """What the load driver did and which events the app must have written for it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.records: list[Record] = []
        self.expected: dict[tuple[str, str, int], list[int]] = defaultdict(lambda: [0, 0])  # [sure, maybe]
        self.in_flight_posts = 0

    def expect(self, key: tuple[str, str, int], outcome: str) -> None:
        with self.lock:
            if outcome == "success":
                self.expected[key][0] += 1
            elif outcome == "ambiguous":
                self.expected[key][1] += 1


def decode_messages(cookie_value: str) -> list[tuple[int, str]]:
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    try:
        decoded = CookieStorage(HttpRequest())._decode(cookie_value)
    except Exception:  # noqa: BLE001 — an unreadable cookie is no message
        return []
    return [(m.level, str(m.message)) for m in decoded or []]


class Client:
    """One signed-in person over real HTTP (http.client, no redirects followed)."""

    def __init__(self, port: int, session_key: str):
        self.port = port
        self.csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret
        self.cookies = {"sessionid": session_key, "csrftoken": self.csrf}

    def request(self, method: str, path: str, data: list[tuple[str, str]] | None = None) -> Response:
        body = None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            body = urllib.parse.urlencode([("csrfmiddlewaretoken", self.csrf), *(data or [])]).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            content = raw.read()
            messages = []
            for header, value in raw.getheaders():
                if header.lower() != "set-cookie":
                    continue
                for name, morsel in SimpleCookie(value).items():
                    if name == "messages":
                        messages = decode_messages(morsel.value)
                    elif name in ("sessionid", "csrftoken") and morsel.value:
                        self.cookies[name] = morsel.value
            text = content.decode("utf-8", "replace") if method == "GET" else ""
            return Response(raw.status, raw.getheader("Location") or "", messages, body=text)
        except OSError as exc:
            return Response(0, "", [], f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()


SUCCESS_LEVEL = 25  # django.contrib.messages.constants.SUCCESS


class Driver:
    """Load threads; each owns some unions and acts on their open work items as the right person."""

    def __init__(self, port: int, casts: list[Cast], ledger: Ledger):
        self.port = port
        self.casts = casts
        self.ledger = ledger
        self.stop = threading.Event()
        self.clients: dict[int, Client] = {}
        self.urged: set[int] = set()
        self.threads: list[threading.Thread] = []
        self.errors: list[str] = []
        self.budgets_started = 0

    def client(self, user_id: int) -> Client:
        if user_id not in self.clients:
            self.clients[user_id] = Client(self.port, db(lambda: session_cookie(user_id)))
        return self.clients[user_id]

    def prepare(self) -> None:
        for cast in self.casts:
            for user_id in {
                cast.office,
                cast.chair,
                cast.party,
                cast.group_leader,
                *cast.audit,
                *cast.congress,
            }:
                self.client(user_id)

    def start(self) -> None:
        for index in range(THREADS):
            mine = [c for i, c in enumerate(self.casts) if i % THREADS == index]
            thread = threading.Thread(target=self.run, args=(mine, index), daemon=True, name=f"load-{index}")
            thread.start()
            self.threads.append(thread)

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(90)

    def run(self, casts: list[Cast], index: int) -> None:
        from django.db import connection

        rng = random.Random(index)
        try:
            while not self.stop.is_set():
                cast = rng.choice(casts)
                try:
                    self.step(cast, rng)
                except Exception as exc:  # noqa: BLE001 — the driver keeps going; reported at the end
                    self.errors.append(f"{type(exc).__name__}: {exc}")
                    connection.close()
                    time.sleep(0.5)
                self.stop.wait(rng.uniform(0.2, 0.6))
        finally:
            connection.close()

    def send(self, action: str, user_id: int, method: str, path: str, data=None, expect=None) -> Response:
        """One request; records it and, for a successful approval, the event it must have written."""
        client = self.client(user_id)
        if method == "POST":
            with self.ledger.lock:
                self.ledger.in_flight_posts += 1
        started = time.monotonic()
        try:
            response = client.request(method, path, data)
        finally:
            if method == "POST":
                with self.ledger.lock:
                    self.ledger.in_flight_posts -= 1
        if response.status in (0, 500, 502, 503, 504):
            outcome = "ambiguous"  # the transaction may have committed before the failure
        elif response.status == 302 and "/accounts/login" not in response.location:
            outcome = "success"
            if action == "urge":  # the urge page redirects either way: its message says which
                outcome = (
                    "success" if any(lvl == SUCCESS_LEVEL for lvl, _ in response.messages) else "refused"
                )
        elif method == "GET" and response.status == 200:
            outcome = "success"
        else:
            outcome = "refused"
        with self.ledger.lock:
            self.ledger.records.append(
                Record(
                    started, time.monotonic(), action, method, path, response.status, outcome, response.error
                )
            )
        for key in expect or []:
            self.ledger.expect(key, outcome)
        return response

    def step(self, cast: Cast, rng: random.Random) -> None:
        from workflows.models import WorkItem, WorkItemKind, WorkItemState

        items = db(
            lambda: list(
                WorkItem.objects.filter(union_id=cast.union_id, state=WorkItemState.OPEN).values(
                    "id", "step", "kind", "assignee_id", "body_id", "document_id", "process_id"
                )
            )
        )
        if rng.random() < 0.3:  # someone looks at their inbox
            self.send(
                "inbox",
                rng.choice([cast.office, cast.party, cast.audit[0], cast.congress[0]]),
                "GET",
                "/work/",
            )
        # A draft is left only by a start the harness itself had cut short (PostgreSQL restarting
        # between its steps); nobody acts on it here.
        items = [i for i in items if i["step"] != "draft"]
        if not items:  # keep approvals flowing: the union starts next year's budget
            self.budgets_started += 1
            budget_id = db(lambda: budget_start(cast), attempts=5)
            cast.budgets.append(budget_id)
            self.ledger.expect(("submitted", str(budget_id), cast.office), "success")
            return
        body_items = [i for i in items if i["kind"] == WorkItemKind.BODY and i["id"] not in self.urged]
        if body_items and rng.random() < 0.25:  # 催办 by the drafter, once per item
            item = rng.choice(body_items)
            self.urged.add(item["id"])
            self.send(
                "urge",
                cast.office,
                "POST",
                f"/work/{item['id']}/urge/",
                [],
                [("urged", str(item["document_id"]), cast.office)],
            )
            return
        item = rng.choice(items)
        step = item["step"]
        returned = rng.random() < 0.25
        document = str(item["document_id"])
        if step == "give_opinion":
            answer = (
                [("answer", "opinion"), ("text", "建议增加职工书屋经费")]
                if returned
                else [("answer", "no_opinion")]
            )
            self.send(
                "opinion", item["assignee_id"], "POST", f"/work/{item['id']}/opinion/", answer,
                [("opinion_given", document, item["assignee_id"])],
            )  # fmt: skip
        elif step in ("consolidate", "revise"):
            self.send(
                step, cast.office, "POST", f"/budgets/{item['document_id']}/submit/", [],
                [("submitted", document, cast.office)],
            )  # fmt: skip
        elif step == "party_approval":
            resolution = "return" if returned else "approve"
            verb = "returned" if returned else "approved"
            self.send(
                "decision",
                cast.party,
                "POST",
                f"/work/{item['id']}/decision/",
                [
                    ("resolution", resolution),
                    ("reference_number", f"机党〔2026〕{item['id']}号"),
                    ("decided_on", datetime.date.today().isoformat()),
                    ("opinions", "请补充测算依据" if returned else ""),
                ],
                [(verb, document, cast.party)],
            )
        elif step in ("audit_review", "congress_ratification"):
            self.meeting(cast, item, rng)

    def meeting(self, cast: Cast, item: dict, rng: random.Random) -> None:
        """The body meets on every document pending before it (several processes in one request)."""
        from workflows.models import WorkItem, WorkItemState

        body_id = item["body_id"]
        pending = db(
            lambda: list(
                WorkItem.objects.filter(body_id=body_id, state=WorkItemState.OPEN).values_list(
                    "id", "document_id"
                )
            )
        )
        people = cast.audit if body_id == cast.bodies["audit_committee"] else cast.congress
        data = [
            ("held_on", datetime.date.today().isoformat()),
            ("place", "会议室"),
            ("minutes", "混沌测试会议"),
            *[("attendees", str(p)) for p in people],
        ]
        expect = []
        for item_id, document_id in pending:
            returned = rng.random() < 0.25
            data += [
                ("agenda", str(item_id)),
                (f"item-{item_id}-votes_for", "0" if returned else str(len(people))),
                (f"item-{item_id}-votes_against", str(len(people)) if returned else "0"),
                (f"item-{item_id}-votes_abstain", "0"),
                (f"item-{item_id}-resolution", "return" if returned else "approve"),
                (f"item-{item_id}-opinions", "请压缩会议费" if returned else ""),
            ]
            expect.append(("returned" if returned else "approved", str(document_id), people[0]))
        self.send("meeting", people[0], "POST", f"/bodies/{body_id}/meetings/new/", data, expect)


# --- SMTP sink ----------------------------------------------------------------------------------------


class SmtpSink:
    def __init__(self):
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self.lock = threading.Lock()
        self.message_ids: Counter = Counter()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
                match = re.search(rb"^Message-ID:\s*(<[^>]+>)", envelope.content, re.M | re.I)
                with sink.lock:
                    sink.message_ids[match.group(1).decode() if match else "?"] += 1
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        self.controller.start()

    def stop(self) -> None:
        try:
            self.controller.stop()
        except Exception:  # noqa: BLE001, S110 — already stopped
            pass


# --- faults -------------------------------------------------------------------------------------------


@dataclass
class Fault:
    kind: str
    number: int
    injected_at: float = 0.0
    recovered_at: float = 0.0
    sweep_holder: str = ""  # the worker whose sweep held claimed rows when the fault hit
    posts_in_flight: int = 0
    reminders_made_due: int = 0
    detail: str = ""


SWEEP_HOLDERS = """
    SELECT DISTINCT a.application_name FROM pg_locks l
    JOIN pg_class c ON c.oid = l.relation
    JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE c.relname = 'notifications_reminder' AND l.mode = 'RowShareLock'
      AND a.datname = current_database() AND a.application_name LIKE 'chaos-w%'
"""


class Probe:
    """A plain psycopg connection for pg_locks; reconnects after a restart."""

    def __init__(self):
        self.conn = None

    def holders(self) -> list[str]:
        import psycopg

        parts = urllib.parse.urlsplit(DATABASE_URL)
        try:
            if self.conn is None or self.conn.closed:
                self.conn = psycopg.connect(
                    host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
                    dbname=parts.path.lstrip("/"), autocommit=True, connect_timeout=2,
                    application_name="chaos-probe",
                )  # fmt: skip
            return [row[0] for row in self.conn.execute(SWEEP_HOLDERS).fetchall()]
        except psycopg.Error:
            self.conn = None
            return []


class Obligations:
    def __init__(self):
        from core.statutory import Obligation

        self.rows = db(
            lambda: list(
                Obligation.objects.filter(met_on__isnull=True).values_list("id", "union_id", "due_date")
            )
        )

    def make_due(self, number: int, count: int) -> int:
        """``count`` reminders due a minute ago (occasions of their own: offsets the rules never use)."""
        from django.utils import timezone

        from notifications.models import Reminder, ReminderKind, ReminderState, SubjectKind

        moment = timezone.now() - datetime.timedelta(minutes=1)
        rows = [
            Reminder(
                subject_kind=SubjectKind.OBLIGATION, subject_id=ob_id, union_id=union_id,
                kind=ReminderKind.BEFORE,
                offset_days=1000 + number * 10 + k // len(self.rows), due_on=due_on, fire_at=moment,
                state=ReminderState.PENDING,
            )
            for k, (ob_id, union_id, due_on) in ((k, self.rows[k % len(self.rows)]) for k in range(count))
        ]  # fmt: skip
        db(lambda: Reminder.objects.bulk_create(rows, ignore_conflicts=True))
        return len(rows)


class Chaos:
    def __init__(self, procs: Processes, ledger: Ledger, obligations: Obligations):
        self.procs = procs
        self.ledger = ledger
        self.obligations = obligations
        self.probe = Probe()
        self.faults: list[Fault] = []
        self.workers = ["chaos-w1", "chaos-w2"]

    def trigger_sweep(self) -> None:
        from config.celery import app

        try:
            app.send_task("notifications.tasks.send_due_reminders")
        except Exception as exc:  # noqa: BLE001 — beat sends one every minute anyway
            log(f"  could not enqueue a sweep ({type(exc).__name__}); beat will")

    def wait_for_sweep(self, seconds: float = 25.0) -> tuple[str, int]:
        """Until a worker's sweep holds claimed rows while approval POSTs are in flight."""
        deadline = time.monotonic() + seconds
        holders: list[str] = []
        while time.monotonic() < deadline:
            holders = self.probe.holders()
            if holders and self.ledger.in_flight_posts > 0:
                return holders[0], self.ledger.in_flight_posts
            time.sleep(0.01)
        return (holders[0] if holders else ""), self.ledger.in_flight_posts

    def inject(self, kind: str, number: int) -> Fault:
        fault = Fault(kind, number)
        fault.reminders_made_due = self.obligations.make_due(len(self.faults), REMINDERS)
        self.trigger_sweep()
        fault.sweep_holder, fault.posts_in_flight = self.wait_for_sweep()
        fault.injected_at = time.monotonic()
        if kind == "kill -9 worker":
            victim = fault.sweep_holder or random.choice(self.workers)
            fault.detail = victim
            self.procs.kill9(victim)
            time.sleep(1.0)
            self.procs.start_worker(victim)
            if not wait_until(lambda: self.procs.worker_ready(victim), 60, 0.1):
                raise RuntimeError(f"{victim} did not come back: {self.procs.log_text(victim)[-2000:]}")
        elif kind == "restart Redis":
            redis_restart()
        elif kind == "restart PostgreSQL":
            pg_restart()
        fault.recovered_at = time.monotonic()
        self.faults.append(fault)
        log(
            f"  {kind} #{number}: sweep held by {fault.sweep_holder or 'nobody'}, "
            f"{fault.posts_in_flight} POSTs in flight, "
            f"recovered in {fault.recovered_at - fault.injected_at:.1f} s"
        )
        return fault

    def windows(self) -> list[tuple[float, float]]:
        return [(f.injected_at, f.recovered_at) for f in self.faults]


# --- checks -------------------------------------------------------------------------------------------


def deadline_for(created: float, windows: list[tuple[float, float]], span: float) -> float:
    """Two sweep intervals after the recovery from the last fault that could hold the delivery up."""
    t = created
    for start, end in windows:
        if start <= t <= end:
            t = end
    changed = True
    while changed:
        changed = False
        for start, end in windows:
            if t < start < t + span and end > t:
                t = end
                changed = True
    return t + span


@dataclass
class Check:
    name: str
    result: str
    ok: bool
    data: dict = field(default_factory=dict)


def to_monotonic(moment: datetime.datetime, anchor: tuple[float, datetime.datetime]) -> float:
    return anchor[0] + (moment - anchor[1]).total_seconds()


def check_notifications(run_start: datetime.datetime) -> Check:
    from django.db import connection

    from notifications.models import Reminder, ReminderState

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM (
                SELECT n.recipient_id, r.subject_kind, r.subject_id, r.kind, r.offset_days, r.due_on
                FROM notifications_notification n
                JOIN notifications_reminder r ON n.dedupe_key = 'reminder:' || r.id
                GROUP BY 1, 2, 3, 4, 5, 6 HAVING count(*) > 1
            ) d
            """
        )
        duplicates = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM (SELECT recipient_id, dedupe_key FROM notifications_notification "
            "WHERE dedupe_key IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1) d"
        )
        duplicate_keys = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT count(*) FROM notifications_reminder r
            WHERE r.state = 'sent' AND r.offset_days >= 1000
              AND NOT EXISTS (
                  SELECT 1 FROM notifications_notification n WHERE n.dedupe_key = 'reminder:' || r.id
              )
            """
        )
        without = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM notifications_notification WHERE created_at >= %s", [run_start])
        rows = cursor.fetchone()[0]
    harness = Reminder.objects.filter(offset_days__gte=1000)
    sent = harness.filter(state=ReminderState.SENT).count()
    skipped = harness.filter(state=ReminderState.SKIPPED).count()
    pending = harness.filter(state=ReminderState.PENDING).count()
    ok = duplicates == 0 and duplicate_keys == 0 and without == 0 and pending == 0
    return Check(
        "one notification per recipient, subject, rule and occurrence",
        f"{rows:,} notifications; {sent:,} reminders sent, {skipped:,} skipped (subject done), "
        f"{pending} still "
        f"due; {duplicates + duplicate_keys} duplicates; {without} sent without a notification",
        ok,
        {"notifications": rows, "sent": sent, "skipped": skipped, "pending": pending,
         "duplicates": duplicates + duplicate_keys, "sent_without_notification": without},
    )  # fmt: skip


def check_deliveries(run_start, windows, anchor, smtp: SmtpSink) -> Check:
    from notifications.models import Channel, Delivery, DeliveryState

    span = 2 * SWEEP_INTERVAL
    rows = list(
        Delivery.objects.filter(created_at__gte=run_start).values(
            "id", "state", "created_at", "sent_at", "channel", "idempotency_key", "attempts"
        )
    )
    late, unsent, lateness = [], [], []
    for row in rows:
        created = to_monotonic(row["created_at"], anchor)
        limit = deadline_for(created, windows, span)
        if row["state"] != DeliveryState.SENT:
            unsent.append(row["id"])
            continue
        made = to_monotonic(row["sent_at"], anchor)
        lateness.append(made - (limit - span))
        if made > limit:
            late.append(row["id"])
    emails = [r for r in rows if r["channel"] == Channel.EMAIL and r["state"] == DeliveryState.SENT]
    with smtp.lock:
        received = dict(smtp.message_ids)
    not_received = [r["id"] for r in emails if received.get(f"<{r['idempotency_key']}@wuyi>", 0) < 1]
    repeats = sum(count - 1 for count in received.values() if count > 1)
    worst = max(lateness) if lateness else 0.0
    ok = not late and not unsent and not not_received
    return Check(
        f"every delivery made within two sweep intervals ({span} s) of recovery",
        f"{len(rows) - len(unsent):,}/{len(rows):,} made; {len(late)} late; {len(unsent)} not made; latest "
        f"{worst:.0f} s after the recovery (or creation); {len(not_received)} not at the SMTP server; "
        f"{repeats} repeats under the same Message-ID",
        ok,
        {"deliveries": len(rows), "late": len(late), "not_made": len(unsent),
         "worst_seconds": round(worst, 1), "not_received": len(not_received), "smtp_repeats": repeats,
         "late_ids": late[:20], "unsent_ids": unsent[:20]},
    )  # fmt: skip


def check_inboxes() -> Check:
    from core.models import BodyUserObjectPermission, User
    from workflows.models import WorkItem, WorkItemState
    from workflows.selectors import todo_queryset

    items = list(WorkItem.objects.filter(state=WorkItemState.OPEN))
    recorders: dict[int, list[int]] = defaultdict(list)
    for body_id, user_id in BodyUserObjectPermission.objects.filter(
        permission__codename="record_decision"
    ).values_list("content_object_id", "user_id"):
        recorders[body_id].append(user_id)
    approvers: dict[int, set[int]] = defaultdict(set)
    for item in items:
        for user_id in [item.assignee_id] if item.assignee_id else recorders.get(item.body_id, []):
            approvers[user_id].add(item.pk)
    missing, pairs = [], 0
    nobody = [item.pk for item in items if not item.assignee_id and not recorders.get(item.body_id)]
    for user_id, wanted in approvers.items():
        seen = set(
            todo_queryset(user=User.objects.get(pk=user_id))
            .filter(pk__in=wanted)
            .values_list("id", flat=True)
        )
        pairs += len(wanted)
        missing += [(user_id, item_id) for item_id in wanted - seen]
    return Check(
        "every open work item in its approvers' inbox",
        f"{len(items)} open items, {pairs} item × approver pairs: {len(missing)} missing, "
        f"{len(nobody)} without approver",
        not missing and not nobody,
        {"open_items": len(items), "pairs": pairs, "missing": missing[:20], "without_approver": nobody[:20]},
    )


def check_inbox_pages(driver: Driver) -> Check:
    """The to-do page each person of the load gets from gunicorn now, right after the faults, against
    the database: the same first page of items and the same badge. Pages looked at during the faults
    are kept by the inbox cache (workflows/inbox_cache.py); a kept page that missed a change the
    faults interleaved with would show here."""
    from core.models import User
    from workflows.selectors import todo_count, todo_page

    compared, wrong, errors = 0, [], []
    for user_id in sorted(driver.clients):
        response = driver.client(user_id).request("GET", "/work/")
        if response.status != 200:
            errors.append((user_id, response.status, response.error))
            continue
        shown = [int(pk) for pk in re.findall(r'data-testid="work-(\d+)"', response.body)]
        badge = re.search(r'data-testid="inbox-count">(\d+)<', response.body)
        user = User.objects.get(pk=user_id)
        items, _cursor = todo_page(user=user)
        count = todo_count(user=user)
        compared += 1
        if shown != [i.pk for i in items] or (int(badge.group(1)) if badge else 0) != count:
            wrong.append({"user": user_id, "shown": shown[:10], "expected": [i.pk for i in items][:10]})
    return Check(
        "every person's to-do page (cached or not) as the database has it",
        f"{compared} pages compared: {len(wrong)} differ, {len(errors)} not answered",
        compared > 0 and not wrong and not errors,
        {"compared": compared, "wrong": wrong[:10], "errors": errors[:10]},
    )


def check_processes() -> Check:
    from viewflow.workflow.models import Process, Task
    from viewflow.workflow.status import STATUS

    from workflows.models import WorkItem, WorkItemState

    errors = Task.objects.filter(status=STATUS.ERROR).count()
    open_tasks = set(
        Task.objects.filter(flow_task_type="HUMAN")
        .exclude(status__in=[STATUS.DONE, STATUS.CANCELED])
        .values_list("id", flat=True)
    )
    open_items = set(WorkItem.objects.filter(state=WorkItemState.OPEN).values_list("task_id", flat=True))
    mismatched = len(open_tasks ^ open_items)
    stuck = (
        Process.objects.filter(status=STATUS.NEW)
        .exclude(pk__in=Task.objects.exclude(status__in=[STATUS.DONE, STATUS.CANCELED]).values("process_id"))
        .count()
    )
    return Check(
        "no process or task in an error state",
        f"{errors} tasks in ERROR; {stuck} open processes without an open task; "
        f"{mismatched} work items ≠ tasks",
        errors == 0 and stuck == 0 and mismatched == 0,
        {"error_tasks": errors, "stuck_processes": stuck, "items_tasks_mismatch": mismatched},
    )


def check_events(ledger: Ledger, run_start) -> Check:
    from core.models import Event

    verbs = {key[0] for key in ledger.expected}
    actual = Counter(
        Event.objects.filter(created_at__gte=run_start, verb__in=verbs, actor__isnull=False).values_list(
            "verb", "subject_id", "actor_id"
        )
    )
    lost, unexplained, sure_total = [], [], 0
    for key, (sure, maybe) in ledger.expected.items():
        sure_total += sure
        if actual.get(key, 0) < sure:
            lost.append((key, sure, actual.get(key, 0)))
        elif actual.get(key, 0) > sure + maybe:
            unexplained.append((key, sure + maybe, actual.get(key, 0)))
    for key, count in actual.items():
        if key not in ledger.expected:
            unexplained.append((key, 0, count))
    ambiguous = sum(m for _, m in ledger.expected.values())
    return Check(
        "no event row lost",
        f"{sure_total} successful approval responses → {len(lost)} events lost, "
        f"{len(unexplained)} unexplained "
        f"({ambiguous} responses without an answer may or may not have committed)",
        not lost and not unexplained,
        {"expected": sure_total, "ambiguous": ambiguous, "lost": lost[:20], "unexplained": unexplained[:20]},
    )


EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Failed|Timeout|Refused|Denied|Shutdown)\b")
TRACEBACK_GLUE = ("Traceback", "During handling", "The above exception", "  ", "\t")


def parse_server_errors(text: str) -> list[tuple[str, str]]:
    """(path, exception) of every "Internal Server Error" in gunicorn's error log (Django's logger): the
    last exception of the traceback chain that follows it. The block ends at the first line that is
    neither part of a traceback nor an exception (a warning logged next, gunicorn's own lines)."""
    found = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if not line.startswith("Internal Server Error: "):
            continue
        path = line.removeprefix("Internal Server Error: ").strip()
        exception = "?"
        for following in lines[index + 1 :]:
            if not following.strip() or following.startswith(TRACEBACK_GLUE):
                continue
            if EXCEPTION_LINE.match(following):
                exception = following.split(":", 1)[0]
                continue
            break
        found.append((re.sub(r"/\d+/", "/<id>/", path), exception))
    return found


def check_500s(ledger: Ledger, windows, procs: Processes) -> tuple[Check, list[dict]]:
    def during(record: Record) -> bool:
        return any(start - 1 <= record.done and record.at <= end + GRACE for start, end in windows)

    fives = [r for r in ledger.records if r.status >= 500]
    outside = [r for r in fives if not during(r)]
    no_answer = [r for r in ledger.records if r.status == 0]
    logged = []
    for name in sorted(p.name for p in VAR.glob("gunicorn-*.log")):
        logged += parse_server_errors((VAR / name).read_text(errors="replace"))
    by_cause = Counter(logged)
    table = [{"count": n, "path": path, "exception": exc} for (path, exc), n in by_cause.most_common()]
    by_status = Counter(r.status for r in fives)
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(by_status.items())) or "none"
    return (
        Check(
            "500 responses: during faults (and none outside)",
            f"{len(fives)} server errors ({statuses}) "
            f"during faults, {len(outside)} outside (+{GRACE:.0f} s grace); "
            f"{len(no_answer)} requests without an "
            f"answer; {len(logged)} logged by gunicorn",
            not outside,
            {"during": len(fives) - len(outside), "outside": [(r.path, r.status) for r in outside][:20],
             "no_answer": len(no_answer), "logged": len(logged)},
        ),
        table,
    )  # fmt: skip


# --- main -------------------------------------------------------------------------------------------


def hardware() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} × {model}, Python {platform.python_version()}, PostgreSQL {pg_version()}"


def main() -> int:
    if not ROUNDS >= 1:
        raise SystemExit("CHAOS_ROUNDS must be at least 1")

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    VAR.mkdir(parents=True, exist_ok=True)
    for old in VAR.glob("*.log"):
        old.unlink()
    (VAR / "celerybeat-schedule").unlink(missing_ok=True)
    smtp = SmtpSink()
    port = int(os.environ.get("CHAOS_PORT") or free_port())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": DATABASE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SITE_ROOT": f"http://127.0.0.1:{port}",
        "WUYI_VAR_DIR": str(VAR),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update({k: v for k, v in env.items() if k != "DATABASE_URL"})
    os.environ["DATABASE_URL"] = with_app_name(DATABASE_URL, "chaos-harness")
    os.environ["DB_CONN_MAX_AGE"] = "0"
    procs = Processes(env)
    driver: Driver | None = None
    results: dict = {}
    try:
        log(
            f"make chaos: {ROUNDS} rounds × 3 faults, limit {TIME_LIMIT} s, "
            f"database {DATABASE_URL}, broker {BROKER_URL}"
        )
        pg_ensure_running()
        if not redis_ping():
            redis_start()
        recreate_database(env)
        import django

        django.setup()
        import redis

        redis.Redis.from_url(BROKER_URL).flushdb()  # this run's broker database only
        log("seeding the world through the services")
        casts = db(seed_world, attempts=3)
        obligations = Obligations()
        smtp.start()
        procs.start(
            "gunicorn",
            [
                str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                "--workers", "3", "--timeout", "60", "--graceful-timeout", "5", "--capture-output",
                "--error-logfile", "-",
            ],
            {"DATABASE_URL": with_app_name(DATABASE_URL, "chaos-web")},
        )  # fmt: skip
        for name in ("chaos-w1", "chaos-w2"):
            procs.start_worker(name)
        procs.start(
            "beat",
            [
                str(VENV_BIN / "celery"),
                "-A",
                "config",
                "beat",
                "--loglevel=INFO",
                "-s",
                str(VAR / "celerybeat-schedule"),
            ],
            {"DATABASE_URL": with_app_name(DATABASE_URL, "chaos-beat")},
        )
        if not wait_until(lambda: socket.create_connection(("127.0.0.1", port), 1).close() is None, 60):
            raise RuntimeError(f"gunicorn did not listen: {procs.log_text('gunicorn')[-2000:]}")
        for name in ("chaos-w1", "chaos-w2"):
            if not wait_until(lambda name=name: procs.worker_ready(name), 60):
                raise RuntimeError(f"{name} did not start: {procs.log_text(name)[-2000:]}")
        run_start = datetime.datetime.now(datetime.UTC)
        anchor = (time.monotonic(), run_start)
        hard_deadline = anchor[0] + TIME_LIMIT  # setup (first run: migrations, static files) not counted
        ledger = Ledger()
        driver = Driver(port, casts, ledger)
        driver.prepare()
        driver.start()
        log(
            f"load running ({THREADS} threads on {len(casts)} unions, "
            f"{sum(len(c.budgets) for c in casts)} budgets)"
        )
        time.sleep(8)
        chaos = Chaos(procs, ledger, obligations)
        kinds = ["kill -9 worker", "restart Redis", "restart PostgreSQL"]
        drain_reserve = 2 * SWEEP_INTERVAL + 45
        for round_no in range(1, ROUNDS + 1):
            if time.monotonic() > hard_deadline - drain_reserve - 60:
                log(f"time limit: stopping the faults after round {round_no - 1}")
                break
            log(f"round {round_no}/{ROUNDS}")
            for kind in kinds:
                chaos.inject(kind, round_no)
                time.sleep(random.uniform(4, 8))  # approvals continue between faults
        faults_end = time.monotonic()
        time.sleep(5)
        driver.join()
        log(f"faults over; load stopped; waiting for the sweeps (up to {drain_reserve} s)")
        from notifications.models import Delivery, DeliveryState, Reminder, ReminderState

        def settled() -> bool:
            return not db(
                lambda: (
                    Delivery.objects.filter(created_at__gte=run_start, state=DeliveryState.PENDING).exists()
                    or Reminder.objects.filter(offset_days__gte=1000, state=ReminderState.PENDING).exists()
                )
            )

        wait_until(settled, min(drain_reserve, max(10.0, hard_deadline - time.monotonic() - 20)), 1.0)
        time.sleep(2)
        windows = chaos.windows()
        checks = []
        for fn in (
            lambda: check_notifications(run_start),
            lambda: check_deliveries(run_start, windows, anchor, smtp),
            check_inboxes,
            lambda: check_inbox_pages(driver),
            check_processes,
            lambda: check_events(ledger, run_start),
        ):
            checks.append(db(fn, attempts=3))
        fives, causes = check_500s(ledger, windows, procs)
        checks.append(fives)
        counts = Counter(f.kind for f in chaos.faults)
        enough = all(counts[k] >= ROUNDS for k in kinds)
        held = sum(1 for f in chaos.faults if f.sweep_holder)
        in_flight = sum(1 for f in chaos.faults if f.posts_in_flight)
        checks.insert(
            0,
            Check(
                f"faults injected ({ROUNDS} of each asked)",
                ", ".join(f"{k} ×{counts[k]}" for k in kinds)
                + f"; sweep holding claimed rows at {held}/{len(chaos.faults)}"
                + f", approval POSTs in flight at {in_flight}/{len(chaos.faults)}",
                enough,
                {"counts": dict(counts)},
            ),
        )
        by_action = defaultdict(Counter)
        for record in ledger.records:
            label = (
                record.outcome
                if record.outcome == "success"
                else f"{record.outcome} {record.status or 'no answer'}"
            )
            by_action[record.action][label] += 1
        results = {
            "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
            "hardware": hardware(),
            "rounds": ROUNDS,
            "duration_seconds": round(time.monotonic() - STARTED, 1),
            "fault_phase_seconds": round(faults_end - anchor[0], 1),
            "passed": all(c.ok for c in checks),
            "checks": [{"check": c.name, "result": c.result, "ok": c.ok, **c.data} for c in checks],
            "faults": [
                {
                    "kind": f.kind,
                    "round": f.number,
                    "at_seconds": round(f.injected_at - anchor[0], 1),
                    "recovery_seconds": round(f.recovered_at - f.injected_at, 2),
                    "sweep_holder": f.sweep_holder,
                    "posts_in_flight": f.posts_in_flight,
                    "reminders_made_due": f.reminders_made_due,
                    "detail": f.detail,
                }
                for f in chaos.faults
            ],  # fmt: skip
            "requests": {action: dict(c) for action, c in sorted(by_action.items())},
            "server_errors": causes,
            "budgets_started_during_run": driver.budgets_started,
            "driver_errors": Counter(driver.errors).most_common(10),
            "recovery_median_seconds": {
                k: round(
                    statistics.median([f.recovered_at - f.injected_at for f in chaos.faults if f.kind == k]),
                    2,
                )
                for k in kinds
                if counts[k]
            },
        }
        text = render(results)
        print(text)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "chaos-latest.json").write_text(
            json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n"
        )
        (RESULTS / "chaos-latest.txt").write_text(text + "\n")
        return 0 if results["passed"] else 1
    finally:
        if driver is not None:
            driver.stop.set()
        procs.stop_all()
        smtp.stop()
        if not redis_ping():
            redis_start()
        pg_ensure_running()


def render(results: dict) -> str:
    lines = [
        f"make chaos — {results['date']} — {results['hardware']}",
        f"{results['rounds']} rounds; fault phase {results['fault_phase_seconds']} s; whole run "
        f"{results['duration_seconds']} s; recovery medians: "
        + ", ".join(f"{k} {v} s" for k, v in results["recovery_median_seconds"].items()),
        "",
        "| check | result | |",
        "|---|---|---|",
    ]
    for check in results["checks"]:
        lines.append(f"| {check['check']} | {check['result']} | {'PASS' if check['ok'] else '**FAIL**'} |")
    lines += ["", "Requests by action (outcome: count):"]
    for action, outcomes in results["requests"].items():
        lines.append(f"  {action:22} " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    lines += ["", "500 responses logged by gunicorn, by path and exception:"]
    if not results["server_errors"]:
        lines.append("  none")
    for row in results["server_errors"]:
        lines.append(f"  {row['count']:4}  {row['path']:40} {row['exception']}")
    if results["driver_errors"]:
        lines += ["", "Load driver errors (its own DB reads while PostgreSQL restarted):"]
        lines += [f"  {n:4}  {message[:120]}" for message, n in results["driver_errors"]]
    lines.append("")
    lines.append("PASSED" if results["passed"] else "FAILED")
    return "\n".join(lines)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt as exc:
        print(f"interrupted ({exc}); every process this run started was stopped", file=sys.stderr)
        sys.exit(130)
