"""P1: the inbox page's requests/s under gunicorn with a headless locust load, divided by the
requests/s of a minimal authenticated page (same middleware, one-line template) on the same server
in the same run. Rounds alternate the two pages so that a slow moment of the machine hits both.

    BENCH_P1_SECONDS  seconds of load per round and page (default 15; 5 at tiny scale)
    BENCH_P1_ROUNDS   rounds (default 5)
    BENCH_P1_USERS    simulated users (default 8)
    BENCH_P1_WORKERS  gunicorn sync workers (default: the number of CPUs)
    BENCH_P1_UNCACHED_ROUNDS  rounds with the inbox cache off, for context (default 2; 0 skips them)

The simulated users are one person in several browsers, so after the first request the to-do page
comes from the inbox cache (workflows/inbox_cache.py), checked against PostgreSQL on every request;
the cache-off rounds show what rendering every request costs.
"""

from __future__ import annotations

import csv
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sessions(user_id: int, count: int) -> list[str]:
    """Cookie headers for ``user_id`` as a login would leave a browser (one per simulated user): the
    session, and the CSRF cookie the sign-in form set. Without the latter every page with a form (the
    inbox's sign-out and language forms) would mint a new CSRF secret and cookie on each request."""
    import secrets

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from core.middleware import LAST_SEEN_KEY
    from core.models import User

    user = User.objects.get(pk=user_id)
    cookies = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[LAST_SEEN_KEY] = time.time()
        session.create()
        csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret as the cookie
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={session.session_key}; {settings.CSRF_COOKIE_NAME}={csrf}"
        )
    return cookies


