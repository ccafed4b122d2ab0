"""The sessions a person holds (等保 2.0: concurrent sessions limited): at most MAX_SESSIONS_PER_PERSON;
signing in once more ends the oldest, and the new session is told."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib import messages

from core.security import errors
from core.security.audit import client_ip
from core.security.models import PersonSession


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def person_session_register(*, request, user) -> int:
    """Record the new session and end the oldest beyond the limit. Returns how many were ended."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    store = _store()
    live = []
    for held in PersonSession.objects.filter(user=user).exclude(session_key=key).order_by("created", "id"):
        if store().exists(held.session_key):
            live.append(held)
        else:
            held.delete()  # signed out or expired: no longer counts
    PersonSession.objects.update_or_create(session_key=key, defaults={"user": user, "ip": client_ip(request)})
    excess = live[: max(0, len(live) + 1 - settings.MAX_SESSIONS_PER_PERSON)]
    for held in excess:
        store(session_key=held.session_key).delete()
        held.delete()
    if excess:
        messages.warning(request, errors.SESSION_ENDED_ELSEWHERE)
    return len(excess)


def person_session_forget(*, session_key: str | None) -> None:
    if session_key:
        PersonSession.objects.filter(session_key=session_key).delete()
