"""docker-compose.yml describes the production-like stack (no database needed for these tests)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
APP_SERVICES = ("web", "worker", "beat")


def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def _environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {key: "" if value is None else str(value) for key, value in env.items()}


def _depends_on(service: dict) -> dict[str, dict]:
    depends = service.get("depends_on") or {}
    if isinstance(depends, list):
        return {name: {} for name in depends}
    return {name: (spec or {}) for name, spec in depends.items()}


def _compose_cli() -> list[str] | None:
    if shutil.which("docker"):
        try:
            probe = subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            probe = None
        if probe is not None and probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_compose_file_defines_the_stack():
    config = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    services = config["services"]

    for name in ("postgres", "redis", *APP_SERVICES):
        assert name in services, f"service {name!r} missing from docker-compose.yml"
    assert "healthcheck" in services["postgres"]
    assert "healthcheck" in services["redis"]

    assert "gunicorn config.wsgi" in _command(services["web"])
    assert "celery -A config worker" in _command(services["worker"])
    assert "celery -A config beat" in _command(services["beat"])

    for name in APP_SERVICES:
        env = _environment(services[name])
        for var in ("DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY", "DEBUG"):
            assert env.get(var), f"{name}: {var} is not set"
        assert env["DEBUG"].lower() == "false", f"{name} must run with DEBUG=false"
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:" in env["DATABASE_URL"]
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        depends = _depends_on(services[name])
        for backing in ("postgres", "redis"):
            assert backing in depends, f"{name} must depend on {backing}"
            assert depends[backing].get("condition") == "service_healthy", (
                f"{name} must wait until {backing} is healthy"
            )

    # The file must also be valid for the compose CLI itself, where one is installed.
    cli = _compose_cli()
    if cli is not None:
        env = {**os.environ, "SECRET_KEY": "x" * 60}
        result = subprocess.run(
            [*cli, "-f", str(COMPOSE_FILE), "config", "-q"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, f"{' '.join(cli)} config failed:\n{result.stderr}"
