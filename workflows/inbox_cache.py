"""The to-do page, rendered once and served again while PostgreSQL says nothing on it changed.

Rendering a full to-do page costs 20-40 ms of Python for a recorder of many bodies (bench P1); the
answer to "did anything on this person's list change?" costs one indexed query. A cached entry keeps
the rendered fragment, the badge count and ``pg_current_snapshot()`` taken *before* its content was
read. On the next request one query asks the change log (``workflows/0010``, written by triggers in
the writing transaction itself, so no write path can forget it — compare-and-set ``.update()``s and
bulk writes included) whether any of the person's audiences (``-person id`` and the bodies they
record for) carries a transaction that snapshot did not see. If none, the entry is served; if any,
or the entry is missing or past its time, the page is rendered again and stored with the new
snapshot. A change committed while a page was being rendered is therefore caught by the next request
(the snapshot predates it), and a change still uncommitted is invisible to both.

What the change log does not follow, bounded by ``INBOX_CACHE_SECONDS`` (default 600): a union's
name and a delegating person's name on the rows. Time moves the rest: an entry is not served past the
moment a row on it turns "due soon" or "overdue", and "due" filters (which depend on the clock) are
never cached. Only autocommit requests are cached: requests inside a transaction (where a snapshot
would include the transaction's own later writes) render.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.template.loader import get_template
from django.utils import timezone, translation

from core.selectors import OVERSIGHT_SEAT_EXISTS

CACHE_ALIAS = "inbox"
# Bump when the code that builds the to-do context changes what it shows (templates are hashed).
CODE_VERSION = 2  # 2: the rows link to their documents and offer 批量同意 (issue 25)
TEMPLATES = ("workflows/_inbox_todo.html", "workflows/_inbox_tabs.html")
CACHED_PARAMS = ("tab", "union", "type", "step", "after")

# The bell's count rides along (notifications.selectors.unread_count, the same rows; a test compares
# them): the page then costs the session, the user and this one query.
_UNREAD = """(SELECT count(*) FROM notifications_notification n
              WHERE n.recipient_id = %(user)s AND n.read_at IS NULL)"""

# and so does whether the 监督 menu shows (core.selectors.OVERSIGHT_SEAT_EXISTS)
_SNAPSHOT = f"SELECT pg_current_snapshot()::text, FALSE, {_UNREAD}, {OVERSIGHT_SEAT_EXISTS}"

_CHECK = f"""
SELECT pg_current_snapshot()::text, EXISTS (
    SELECT 1 FROM workflows_inboxchange c
    WHERE c.audience = ANY(ARRAY(
              SELECT p.content_object_id::bigint
              FROM core_bodyuserobjectpermission p
              JOIN auth_permission ap ON ap.id = p.permission_id
              WHERE p.user_id = %(user)s AND ap.codename = 'record_decision'
          ) || (-%(user)s)::bigint)
      AND c.xid >= pg_snapshot_xmin(%(snapshot)s::pg_snapshot)
      AND NOT pg_visible_in_snapshot(c.xid, %(snapshot)s::pg_snapshot)
), {_UNREAD}, {OVERSIGHT_SEAT_EXISTS}
"""


@dataclass(frozen=True)
class Entry:
    snapshot: str  # pg_current_snapshot() taken before the content was read
    html: str
    count: int  # the to-do badge
    expires: float  # time.time() after which the entry is not served


def enabled() -> bool:
    return settings.INBOX_CACHE_SECONDS > 0 and not connection.in_atomic_block


@cache
def _templates_digest() -> str:
    digest = hashlib.sha1(str(CODE_VERSION).encode())
    for name in TEMPLATES:
        digest.update(get_template(name).template.source.encode())
    return digest.hexdigest()[:12]


def key_for(request) -> str | None:
    """The entry's key, or None when the request must be rendered (a clock-dependent filter)."""
    if request.GET.get("due"):
        return None
    params = "&".join(f"{name}={request.GET.get(name, '')}" for name in CACHED_PARAMS)
    digest = hashlib.sha1(params.encode()).hexdigest()[:16]
    return ":".join(
        (
            "todo",
            _templates_digest(),
            str(request.user.pk),
            translation.get_language() or "",
            timezone.get_current_timezone_name(),
            digest,
        )
    )


@dataclass(frozen=True)
class Check:
    snapshot: str  # taken now, before anything of the page is read
    fresh: bool  # the entry checked may be served
    unread: int  # the bell
    oversee: bool = False  # the 监督 menu


def check(user_id: int, entry: Entry | None) -> Check:
    """One query: a snapshot, whether ``entry`` is still right, and the person's unread count."""
    today = timezone.localdate()
    with connection.cursor() as cursor:
        if entry is None:
            cursor.execute(_SNAPSHOT, {"user": user_id, "today": today})
        else:
            cursor.execute(_CHECK, {"user": user_id, "snapshot": entry.snapshot, "today": today})
        snapshot, changed, unread, oversee = cursor.fetchone()
    return Check(snapshot=snapshot, fresh=entry is not None and not changed, unread=unread, oversee=oversee)


def lookup(key: str) -> Entry | None:
    entry = caches[CACHE_ALIAS].get(key)
    if isinstance(entry, Entry) and entry.expires > time.time():
        return entry
    return None


def store(key: str, *, snapshot: str, html: str, count: int, valid_until: float | None) -> None:
    seconds = settings.INBOX_CACHE_SECONDS
    expires = time.time() + seconds
    if valid_until is not None:
        expires = min(expires, valid_until)
    if expires > time.time():
        caches[CACHE_ALIAS].set(
            key, Entry(snapshot=snapshot, html=html, count=count, expires=expires), timeout=seconds
        )


_HORIZON = """
INSERT INTO workflows_inboxhorizon (oldest_xid) VALUES (pg_snapshot_xmin(pg_current_snapshot()))
ON CONFLICT DO NOTHING
"""
_PRUNE = """
WITH h AS (
    SELECT max(oldest_xid) AS xmin FROM workflows_inboxhorizon
    WHERE taken_at < clock_timestamp() - %s * interval '1 second'
)
DELETE FROM workflows_inboxchange c USING h WHERE c.xid < h.xmin
"""
_PRUNE_HORIZONS = """
DELETE FROM workflows_inboxhorizon
WHERE taken_at < (SELECT max(taken_at) FROM workflows_inboxhorizon
                  WHERE taken_at < clock_timestamp() - %s * interval '1 second')
"""


def prune() -> int:
    """Delete the changes every entry that may still be served has seen; returns how many.

    Each run records the oldest running transaction id of this moment (a horizon). A change whose
    transaction is older than a horizon recorded more than INBOX_CACHE_SECONDS (plus a minute) ago
    ended before every snapshot a live entry holds, so it is visible in each of them and no check
    can need it. Idempotent; two runs at once delete the same rows.
    """
    age = settings.INBOX_CACHE_SECONDS + 60
    with connection.cursor() as cursor:
        cursor.execute(_HORIZON)
        cursor.execute(_PRUNE, [age])
        deleted = cursor.rowcount
        cursor.execute(_PRUNE_HORIZONS, [age])
    return deleted