def _wait_until_up(base: str, cookie: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            request = urllib.request.Request(base + "/bench/minimal/", headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


def _locust(base: str, path: str, cookies: list[str], users: int, seconds: int, workdir: Path) -> dict:
    prefix = workdir / f"p1-{path.strip('/').replace('/', '-') or 'root'}-{time.monotonic_ns()}"
    env = {
        **os.environ,
        "BENCH_P1_PATH": path,
        "BENCH_P1_COOKIES": "|".join(cookies),
    }
    subprocess.run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "5",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=seconds + 60,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return {
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "median_ms": float(row["Median Response Time"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                }
    raise RuntimeError(f"no aggregated row in {prefix}_stats.csv")


def _serve_and_load(
    database_url: str,
    cookies: list[str],
    *,
    users: int,
    workers: int,
    rounds: int,
    seconds: int,
    log,
    extra_env: dict[str, str] | None = None,
) -> dict[str, list[dict]]:
    """One gunicorn; rounds alternate the minimal page and the inbox (a slow moment hits both)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "PYTHONPATH": str(ROOT),
        **(extra_env or {}),
    }
    with tempfile.TemporaryDirectory(prefix="wuyi-p1-") as tmp:
        workdir = Path(tmp)
        errors = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 — closed below
        server = subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync",
                "--error-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=errors,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_up(base, cookies[0], server)
            runs: dict[str, list[dict]] = {"/bench/minimal/": [], "/work/": []}
            for path in runs:  # warm-up: every worker imports, connects and renders once
                _locust(base, path, cookies, users, 3, workdir)
            for number in range(rounds):
                for path in runs:
                    result = _locust(base, path, cookies, users, seconds, workdir)
                    runs[path].append(result)
                    log(
                        f"  P1 round {number + 1}: {path} {result['rps']:.1f} req/s "
                        f"(median {result['median_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
                        f"{result['failures']} failures)"
                    )
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
            errors.close()
    return runs


def p1_throughput(table, *, user_id: int, database_url: str, scale: str, log) -> None:
    seconds = int(os.environ.get("BENCH_P1_SECONDS", "5" if scale == "tiny" else "15"))
    rounds = int(os.environ.get("BENCH_P1_ROUNDS", "5"))
    users = int(os.environ.get("BENCH_P1_USERS", "8"))
    workers = int(os.environ.get("BENCH_P1_WORKERS", str(os.cpu_count() or 2)))
    measure = "inbox requests/s ÷ minimal authenticated page requests/s, gunicorn + headless locust"
    locust_bin = VENV_BIN / "locust"
    if not locust_bin.exists():
        table.add(
            "P1", measure, "locust missing: run `make bench` (installs bench-lock.txt)", "≥ 0.50", "MISSED"
        )
        return
    cookies = _sessions(user_id, users)
    runs = _serve_and_load(
        database_url, cookies, users=users, workers=workers, rounds=rounds, seconds=seconds, log=log
    )
    # Context: the same pages with the inbox cache off (every request renders the to-do page).
    off_rounds = int(os.environ.get("BENCH_P1_UNCACHED_ROUNDS", "2"))
    uncached = (
        _serve_and_load(
            database_url,
            cookies,
            users=users,
            workers=workers,
            rounds=off_rounds,
            seconds=seconds,
            log=lambda line: log(line.replace("P1 round", "P1 (cache off) round")),
            extra_env={"INBOX_CACHE_SECONDS": "0"},
        )
        if off_rounds
        else None
    )
    _profile(user_id=user_id, scale=scale)
    minimal = statistics.median(r["rps"] for r in runs["/bench/minimal/"])
    inbox = statistics.median(r["rps"] for r in runs["/work/"])
    failures = sum(r["failures"] for rs in runs.values() for r in rs)
    ratios = [i["rps"] / m["rps"] for i, m in zip(runs["/work/"], runs["/bench/minimal/"], strict=True)]
    ratio = inbox / minimal if minimal else 0.0
    table.add(
        "P1",
        measure,
        f"{ratio:.2f} ({inbox:.0f} vs {minimal:.0f} req/s, medians of {rounds} × {seconds} s, "
        f"{users} users, {workers} sync workers; ratios per round {min(ratios):.2f}–{max(ratios):.2f}; "
        f"{failures} failed requests)",
        "≥ 0.50",
        "ok" if ratio >= 0.5 and failures == 0 else "MISSED",
        ratio=ratio,
        inbox_rps=inbox,
        minimal_rps=minimal,
        rounds={path: rs for path, rs in runs.items()},
        failures=failures,
        workers=workers,
        users=users,
    )
    if uncached is not None:
        off_minimal = statistics.median(r["rps"] for r in uncached["/bench/minimal/"])
        off_inbox = statistics.median(r["rps"] for r in uncached["/work/"])
        off_ratio = off_inbox / off_minimal if off_minimal else 0.0
        table.add(
            "P1",
            "the same with the inbox cache off (INBOX_CACHE_SECONDS=0: every request renders)",
            f"{off_ratio:.2f} ({off_inbox:.0f} vs {off_minimal:.0f} req/s, medians of "
            f"{len(uncached['/work/'])} × {seconds} s)",
            "",
            "measured",
            ratio=off_ratio,
            inbox_rps=off_inbox,
            minimal_rps=off_minimal,
        )


def _profile(*, user_id: int, scale: str) -> None:
    """Where one inbox request spends its time, beside the minimal page: in-process (Django's test
    client), wall time per part, then the cumulative Python profile. bench/results/profile-p1-<scale>.txt."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.models import User

    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    lines = [f"-- p1 (scale {scale}): the inbox request vs the minimal page, in-process"]
    for path in ("/bench/minimal/", "/work/"):
        for _ in range(5):
            client.get(path)
        started = time.perf_counter()
        for _ in range(50):
            client.get(path)
        per = (time.perf_counter() - started) / 50 * 1000
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        db = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        lines.append(
            f"{path}: {per:.2f} ms per request, {len(queries.captured_queries)} queries, {db:.2f} ms in SQL"
        )
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(30):
        client.get("/work/")
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
    lines += ["", "== Python profile of 30 inbox requests (cumulative, top 40)", out.getvalue()]
    (ROOT / "bench" / "results" / f"profile-p1-{scale}.txt").write_text("\n".join(lines) + "\n")
