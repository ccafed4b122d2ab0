#!/usr/bin/env python
"""`make bench`: the figures of issue 10 measured side by side against the scale dataset.

    BENCH_SCALE=small|full   dataset scale (default small); built by bench/generate.py when the
                             database does not hold it yet (default databases: wuyi_bench for small,
                             wuyi_bench_full for full; BENCH_DATABASE_URL overrides)
    BENCH_BROKER_URL         broker the reminder sweep enqueues deliveries to (default Redis db 15,
                             purged afterwards; memory:// when Redis is not reachable)
    BENCH_REPEAT             repetitions per timed figure (default 15)
    BENCH_ONLY               comma-separated figures to measure (e.g. P1,P4; default all)
    BENCH_P1_*               P1's load: see bench/p1.py
    BENCH_TRACE=1|viewflow   P6's profile lists the queries of each click in order with the Wuyi code
                             that issued them (=viewflow: viewflow's frames too)
    BENCH_CPROFILE=1         P6's timed clicks run under cProfile: bench/results/cprofile-p6-<scale>.txt
                             (BENCH_CPROFILE_STEP=opinion: only the steps whose name contains it)
    P6 (issue 22): an approval click as a user makes it, beside a bare viewflow step: see bench/p6.py
    P8 (issue 26): 200 chair approvals at once (4 threads) on one expenditure line with 10 % left,
        throughput, p95 and overdrafts (0): see bench/p8.py; in `make bench` only, never `make test`
    P9 (issue 30): 10,000 satisfaction-survey answers by 50 concurrent clients through the real page
        under gunicorn, 0 lost and 0 double-counted, throughput and p95: see bench/p9.py
    P10 (issue 34): archive search (S5.3) over one million generated records, p95 ≤ 200 ms: see bench/p10.py

Prints a table and writes bench/results/latest.json and latest-<scale>.json (date, hardware, medians
and spreads), bench/results/profile-*-<scale>.txt (queries by shape behind the missed figures) and
bench/results/explain-*-<scale>.txt (EXPLAIN ANALYZE, BUFFERS of the hot queries). Every baseline is measured
in the same run. Leaves behind only what a user would: sessions, the budgets that P6 drives
through the real pages (fiscal years after 2027 of one union per run; events are append-only), and
P8's expenditure requests, paid or withdrawn (one union per run with this year's budget in force),
and P9's members, closed survey cycles and anonymous answers (one union, a new cycle per run).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import re
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402
from bench.measure import (  # noqa: E402
    REPEAT,
    RESULTS,
    SCALE,
    fmt_spread,
    log,
    recording,
    spread,
    write_profile,
)

DEFAULT_URLS = {
    "small": "postgres://postgres@127.0.0.1:5432/wuyi_bench",
    "full": "postgres://postgres@127.0.0.1:5432/wuyi_bench_full",
    "tiny": "postgres://postgres@127.0.0.1:5432/wuyi_bench_tiny",
}
P4_ROWS = {"tiny": 100, "small": 10_000, "full": 50_000}


# --- statistics and the result table -------------------------------------------------------------


class Table:
    def __init__(self):
        self.rows: list[tuple[str, str, str, str, str]] = []
        self.figures: dict[str, dict] = {}

    def add(self, pid: str, measure: str, value: str, target: str, status: str, **data) -> None:
        self.rows.append((pid, measure, value, target, status))
        self.figures.setdefault(pid, {"rows": []})["rows"].append(
            {"measure": measure, "value": value, "target": target, "status": status, **data}
        )
        log(f"  {pid} {measure}: {value} [{status}]")

    def print(self) -> None:
        widths = [
            max(len(r[i]) for r in [("id", "measure", "value", "target", "status"), *self.rows])
            for i in range(5)
        ]
        line = "+".join("-" * (w + 2) for w in widths)
        log(line)
        for row in [("id", "measure", "value", "target", "status"), *self.rows]:
            log("|".join(f" {cell:<{w}} " for cell, w in zip(row, widths, strict=True)))
            if row[0] == "id":
                log(line)
        log(line)


def hardware() -> dict:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gb": ram_gb,
        "python": platform.python_version(),
        "load_average_at_start": load,
    }


# --- helpers ----------------------------------------------------------------------------------------


class Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    from django.db import transaction

    try:
        with transaction.atomic():
            yield
            raise Rollback
    except Rollback:
        pass


def timed(fn, repeat: int = REPEAT, warmup: int = 2) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def explain(name: str, sql: str, params) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    stamp = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    text = f"-- {name} (scale {SCALE})\n-- {stamp}\n{cursor_sql(sql, params)}\n\n{plan}\n"
    (RESULTS / f"explain-{name}-{SCALE}.txt").write_text(text)
    total = re.search(r"Execution Time: ([\d.]+) ms", plan)
    log(f"  explain-{name}-{SCALE}.txt written (execution {total.group(1) if total else '?'} ms)")


def cursor_sql(sql: str, params) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        return cursor.mogrify(sql, params) if hasattr(cursor, "mogrify") else sql


def oversight_app():
    """The oversight pages of a later issue, if this build has them."""
    import importlib.util

    from django.apps import apps

    if apps.is_installed("oversight") or any(c.label == "oversight" for c in apps.get_app_configs()):
        return "oversight"
    for module in ("oversight", "workflows.oversight", "core.oversight"):
        try:
            if importlib.util.find_spec(module) is not None:
                return module
        except ModuleNotFoundError:
            continue
    return None


# --- the figures -------------------------------------------------------------------------------------


def pick_users():
    """The person with the most open items they may act on, and one with one or two."""
    from django.db import connection

    sql = """
        WITH mine AS (
            SELECT p.user_id, w.id FROM core_bodyuserobjectpermission p
            JOIN auth_permission ap ON ap.id = p.permission_id AND ap.codename = 'record_decision'
            JOIN workflows_workitem w ON w.body_id = p.content_object_id
             AND w.state = 'open' AND w.kind = 'body' AND w.assignee_id IS NULL
            UNION ALL
            SELECT assignee_id, id FROM workflows_workitem WHERE state = 'open' AND assignee_id IS NOT NULL
        )
        SELECT user_id, count(*) FROM mine GROUP BY user_id ORDER BY count(*) DESC, user_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)
        rows = cursor.fetchall()
    heavy = rows[0]
    light = next((r for r in rows if r[1] in (1, 2)), rows[-1])
    return heavy, light


