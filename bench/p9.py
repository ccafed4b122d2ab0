"""P9 (issue 30): a province's members answer a satisfaction survey in a burst (S5.2) — 10,000 answers
submitted by 50 concurrent clients through the real page, served by gunicorn as in production.

Each client is a thread with its own keep-alive HTTP connection and its own share of the links; for
each link it does what a member's phone does: GET the survey page (which sets the CSRF cookie and
names the questions), then POST an answer to every question. Each GET + POST pair is timed. After the
burst the database must hold exactly one answer per link and every token flagged used: 0 lost (a link
whose POST was accepted but whose answer is missing, or a link never accepted), 0 double-counted
(more answers than links). Throughput (answers/s over the burst's wall time), median and p95 are
reported.

Preparation (not timed), on the bench database: the generated grassroots union with the highest id
that has a chair or office staff (away from the low ids P6 and P8 take) is given members
"P9-<union>-00001" … until it has 10,000 in force (kept between runs, as a register would be), and a
new survey cycle per run is opened through the services, which issue one token per member; earlier
open cycles of the union are closed first. What stays is what a union would leave: its members, its
closed cycles and their anonymous answers.

    BENCH_P9_ANSWERS   answers (default 10000; the members are topped up to it)
    BENCH_P9_CLIENTS   concurrent clients (default 50)
    BENCH_P9_WORKERS   gunicorn workers (default 2 × CPUs + 1, gthread with 4 threads each)
"""

from __future__ import annotations

import datetime
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.measure import log
from bench.p1 import _free_port

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
ANSWERS = int(os.environ.get("BENCH_P9_ANSWERS", "10000"))
CLIENTS = int(os.environ.get("BENCH_P9_CLIENTS", "50"))
MEMBER_PREFIX = "P9-"

RADIO = re.compile(r'<input[^>]*type="radio"[^>]*>')
NAME = re.compile(r'name="([^"]+)"')
VALUE = re.compile(r'value="([^"]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Burst:
    ms: list[float] = field(default_factory=list)
    accepted: int = 0
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def answer_body(page: str) -> dict[str, str]:
    """The highest rating for every rating question on the page (its radio groups) and the CSRF token.
    Free-text questions stay empty (they are optional)."""
    body: dict[str, str] = {}
    for radio in RADIO.findall(page):
        name, value = NAME.search(radio), VALUE.search(radio)
        if name and value and value.group(1).isdigit():
            body[name.group(1)] = max(body.get(name.group(1), "0"), value.group(1), key=int)
    token = CSRF.search(page)
    if token is None or not body:
        raise RuntimeError("the survey page has no form with rating questions")
    body["csrfmiddlewaretoken"] = token.group(1)
    return body


def _csrf_cookie(response: http.client.HTTPResponse) -> str:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith("csrftoken="):
            return value.split(";", 1)[0]
    return ""


def _client(port: int, paths: list[str], burst: Burst) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookie = ""
    try:
        for path in paths:
            started = time.perf_counter()
            connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            page = response.read().decode()
            cookie = _csrf_cookie(response) or cookie
            body = urlencode(answer_body(page))
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"http://127.0.0.1:{port}{path}",
            }
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with burst.lock:
                burst.ms.append(elapsed)
                if response.status in (200, 302, 303):
                    burst.accepted += 1
                else:
                    burst.refused.append(f"{response.status} {path}")
    finally:
        connection.close()


def _serve(database_url: str, workdir: Path) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    workers = int(os.environ.get("BENCH_P9_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": database_url,
        "DB_CONN_MAX_AGE": "60",
        "PYTHONPATH": str(ROOT),
    }
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            "4",
            "--error-logfile",
            "-",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(workdir / "gunicorn.log", "w"),  # noqa: SIM115 — the server's log, kept with it
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            probe.request("GET", "/accounts/login/")
            probe.getresponse().read()
            probe.close()
            return server, port
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within a minute")


def _stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def _burst(port: int, paths: list[str]) -> tuple[Burst, float]:
    burst = Burst()
    shares = [paths[i::CLIENTS] for i in range(CLIENTS)]
    threads = [threading.Thread(target=_client, args=(port, share, burst)) for share in shares if share]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return burst, time.perf_counter() - started


def p9_burst(table, *, database_url: str) -> None:
    from bench import p9_setup

    cycle, tokens = p9_setup.prepare(ANSWERS, prefix=MEMBER_PREFIX)
    paths = [p9_setup.answer_path(token) for token in tokens]
    log(f"P9: {len(paths)} links of cycle #{cycle.pk}, {CLIENTS} clients")
    with tempfile.TemporaryDirectory(prefix="wuyi-p9-") as tmp:
        server, port = _serve(database_url, Path(tmp))
        try:
            burst, seconds = _burst(port, paths)
        finally:
            _stop(server)
    stored, used = p9_setup.counts(cycle)
    lost = len(paths) - min(stored, len(paths))
    doubled = max(0, stored - len(paths))
    p95 = statistics.quantiles(burst.ms, n=20)[-1] if len(burst.ms) >= 20 else max(burst.ms, default=0)
    rate = len(burst.ms) / seconds if seconds else 0.0
    data = {
        "answers": len(paths),
        "clients": CLIENTS,
        "accepted": burst.accepted,
        "refused": len(burst.refused),
        "stored": stored,
        "tokens_used": used,
        "lost": lost,
        "double_counted": doubled,
        "seconds": round(seconds, 1),
        "answers_per_s": round(rate, 1),
        "median_ms": round(statistics.median(burst.ms), 1) if burst.ms else None,
        "p95_ms": round(p95, 1),
        "measured": datetime.date.today().isoformat(),
    }
    log(f"  P9 refusals (first 5): {burst.refused[:5]}")
    ok = lost == 0 and doubled == 0 and used == len(paths) and not burst.refused
    table.add(
        "P9",
        f"{len(paths):,} survey answers, {CLIENTS} concurrent clients (GET + POST each)",
        f"{rate:.0f} answers/s, p95 {p95:.0f} ms, median {data['median_ms']} ms; "
        f"{lost} lost, {doubled} double-counted",
        "0 lost, 0 double-counted; throughput and p95 reported",
        "met" if ok else "MISSED",
        **data,
    )
