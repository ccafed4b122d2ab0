"""Real parts for the delivery tests (issue 6): nothing here mocks Wuyi's code.

- ``SmtpServer``: a real SMTP server (aiosmtpd) on 127.0.0.1 and a free port, that keeps every
  message it accepted, optionally answering each DATA only after a delay (a slow mail relay);
- ``HttpServer``: a real HTTP server (``http.server``, one thread) that records each POST and answers
  with a chosen status and body (a group robot, a broken one, or one that refuses);
- ``CeleryWorker``: a real ``celery -A config worker`` subprocess on the test database and broker,
  which can be killed with SIGKILL;
- ``redis_restart``: stops and starts the Redis that ``make test`` runs (``scripts/ensure-services.sh``);
- people with e-mail addresses and reminders made due, the way production gets there.
"""

from __future__ import annotations

import asyncio
import datetime
import email
import email.policy
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from core.models import Role
from notifications.models import Delivery, DeliveryState, Reminder, ReminderState, SubjectKind
from tests.factories import UserFactory, give_seat

BASE_DIR = Path(__file__).resolve().parents[2]

# The exact command scripts/ensure-services.sh starts Redis with (as root).
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "-::1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    "/var/lib/redis",
    "--logfile",
    "/var/log/redis/ci.log",
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, seconds: float = 20.0, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


# --- SMTP ----------------------------------------------------------------------------------------


class _Recorder:
    def __init__(self, delay: float):
        self.delay = delay
        self.lock = threading.Lock()
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        # Kept as soon as the data is in, before the reply: a client killed while it waits for the
        # "250" has delivered the message without knowing it (the case idempotency keys are for).
        with self.lock:
            self.messages.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on 127.0.0.1:<free port>. ``delay``: seconds before each DATA is answered."""

    def __init__(self, delay: float = 0.0):
        self.port = free_port()
        self.recorder = _Recorder(delay)
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        with self.recorder.lock:
            return list(self.recorder.messages)

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]

    def env(self) -> dict[str, str]:
        """Settings for a worker subprocess (read from the environment by config/settings.py)."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "false",
        }

    def settings(self) -> override_settings:
        """The same for this process (and the in-process worker thread)."""
        return override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=self.port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
        )


# --- HTTP ----------------------------------------------------------------------------------------


class HttpServer:
    """A real HTTP server in a thread; records each POST (path, headers, JSON) and answers ``status``.

    ``headers``: extra answer headers (a ``Location`` for a redirect). ``answer``: a function of the
    recorded request that returns (status, body) instead (a robot that checks a signature).
    ``tls``: a server ``ssl.SSLContext``: the server speaks HTTPS (a robot host, see
    ``official_robots`` in conftest.py)."""

    def __init__(
        self,
        status: int = 200,
        body: bytes | None = None,
        *,
        headers: dict[str, str] | None = None,
        answer=None,
        tls: ssl.SSLContext | None = None,
    ):
        self.status = status
        self.body = body
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's hook name)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "raw": raw,
                    "json": json.loads(raw),
                }
                with recorder.lock:
                    recorder.requests.append(request)
                status, body = answer(request) if answer else (recorder.status, recorder.body)
                if body is None:  # what WeCom and DingTalk robots answer when they take a message
                    body = b'{"errcode":0,"errmsg":"ok"}' if status < 300 else b"broken"
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HttpServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self) -> list[dict]:
        with self.lock:
            return list(self.requests)