def p2_inbox_queries(table: Table, heavy, light) -> None:
    from django.test import Client
    from django.urls import reverse

    from core.models import User

    url = reverse("workflows:my_work")
    for label, (user_id, items) in (("many items", heavy), ("few items", light)):
        user = User.objects.get(pk=user_id)
        client = Client()
        client.force_login(user)
        pages = [
            ("to do", f"{url}?tab=todo"),
            ("watching", f"{url}?tab=watching"),
            ("done", f"{url}?tab=done"),
        ]
        first = client.get(pages[0][1])
        assert first.status_code == 200, first.status_code
        found = re.search(r'href="([^"]*)" data-testid="next-page"', first.content.decode())
        if found:
            pages.insert(1, ("to do, page 2", found.group(1).replace("&amp;", "&")))
        for name, page in pages:
            queries = count_queries(lambda page=page, client=client: client.get(page))
            times = timed(lambda page=page, client=client: client.get(page), repeat=max(5, REPEAT // 3))
            s = spread(times)
            table.add(
                "P2",
                f"queries per inbox page, {name} ({label}: {items} open items)",
                f"{queries} queries; {fmt_spread(s)}",
                "≤ 6",
                "ok" if queries <= 6 else "MISSED",
                queries=queries,
                ms=s,
                user_id=user_id,
                open_items=items,
            )


def _provincial_supervisor():
    from core.models import Role, Seat, Union

    top = Union.objects.filter(parent__isnull=True).order_by("pk").first()
    seat = (
        Seat.objects.in_force()
        .filter(union=top, role=Role.SUPERVISOR)
        .select_related("person")
        .order_by("pk")
        .first()
    )
    return seat.person if seat else None


def _oversight_pages() -> list[tuple[str, str, str]]:
    """(figure, name, URL) of the oversight pages a provincial supervisor opens."""
    from django.utils import timezone

    year = timezone.localdate().year
    return [
        ("P5", "stuck approvals", "/oversight/stuck/"),
        ("P5", "stuck approvals, sorted by days late", "/oversight/stuck/?sort=-late"),
        ("P5", "stuck approvals, sorted by union", "/oversight/stuck/?sort=union"),
        ("P5", "stuck approvals, page 2", None),
        ("P7", f"compliance scorecard {year}", f"/oversight/scorecard/?year={year}"),
        ("P7", f"compliance scorecard {year - 1}", f"/oversight/scorecard/?year={year - 1}"),
        ("P7", "efficiency (12 months)", "/oversight/efficiency/"),
        ("P2", "received reports", "/oversight/reports/"),
    ]


def p5_p7(table: Table) -> None:
    """P2 (oversight part), P5 and P7: the provincial supervisor's oversight pages, whole requests
    through the middleware and templates (Django's test client), p95 of BENCH_REPEAT runs."""
    from django.test import Client

    if oversight_app() is None:
        table.add("P5", "provincial-level stuck-approvals page, p95", "not built", "≤ 100 ms", "MISSED")
        return
    user = _provincial_supervisor()
    if user is None:
        table.add("P5", "provincial-level oversight pages", "no provincial supervisor", "≤ 100 ms", "MISSED")
        return
    client = Client()
    client.force_login(user)
    targets = {"P5": ("≤ 100 ms", 100.0), "P7": ("≤ 300 ms", 300.0), "P2": ("≤ 10 queries", None)}
    for pid, name, url in _oversight_pages():
        if url is None:
            first = client.get("/oversight/stuck/").content.decode()
            found = re.search(r'href="([^"]*)"[^>]*data-testid="next-page"', first) or re.search(
                r'data-testid="next-page"[^>]*href="([^"]*)"', first
            )
            if not found:
                continue
            # the link is a query string ("?older_than=…&after=…"): relative to the stuck page, where
            # the test client alone would request the site's root (the home page) with it
            url = "/oversight/stuck/" + found.group(1).replace("&amp;", "&")
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries = count_queries(lambda url=url: client.get(url))
        times = timed(lambda url=url: client.get(url))
        s = spread(times)
        target, limit = targets[pid]
        if limit is None:
            status = "ok" if queries <= 10 else "MISSED"
        else:
            status = "ok" if s["p95"] <= limit and queries <= 10 else "MISSED"
        table.add(
            pid,
            f"provincial supervisor: {name} ({url})",
            f"p95 {s['p95']:.1f} ms; {fmt_spread(s)}; {queries} queries",
            f"{target}; ≤ 10 queries",
            status,
            ms=s,
            queries=queries,
            url=url,
        )
    explain_oversight(user)


def explain_oversight(user) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the hot oversight queries (the stuck page and its counts)."""
    from django.utils import timezone

    from oversight.selectors.scope import oversight_scope
    from oversight.selectors.stuck import StuckFilters, stuck_items

    now = timezone.now()
    scope = oversight_scope(user=user)
    items = stuck_items(scope=scope, filters=StuckFilters(), now=now)
    sql, params = items.order_by("due_at", "id")[:26].query.sql_with_params()
    explain("oversight-stuck", sql, params)


def p3_stock_queue(table: Table, heavy_user_id: int) -> None:
    """Wuyi's inbox vs viewflow's stock queue for a user holding 1,000 object permissions.

    In one transaction that is rolled back: a new person records for 1,000 bodies, once in Wuyi's
    direct-FK table (what the inbox reads) and once in guardian's generic table (what the stock queue
    reads); the open body tasks get the owner permission a stock ``.Permission("core.record_decision",
    obj=body)`` node would have stored (Wuyi's own nodes leave it empty).
    """
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from guardian.models import UserObjectPermission
    from viewflow.workflow.models import Task

    from core.models import Body, BodyUserObjectPermission, User
    from workflows.budget.flows import BudgetFlow
    from workflows.selectors import todo_groups, todo_page

    record = Permission.objects.get(content_type__app_label="core", codename="record_decision")
    body_ct = ContentType.objects.get_for_model(Body)
    with rolled_back():
        with connection.cursor() as cursor:
            cursor.execute(
                """SELECT body_id FROM workflows_workitem
                   WHERE state = 'open' AND kind = 'body' AND assignee_id IS NULL
                   GROUP BY body_id ORDER BY body_id LIMIT 1000"""
            )
            bodies = [r[0] for r in cursor.fetchall()]
            if len(bodies) < 1000:
                cursor.execute(
                    "SELECT id FROM core_body WHERE NOT (id = ANY(%s)) ORDER BY id LIMIT %s",
                    [bodies, 1000 - len(bodies)],
                )
                bodies += [r[0] for r in cursor.fetchall()]
            cursor.execute(
                """UPDATE viewflow_task t SET owner_permission = 'core.record_decision',
                          owner_permission_content_type_id = %s, owner_permission_obj_pk = w.body_id::text
                   FROM workflows_workitem w
                   WHERE w.task_id = t.id AND w.state = 'open' AND w.kind = 'body'
                     AND w.assignee_id IS NULL""",
                [body_ct.pk],
            )
        user = User.objects.create(username=f"bench-p3-{int(time.time())}", full_name="P3 recorder")
        BodyUserObjectPermission.objects.bulk_create(
            [BodyUserObjectPermission(user=user, permission=record, content_object_id=b) for b in bodies]
        )
        UserObjectPermission.objects.bulk_create(
            [
                UserObjectPermission(user=user, permission=record, content_type=body_ct, object_pk=str(b))
                for b in bodies
            ]
        )
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="viewflow", codename="view_process")
        )

        def stock():
            fresh = User.objects.get(pk=user.pk)  # a request's user: no per-object cache yet
            qs = Task.objects.queue([BudgetFlow], fresh).order_by("-created")
            return list(qs[:25]), qs.count()

        client = Client()
        client.force_login(user)
        url = reverse("workflows:my_work")

        def wuyi_page():
            response = client.get(url)
            assert response.status_code == 200

        def wuyi_selector():
            fresh = User.objects.get(pk=user.pk)
            return todo_page(user=fresh), todo_groups(user=fresh)

        stock_rows, stock_count = stock()
        (wuyi_rows, _cursor), groups = wuyi_selector()
        wuyi_count = sum(g[3] for g in groups)
        wuyi_page()  # the first request after login writes the session
        stock_q = count_queries(stock)
        page_q = count_queries(wuyi_page)
        stock_ms = timed(stock, repeat=max(5, REPEAT // 2), warmup=1)
        page_ms = timed(wuyi_page)
        selector_ms = timed(wuyi_selector)
        ratio = statistics.median(stock_ms) / statistics.median(page_ms)
        selector_ratio = statistics.median(stock_ms) / statistics.median(selector_ms)
        detail = dict(
            bodies=len(bodies),
            stock_items=stock_count,
            wuyi_items=wuyi_count,
            stock_queries=stock_q,
            wuyi_page_queries=page_q,
            stock_ms=spread(stock_ms),
            wuyi_page_ms=spread(page_ms),
            wuyi_selector_ms=spread(selector_ms),
            ratio=ratio,
            selector_ratio=selector_ratio,
        )
        table.add(
            "P3",
            f"stock viewflow queue (page of 25 + count), 1,000 guardian generic rows; {stock_count} tasks",
            f"{fmt_spread(spread(stock_ms))}, {stock_q} queries",
            "baseline",
            "measured",
            **detail,
        )
        table.add(
            "P3",
            f"Wuyi inbox page (HTTP, rendered), 1,000 direct-FK rows; {wuyi_count} items",
            f"{fmt_spread(spread(page_ms))}, {page_q} queries (selector alone "
            f"{statistics.median(selector_ms):.2f} ms)",
            "baseline",
            "measured",
        )
        table.add(
            "P3",
            "stock queue time / Wuyi inbox page time",
            f"{ratio:.1f}×",
            "≥ 20×",
            "ok" if ratio >= 20 else "MISSED",
            ratio=ratio,
        )
        table.add(
            "P3",
            "stock queue time / Wuyi to-do selectors (page + summary, no HTTP)",
            f"{selector_ratio:.1f}×",
            "",
            "measured",
            ratio=selector_ratio,
        )
        if stock_count != wuyi_count:
            log(f"  note: the stock queue lists {stock_count} tasks, Wuyi's inbox {wuyi_count} items")
        qs = Task.objects.queue([BudgetFlow], User.objects.get(pk=user.pk)).order_by("-created")[:25]
        sql, params = qs.query.sql_with_params()
        explain("stock-queue-1000-perms", sql, params)
        explain_inbox(user.pk, suffix="-1000-perms")
        with recording() as stock_queries:
            stock()
        with recording() as page_queries:
            wuyi_page()
        write_profile(
            "p3",
            [("stock queue, page of 25 + count", stock_queries), ("Wuyi inbox page", page_queries)],
        )
        del stock_rows, wuyi_rows


# --- P4: the reminder sweep with two workers ------------------------------------------------------


def _sweep_worker(moment_iso: str, go, results) -> None:  # runs in a forked process
    from django.db import connections

    import notifications.services.reminders.sweep as reminders

    connections.close_all()
    claimed: list[int] = []
    original = reminders._claim_due

    def claim(now, batch):
        rows = original(now, batch)
        claimed.extend(r.pk for r in rows)
        return rows

    reminders._claim_due = claim
    moment = datetime.datetime.fromisoformat(moment_iso)
    go.wait()
    started = time.perf_counter()
    written = reminders.reminders_send_due(now=moment)
    results.put((claimed, written, time.perf_counter() - started))
    connections.close_all()


def settle_tables(*tables: str) -> None:
    """The same starting state for every run: the rows an earlier run deleted vacuumed away (else
    autovacuum starts in the middle of the measurement) and dirty pages written out by a checkpoint
    (else the checkpointer competes with the workers). Runs spread 6,600-9,700/s without it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")
        try:
            cursor.execute("CHECKPOINT")
        except Exception as error:  # noqa: BLE001 — needs a superuser (or pg_checkpoint): measured anyway
            print(f"  (no CHECKPOINT before the sweep: {error})")


P4_ROUNDS = int(os.environ.get("BENCH_P4_ROUNDS", "3"))


def _p4_round(chosen, moment) -> dict:
    """Both workers sweep the chosen due reminders once; then every row is put back as it was."""
    import multiprocessing as mp

    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM notifications_notification")
        max_notification = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM notifications_delivery")
        max_delivery = cursor.fetchone()[0]
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM notifications_reminder")
        max_reminder = cursor.fetchone()[0]
    settle_tables("notifications_notification", "notifications_delivery", "notifications_reminder")
    connections.close_all()
    fork = mp.get_context("fork")
    go = fork.Event()
    results = fork.Queue()
    workers = [fork.Process(target=_sweep_worker, args=(moment.isoformat(), go, results)) for _ in range(2)]
    for w in workers:
        w.start()
    time.sleep(1.0)
    started = time.perf_counter()
    go.set()
    outcomes = [results.get() for _ in workers]
    wall = time.perf_counter() - started
    for w in workers:
        w.join()
    claimed = [set(o[0]) for o in outcomes]
    twice = len(claimed[0] & claimed[1])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM notifications_notification WHERE id > %s", [max_notification])
        notifications = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*), count(enqueued_at) FROM notifications_delivery WHERE id > %s", [max_delivery]
        )
        deliveries, enqueued = cursor.fetchone()
        cursor.execute(
            """SELECT count(*) FROM (SELECT 1 FROM notifications_notification WHERE id > %s
               GROUP BY recipient_id, dedupe_key HAVING count(*) > 1) d""",
            [max_notification],
        )
        dup_notifications = cursor.fetchone()[0]
        cursor.execute(
            """SELECT count(*) FROM (SELECT 1 FROM notifications_delivery WHERE id > %s
               GROUP BY notification_id, channel, target HAVING count(*) > 1) d""",
            [max_delivery],
        )
        dup_deliveries = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM notifications_reminder WHERE id = ANY(%s) AND state = 'pending'",
            [[r[0] for r in chosen]],
        )
        left_pending = cursor.fetchone()[0]
    # put everything back: the same rows are due again in the next round and the next run
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM notifications_delivery WHERE id > %s", [max_delivery])
        cursor.execute("DELETE FROM notifications_notification WHERE id > %s", [max_notification])
        cursor.execute("DELETE FROM notifications_reminder WHERE id > %s", [max_reminder])
        cursor.execute(
            """UPDATE notifications_reminder r SET state = 'pending', sent_at = NULL, fire_at = %s
               WHERE r.id = ANY(%s)""",
            [moment - datetime.timedelta(minutes=1), [r[0] for r in chosen]],
        )
    purge_broker()
    return {
        "notifications": notifications,
        "deliveries": deliveries,
        "enqueued": enqueued,
        "seconds": wall,
        "per_second": notifications / wall,
        "duplicates": twice + dup_notifications + dup_deliveries,
        "parts": (twice, dup_notifications, dup_deliveries),
        "left_pending": left_pending,
        "per_worker": [f"{len(o[0])} claimed in {o[2]:.1f} s" for o in outcomes],
    }


