"""Settings for the benchmarks: the project's settings plus bench-only apps.

``BENCH_APPS`` (comma-separated, default ``bench.bareflow``) lists apps appended to INSTALLED_APPS:
the bare viewflow flow that P6 compares the budget chain with must live in an installed app,
because viewflow stores a flow as ``<app label>/<module path>.<class>``.
"""

from __future__ import annotations

import os

from config.settings import *  # noqa: F403
from config.settings import ALLOWED_HOSTS, INSTALLED_APPS

INSTALLED_APPS = [
    *INSTALLED_APPS,
    *[app.strip() for app in os.environ.get("BENCH_APPS", "bench.bareflow").split(",") if app.strip()],
]

# bench/run.py requests the real pages with Django's test client, whose host is "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]

# Timings as in production: no debug cursor (every query logged) and no template debug. The other
# DEBUG-derived settings keep their development values (plain static storage, no HTTPS redirect),
# so that the pages render without collectstatic. BENCH_DEBUG=true restores DEBUG.
DEBUG = os.environ.get("BENCH_DEBUG", "false").lower() in ("1", "true", "yes")

# P1 compares the inbox with a minimal authenticated page served by the same gunicorn (bench/urls.py).
ROOT_URLCONF = "bench.urls"
