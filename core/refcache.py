"""Small reference tables read on every workflow step, kept in process memory.

The working-day calendar, the reminder rules and the step durations are a few dozen rows that change
a few times a year (a State Council holiday notice, an officer editing a rule in the admin), yet
every created work item read all three: four queries of a step's ~40. Each is loaded once per
process and kept for ``REFERENCE_CACHE_SECONDS`` (default 60 s); a write to the tables through the
ORM (admin, forms) clears this process's copy at once, so another process (a second gunicorn worker,
a Celery worker) sees an edit within that bound.

Uncommitted data never enters the cache: after a write, the transaction that made it reads the
tables directly (its own uncommitted rows), and the first read after it ends — committed or rolled
back — starts from a fresh load.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection

_lock = threading.Lock()
_values: dict[str, tuple[float, Any]] = {}
_local = threading.local()  # .dirty: this thread's open transaction wrote a reference table


def _ttl() -> float:
    return float(getattr(settings, "REFERENCE_CACHE_SECONDS", 60))


def cached(name: str, load: Callable[[], Any]) -> Any:
    """The value of ``load()``, from memory while younger than the time to live."""
    if getattr(_local, "dirty", False):
        if connection.in_atomic_block:
            return load()  # this transaction's own writes: read them, keep nothing
        _local.dirty = False
        clear()
    now = time.monotonic()
    entry = _values.get(name)
    if entry is not None and now - entry[0] < _ttl():
        return entry[1]
    value = load()
    with _lock:
        _values[name] = (now, value)
    return value


def clear() -> None:
    with _lock:
        _values.clear()


def changed(**_kwargs) -> None:
    """A reference table was written (signal receiver, or called after bulk writes)."""
    clear()
    if connection.in_atomic_block:
        _local.dirty = True


def reset() -> None:
    """Forget everything, including this thread's pending-write mark (tests, between cases)."""
    clear()
    _local.dirty = False
