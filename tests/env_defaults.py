"""Pytest plugin loaded first (``-p tests.env_defaults`` in pyproject.toml).

It runs before pytest-django imports the settings, so the defaults below decide which servers the
tests use: the PostgreSQL and Redis that ``make test`` (scripts/ensure-services.sh) provides, unless
the caller exported DATABASE_URL / CELERY_BROKER_URL. Everything the settings place under the
var directory (SQLite files, uploads, Celery folders, beat schedule) goes to a throw-away temporary
directory, so a test run never touches ./var.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wuyi")
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
