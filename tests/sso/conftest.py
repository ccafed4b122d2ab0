"""The single sign-on tests' OpenID Connect provider (tests/sso/provider): started once per test session
as a subprocess on 127.0.0.1, with a database of its own on the tests' PostgreSQL server, and stopped (its
database dropped) at the end. ``sso_on`` points Wuyi's settings at it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest
import requests
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID = "wuyi-test-client"
CLIENT_SECRET = "wuyi-test-secret-" + "x" * 24
PROVIDER_PASSWORD = "provider-pass-2026"
# the organ's people as its provider knows them
PEOPLE = {
    "zhang": {"email": "zhang@organ.example", "employee_number": "E1001", "phone_number": "13800000001"},
    "li": {"email": "li@organ.example", "employee_number": "E1002", "phone_number": "13800000002"},
    "wang": {"email": "Wang@Organ.example", "employee_number": "E1003", "phone_number": "+86 138-0000-0003"},
    "stranger": {
        "email": "stranger@organ.example",
        "employee_number": "E9999",
        "phone_number": "13800009999",
    },
}


@dataclass
class Provider:
    base: str

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def browser(self, username: str) -> requests.Session:
        """A browser signed in at the provider as ``username``."""
        session = requests.Session()
        session.get(self.url("/login/"))  # its CSRF cookie, sent back as the form's token
        response = session.post(
            self.url("/login/"),
            data={
                "username": username,
                "password": PROVIDER_PASSWORD,
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            allow_redirects=False,
        )
        assert response.status_code == 302, response.text
        return session


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _admin_connection(db: dict) -> psycopg.Connection:
    return psycopg.connect(
        dbname="postgres",
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        autocommit=True,
    )


def _wait(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test OpenID provider stopped:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the test OpenID provider did not answer at {url}:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def oidc_provider():
    from django.conf import settings

    db = settings.DATABASES["default"]
    name = f"test_{db['NAME']}_oidc"[:63]
    with _admin_connection(db) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    port = _free_port()
    seed = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": "http://testserver/oidc/callback/",
        "post_logout_redirect_uri": "http://testserver/accounts/login/",
        "people": [{"username": u, "password": PROVIDER_PASSWORD, **claims} for u, claims in PEOPLE.items()],
    }
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OIDC_"))},
        "DJANGO_SETTINGS_MODULE": "tests.sso.provider.settings",
        "OIDC_PROVIDER_PORT": str(port),
        "OIDC_PROVIDER_SEED": json.dumps(seed),
        "OIDC_PROVIDER_DB": json.dumps(
            {
                "NAME": name,
                "HOST": db["HOST"],
                "PORT": db["PORT"],
                "USER": db["USER"],
                "PASSWORD": db["PASSWORD"],
            }
        ),
    }
    log = Path(tempfile.mkstemp(prefix="wuyi-oidc-provider-", suffix=".log")[1])
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.sso.provider.serve"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{base}/o/.well-known/openid-configuration", process, log)
        yield Provider(base=base)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with _admin_connection(db) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        log.unlink(missing_ok=True)


@pytest.fixture
def sso_on(settings, oidc_provider):
    """Wuyi's settings as config/settings_sso.py makes them from the provider's endpoints."""
    o = oidc_provider.url("/o")
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{o}/authorize/"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{o}/token/"
    settings.OIDC_OP_USER_ENDPOINT = f"{o}/userinfo/"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{o}/.well-known/jwks.json"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_MATCH_CLAIM = "employee_number"
    settings.OIDC_MATCH_CLAIM_NAME = "employee_number"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, settings.SSO_BACKEND]
    return oidc_provider


def sso_sign_in(client, provider: Provider, username: str, *, next_url: str = ""):
    """Wuyi's sign-in through the provider, every redirect real: Wuyi → the provider's authorize endpoint
    (signed in there as ``username``) → Wuyi's callback with the code and state. The callback's response."""
    start = reverse("sso:oidc_authentication_init") + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302
    authorize = response["Location"]
    assert authorize.startswith(provider.url("/o/authorize/"))
    answer = provider.browser(username).get(authorize, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    back = urlparse(answer.headers["Location"])
    assert (back.netloc, back.path) == ("testserver", reverse("sso:oidc_authentication_callback"))
    return client.get(f"{back.path}?{back.query}")