def p4_sweep(table: Table, broker: str) -> None:
    from django.db import connection
    from django.utils import timezone

    from notifications.services.reminders import reminders_send_due

    rows = int(os.environ.get("BENCH_P4_ROWS", P4_ROWS.get(SCALE, 10_000)))
    moment = timezone.now()
    with connection.cursor() as cursor:
        # The same due rows for both workers: pending reminders made due a minute ago.
        cursor.execute(
            """SELECT id, fire_at FROM notifications_reminder WHERE state = 'pending'
               ORDER BY md5(id::text) LIMIT %s""",
            [rows],
        )
        chosen = cursor.fetchall()
        cursor.execute(
            "UPDATE notifications_reminder SET fire_at = %s WHERE id = ANY(%s)",
            [moment - datetime.timedelta(minutes=1), [r[0] for r in chosen]],
        )
    explain_claim(moment)  # while the chosen rows are due: the claim the workers are about to run
    # Warm-up: the same sweep once, rolled back, so that the pages it reads (seats, users, work items,
    # indexes) are in memory in every round; the first run after generating the dataset was 30 % slower.
    warm = time.perf_counter()
    with rolled_back():
        reminders_send_due(now=moment)
    print(f"  P4 warm-up (one process, rolled back): {time.perf_counter() - warm:.1f} s")
    rounds = []
    for number in range(P4_ROUNDS):
        rounds.append(_p4_round(chosen, moment))
        print(f"  P4 round {number + 1}: {rounds[-1]['per_second']:,.0f} notifications/s")
    # the original due times back
    with connection.cursor() as cursor:
        cursor.executemany(
            "UPDATE notifications_reminder SET fire_at = %s WHERE id = %s",
            [(fire_at, rid) for rid, fire_at in chosen],
        )
    profile_sweep_batch(moment)
    rates = sorted(r["per_second"] for r in rounds)
    median = statistics.median(rates)
    middle = sorted(rounds, key=lambda r: r["per_second"])[len(rounds) // 2]
    duplicates = sum(r["duplicates"] for r in rounds)
    left_pending = sum(r["left_pending"] for r in rounds)
    parts = [sum(r["parts"][i] for r in rounds) for i in range(3)]
    table.add(
        "P4",
        f"reminder sweep, 2 workers, {len(chosen):,} due reminders → notifications + deliveries enqueued "
        f"({broker}); median of {len(rounds)} rounds",
        f"{median:,.0f} notifications/s (rounds {', '.join(f'{r:,.0f}' for r in rates)}; median round: "
        f"{middle['notifications']:,} in {middle['seconds']:.1f} s, {middle['deliveries']:,} deliveries, "
        f"{middle['enqueued']:,} enqueued; {'; '.join(middle['per_worker'])})",
        "≥ 10,000/s",
        "ok" if median >= 10_000 else "MISSED",
        notifications=middle["notifications"],
        deliveries=middle["deliveries"],
        enqueued=middle["enqueued"],
        seconds=middle["seconds"],
        per_second=median,
        rounds=rates,
        reminders=len(chosen),
        left_pending=left_pending,
    )
    table.add(
        "P4",
        "duplicates over all rounds: reminders claimed twice + notifications + deliveries",
        f"{duplicates} ({parts[0]} + {parts[1]} + {parts[2]}); {left_pending} left pending",
        "0",
        "ok" if duplicates == 0 and left_pending == 0 else "MISSED",
        duplicates=duplicates,
    )


def profile_sweep_batch(moment) -> None:
    """One sweep batch (BATCH reminders) in one process, rolled back: its queries and Python profile.
    The URL configuration is loaded first, so that its one-off import is not profiled."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.urls import get_resolver

    from notifications.services.reminders import BATCH, reminders_send_due

    get_resolver().url_patterns  # noqa: B018 — import every URL module before profiling
    with rolled_back():
        with connection.cursor() as cursor:
            cursor.execute(
                """UPDATE notifications_reminder SET fire_at = %s WHERE id IN (
                       SELECT id FROM notifications_reminder WHERE state = 'pending'
                       ORDER BY md5(id::text) LIMIT %s)""",
                [moment - datetime.timedelta(minutes=1), BATCH],
            )
        profiler = cProfile.Profile()
        with recording() as queries:
            started = time.perf_counter()
            profiler.enable()
            written = reminders_send_due(now=moment, max_batches=1)
            profiler.disable()
            elapsed = time.perf_counter() - started
    write_profile(
        "p4",
        [
            (
                f"one sweep batch: {BATCH} reminders → {written} notifications in {elapsed:.2f} s",
                queries,
            )
        ],
    )
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    with (RESULTS / f"profile-p4-{SCALE}.txt").open("a") as fh:
        fh.write("\n== Python profile of the same batch (cumulative, top 30)\n")
        fh.write(out.getvalue())


def explain_claim(moment) -> None:
    from notifications.models import Reminder, ReminderState

    with rolled_back():
        qs = (
            Reminder.objects.filter(state=ReminderState.PENDING, fire_at__lte=moment)
            .order_by("fire_at", "id")
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("union__parent")[:500]
        )
        sql, params = qs.query.sql_with_params()
        explain("reminder-claim", sql, params)


def purge_broker() -> None:
    try:
        from config.celery import app

        app.control.purge()
    except Exception as exc:  # noqa: BLE001 — a bench must still print its table
        log(f"  (could not purge the bench broker: {exc})")


def explain_inbox(heavy_user_id: int, suffix: str = "") -> None:

    from core.models import User
    from workflows.selectors import todo_page_queryset

    user = User.objects.get(pk=heavy_user_id)
    sql, params = todo_page_queryset(user=user).query.sql_with_params()
    explain(f"inbox-todo{suffix}", sql, params)
    from workflows.selectors import todo_groups_sql

    sql, params = todo_groups_sql(user=user)
    explain(f"inbox-summary{suffix}", sql, params)


# --- main --------------------------------------------------------------------------------------------


def broker_url() -> str:
    url = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/15")
    if url.startswith("redis://"):
        import socket
        from urllib.parse import urlparse

        parsed = urlparse(url)
        try:
            socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2).close()
        except OSError:
            return "memory://"
    return url


def main() -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URLS[SCALE]
    started = time.perf_counter()
    recorded = generate.recorded_scale(url)
    if recorded != SCALE:
        name = generate.database_name(url)
        if not name.startswith(generate.DROPPABLE_PREFIXES):
            raise SystemExit(f"{name} does not hold a {SCALE} dataset and is not a bench database: refusing")
        log(f"{name} holds {recorded or 'no'} dataset: building the {SCALE} one (bench/generate.py)")
        generate.build(SCALE, url, fresh=True)
    broker = broker_url()
    os.environ["CELERY_BROKER_URL"] = broker
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    generate.setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    # The dataset may predate the code: apply the migrations added since it was built.
    call_command("migrate", verbosity=0, interactive=False)

    RESULTS.mkdir(parents=True, exist_ok=True)
    hw = hardware()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        hw["postgresql"] = cursor.fetchone()[0]
        cursor.execute("SELECT counts, seconds FROM bench_dataset ORDER BY created DESC LIMIT 1")
        counts, load_seconds = cursor.fetchone()
    hw_line = (
        f"{hw['nproc']} × {hw['cpu']}, {hw['ram_gb']} GB RAM, "
        f"PostgreSQL {hw['postgresql']}, Python {hw['python']}"
    )
    log(f"bench: scale {SCALE} on {generate.database_name(url)}; {hw_line}")
    if hw["load_average_at_start"] and hw["load_average_at_start"] > 0.5 * (hw["nproc"] or 1):
        log(f"  note: load average {hw['load_average_at_start']:.1f} at start: other work shares the CPUs")
    table = Table()
    only = {p.strip().upper() for p in os.environ.get("BENCH_ONLY", "").split(",") if p.strip()}

    def wanted(pid: str) -> bool:
        return not only or pid in only

    heavy, light = pick_users()
    log(f"users: many items #{heavy[0]} ({heavy[1]}), few items #{light[0]} ({light[1]})")
    if wanted("P1"):
        from bench.p1 import p1_throughput

        p1_throughput(table, user_id=heavy[0], database_url=url, scale=SCALE, log=log)
    if wanted("P2"):
        p2_inbox_queries(table, heavy, light)
        explain_inbox(heavy[0])
    if wanted("P3"):
        p3_stock_queue(table, heavy[0])
    if wanted("P6"):
        from bench.p6 import p6_clicks

        p6_clicks(table)
    if wanted("P4"):
        p4_sweep(table, broker)
    if wanted("P5") or wanted("P7"):
        p5_p7(table)
    if wanted("P8"):
        from bench.p8 import p8_race

        p8_race(table, avoid=frozenset({heavy[0], light[0]}))
    if wanted("P9"):
        from bench.p9 import p9_burst

        p9_burst(table, database_url=url)
    if wanted("P10"):
        from bench.p10 import p10_search

        p10_search(table)
    log("")
    table.print()
    result = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "scale": SCALE,
        "database": generate.database_name(url),
        "hardware": hw,
        "hardware_line": hw_line,
        "dataset": counts,
        "dataset_load_seconds": load_seconds,
        "repeat": REPEAT,
        "figures": table.figures,
        "seconds": round(time.perf_counter() - started, 1),
        "load_average_at_end": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }
    previous = RESULTS / f"latest-{SCALE}.json"
    if only and previous.exists():
        # BENCH_ONLY measured some figures: keep the others of the last run, each with its date.
        last = json.loads(previous.read_text())
        for pid, figure in last.get("figures", {}).items():
            if pid not in table.figures:
                figure.setdefault("measured", last.get("date"))
                result["figures"][pid] = figure
        result["only"] = sorted(only)
    text = json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n"
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / f"latest-{SCALE}.json").write_text(text)
    log(f"written {RESULTS / 'latest.json'} and latest-{SCALE}.json ({result['seconds']} s)")


if __name__ == "__main__":
    main()