def robot_tls_files(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for WeCom's and DingTalk's robot host names (and its key), made
    with the openssl command: a client that trusts it (SSL_CERT_FILE) verifies those names."""
    cert, key = directory / "robots.pem", directory / "robots.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Wuyi test robots",
            "-addext",
            "subjectAltName=DNS:qyapi.weixin.qq.com,DNS:oapi.dingtalk.com",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    return cert, key


# --- a real worker process -------------------------------------------------------------------------


def subprocess_database_url() -> str:
    """The test database (test_<name>) as a URL, for a process outside pytest. The embedded server's
    host is its socket directory, percent-encoded."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{quote(s['HOST'] or '127.0.0.1', safe='')}{port}/{s['NAME']}"


class CeleryWorker:
    """``celery -A config worker --pool=solo`` in its own session, on the test database and broker."""

    def __init__(self, name: str, tmp_path: Path, extra_env: dict[str, str] | None = None):
        self.name = name
        self.var_dir = tmp_path / f"var-{name}"
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = tmp_path / f"{name}.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": subprocess_database_url(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "WUYI_VAR_DIR": str(self.var_dir),
            "MEDIA_ROOT": str(self.var_dir / "media"),
            "DB_CONN_MAX_AGE": "0",
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> CeleryWorker:
        log = open(self.log_path, "ab")  # the child keeps writing to it; closed here after the fork
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                f"--hostname={self.name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill it, and only it, by id
        )
        log.close()
        return self

    def kill(self) -> None:
        """kill -9: no warm shutdown, no ack, no cleanup."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # warm shutdown
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


# --- Redis -----------------------------------------------------------------------------------------


def redis_client():
    import redis

    return redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=3, socket_connect_timeout=3)


def redis_ping() -> bool:
    import redis

    try:
        return bool(redis_client().ping())
    except redis.RedisError:
        return False


def redis_run_id() -> str:
    return redis_client().info("server")["run_id"]


def queue_length(name: str = "celery") -> int:
    return int(redis_client().llen(name))


def forget_unacked_batch(ids: list[int]) -> int:
    """Drop the broker's copy of the ``deliver_batch`` message of these delivery ids that a killed
    worker never acknowledged (kombu keeps it in the ``unacked`` hash and puts it back in the queue
    after the visibility timeout, an hour). The test is over by then and the ids would be someone
    else's deliveries; only that exact message goes."""
    import base64

    client = redis_client()
    dropped = 0
    for tag, raw in client.hgetall("unacked").items():
        message = json.loads(raw)[0]
        if message.get("headers", {}).get("task") != "notifications.tasks.deliver_batch":
            continue
        args = json.loads(base64.b64decode(message["body"]))[0]
        if len(args) == 1 and sorted(args[0]) == sorted(ids):
            client.zrem("unacked_index", tag)
            dropped += client.hdel("unacked", tag)
    return dropped


def redis_start() -> None:
    subprocess.run(REDIS_START, check=True, timeout=30)
    if not wait_until(redis_ping, 30, 0.1):
        raise RuntimeError("redis-server did not answer PING within 30 s")


def redis_restart() -> None:
    """``redis-cli shutdown nosave`` (nothing is kept: --save "" and no AOF), then start it again."""
    subprocess.run(["redis-cli", "-p", "6379", "shutdown", "nosave"], timeout=30, check=False)
    if not wait_until(lambda: not redis_ping(), 15, 0.05):
        raise RuntimeError("redis-server did not stop")
    redis_start()


def redis_ensure_running() -> None:
    if not redis_ping():
        redis_start()


# --- people and due reminders ------------------------------------------------------------------------


def union_officers(union, count: int, *, with_email: bool = True, prefix: str = "officer") -> list:
    """The union chair and ``count - 1`` office staff: who hears of an obligation nobody started."""
    people = []
    for i in range(count):
        username = f"{prefix}{union.pk}-{i}"
        person = UserFactory(username=username, email=f"{username}@example.com" if with_email else "")
        if i == 0:
            give_seat(person, union, Role.CHAIR, "union_committee")
        else:
            give_seat(person, union, Role.OFFICE_STAFF)
        people.append(person)
    return people


def make_due(reminders) -> list[Reminder]:
    """The moment of these pending reminders has come: fire_at a minute ago."""
    ids = [r.pk for r in reminders]
    Reminder.objects.filter(pk__in=ids, state=ReminderState.PENDING).update(
        fire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    return list(Reminder.objects.filter(pk__in=ids))


def pending_obligation_reminders(union, count: int) -> list[Reminder]:
    """``count`` pending obligation reminders of one union (one per obligation), earliest first."""
    return list(
        Reminder.objects.filter(
            union=union, subject_kind=SubjectKind.OBLIGATION, state=ReminderState.PENDING
        ).order_by("fire_at", "id")[:count]
    )


def deliveries_of(reminders) -> list[Delivery]:
    keys = [f"reminder:{r.pk}" for r in reminders]
    return list(Delivery.objects.filter(notification__dedupe_key__in=keys).order_by("id"))


def count_sent(ids) -> int:
    return Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENT).count()
