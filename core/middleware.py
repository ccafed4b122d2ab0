"""Idle session timeout: a session unused for SESSION_IDLE_TIMEOUT seconds ends."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "wuyi_last_seen"
# Refresh the stamp at most once a minute so that most requests do not write the session.
TOUCH_INTERVAL = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(request, _("You were signed out after a period of inactivity."))
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen > TOUCH_INTERVAL:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
