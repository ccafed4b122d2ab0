"""One env-driven settings module with strict parsing (issue 3). Each case starts a real process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROD_KEY = "k" * 20 + "-production-secret-key-for-tests-only-0123456789"


def manage(*args, env_extra=None, tmp_path=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["WUYI_VAR_DIR"] = str(tmp_path)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_bad_boolean_stops_start_up_naming_the_variable(tmp_path):
    result = manage("check", env_extra={"DEBUG": "maybe"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_bad_integer_stops_start_up_naming_the_variable(tmp_path):
    result = manage("check", env_extra={"SESSION_IDLE_TIMEOUT": "half an hour"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SESSION_IDLE_TIMEOUT='half an hour' is not an integer" in result.stderr


def test_production_refuses_the_default_secret_key(tmp_path):
    result = manage(
        "check", env_extra={"DEBUG": "false", "ALLOWED_HOSTS": "wuyi.example.org"}, tmp_path=tmp_path
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_secret_read_from_file_and_deploy_check_passes(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(PROD_KEY + "\n")
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={"DEBUG": "false", "SECRET_KEY_FILE": str(secret), "ALLOWED_HOSTS": "wuyi.example.org"},
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_unreadable_secret_file_is_named(tmp_path):
    result = manage("check", env_extra={"SECRET_KEY_FILE": str(tmp_path / "missing")}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY_FILE points to" in result.stderr


@pytest.mark.parametrize("url", ["not-a-url", "mysql2://x"])
def test_bad_database_url_is_named(url, tmp_path):
    result = manage("check", env_extra={"DATABASE_URL": url}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DATABASE_URL=" in result.stderr


@pytest.mark.parametrize("url", ["sqlite:///var/wuyi.sqlite3", "sqlite://:memory:"])
def test_sqlite_is_refused_with_a_clear_message(url, tmp_path):
    result = manage("check", env_extra={"DATABASE_URL": url}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Wuyi runs on PostgreSQL 15 to 18 only" in result.stderr
    assert "SQLite is not supported" in result.stderr


def test_without_database_url_debug_uses_the_embedded_server_of_the_var_directory(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "d = settings.DATABASES['default']; print(d['ENGINE'], d['HOST'], d['NAME'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update({"WUYI_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        str((tmp_path / "pgdata").resolve()),
        "wuyi",
    ]


def test_production_requires_a_database_url(tmp_path):
    env = {"DEBUG": "false", "SECRET_KEY": PROD_KEY, "ALLOWED_HOSTS": "wuyi.example.org"}
    code = "import django; django.setup()"
    full = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    full.update({**env, "WUYI_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"})
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "DATABASE_URL must be set when DEBUG=false" in result.stderr


@pytest.mark.django_db
def test_the_database_is_a_supported_postgresql_major():
    """15 (CI's compatibility pass, make test-pg15) to 18 (the embedded server of make run and make test)."""
    from django.db import connection

    assert connection.vendor == "postgresql"
    assert 15 <= connection.pg_version // 10000 <= 18


@pytest.mark.parametrize(("jit", "expected"), [(None, "off"), ("true", "on")])
def test_postgresql_connections_run_without_jit_unless_asked(jit, expected, tmp_path):
    code = (
        "import django; django.setup();"
        "from django.db import connection; c = connection.cursor();"
        "c.execute('SHOW jit'); print(c.fetchone()[0])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DB_JIT"}
    env.update(
        {
            "WUYI_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # the test server's maintenance database: any PostgreSQL connection shows the setting
            "DATABASE_URL": os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres",
        }
    )
    if jit is not None:
        env["DB_JIT"] = jit
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected]
