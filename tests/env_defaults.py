"""Pytest plugin loaded first (``-p tests.env_defaults`` in pyproject.toml).

It runs before pytest-django imports the settings, so it decides which servers the tests use:

* PostgreSQL: ``TEST_DATABASE_URL`` when given (``make test TEST_DATABASE_URL=postgres://…``; CI's
  compatibility pass on PostgreSQL 15, ``make test-pg15``); otherwise a throw-away embedded
  PostgreSQL 18 started for this run in a temporary directory (scripts/embedded_pg.py), listening on
  a Unix socket that the live server and the Celery worker subprocesses reach too, and stopped and
  deleted when the run ends. ``DATABASE_URL`` is always set here: one exported for ``make run`` never
  sends the tests (which create and drop ``test_<name>``) to that database.
* Redis: the one ``make test`` (scripts/ensure-services.sh) provides, unless CELERY_BROKER_URL is set.

Everything the settings place under the var directory (uploads, Celery folders, beat schedule) goes to
a throw-away temporary directory, so a test run never touches ./var.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile


def _database_url() -> str:
    if os.environ.get("TEST_DATABASE_URL"):
        return os.environ["TEST_DATABASE_URL"]
    from scripts import embedded_pg

    url, home = embedded_pg.start_for_tests()
    atexit.register(embedded_pg.discard_test_server, home)
    return url


os.environ["DATABASE_URL"] = _database_url()
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

_VAR_DIR = tempfile.mkdtemp(prefix="wuyi-test-var-")
os.environ["WUYI_VAR_DIR"] = _VAR_DIR
os.environ["MEDIA_ROOT"] = os.path.join(_VAR_DIR, "media")
atexit.register(shutil.rmtree, _VAR_DIR, ignore_errors=True)
os.environ.setdefault(
    "DB_CONN_MAX_AGE", "0"
)  # threads (live server, Celery worker) must not keep test DB connections open
