"""Fixtures of the notification tests. Robots are real HTTP(S) servers on 127.0.0.1; the webhook
guard (``notifications.channels.safe_http``) refuses 127.0.0.1 unless the administrator's allow-list
names it, so the tests name it there, as an administrator would for an intranet gateway, and only
the resolver (the guard's single name lookup) is stood in for where a test needs a host name."""

from __future__ import annotations

import socket
import ssl

import pytest

from notifications.channels import safe_http
from notifications.models import ROBOT_HOSTS, WebhookAllowedHost
from tests.notifications.helpers import HttpServer, robot_tls_files

WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-test"
DINGTALK_URL = "https://oapi.dingtalk.com/robot/send?access_token=7d1f-test"


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[str]]:
    """The guard's resolver answering from this table (host name -> addresses), the system's
    resolver for anything else (numeric forms and localhost resolve without a network)."""
    table: dict[str, list[str]] = {}
    real = safe_http.resolve

    def resolve(host: str, port: int) -> list[tuple[str, int]]:
        if host in table:
            return [(address, port) for address in table[host]]
        return real(host, port)

    monkeypatch.setattr(safe_http, "resolve", resolve)
    return table


def allow_local(server: HttpServer, **extra) -> WebhookAllowedHost:
    """Allow-list the local test server the way an administrator allows an intranet gateway: its
    host and port, plain http, and 127.0.0.1 named explicitly."""
    return WebhookAllowedHost.objects.create(
        host="127.0.0.1", port=server.port, allow_http=True, address="127.0.0.1", note="test server", **extra
    )


@pytest.fixture(scope="session")
def robot_tls(tmp_path_factory) -> tuple[str, ssl.SSLContext]:
    cert, key = robot_tls_files(tmp_path_factory.mktemp("robot-tls"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return str(cert), context


@pytest.fixture
def official_robots(robot_tls, monkeypatch):
    """``official_robots(status, ...)`` -> an HTTPS ``HttpServer`` that answers for WeCom's and
    DingTalk's robot host names: the resolver sends those names to it, the allow-list names
    127.0.0.1 for them explicitly, and the client trusts the test certificate (SSL_CERT_FILE), so
    the guard, the pinned connection and certificate verification run as in production."""
    cert, context = robot_tls
    monkeypatch.setenv("SSL_CERT_FILE", cert)
    for host in ROBOT_HOSTS.values():
        WebhookAllowedHost.objects.create(host=host, address="127.0.0.1", note="test robots")
    real = safe_http.resolve

    def start(status: int = 200, body: bytes | None = None, **kwargs) -> HttpServer:
        server = HttpServer(status, body, tls=context, **kwargs)

        def resolve(host: str, port: int) -> list[tuple[str, int]]:
            if host in ROBOT_HOSTS.values():
                return [("127.0.0.1", server.port)]
            return real(host, port)

        monkeypatch.setattr(safe_http, "resolve", resolve)
        return server

    return start


@pytest.fixture
def lookups(monkeypatch) -> list[str]:
    """Every host name the system resolver is asked for from now on (numeric ones included)."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        asked.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked
