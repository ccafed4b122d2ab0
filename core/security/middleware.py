"""The security gate, after authentication and messages in MIDDLEWARE.

- Every request by the installation account (superuser) is an audit entry shown to the auditor.
- Every admin POST is followed by an audit entry per admin log row it wrote (bulk actions included).
- A session signed in with a password first gives its second factor (or enrols one, where level
  three requires it), then changes an expired password; until then every page sends it there.
  Sessions of the single sign-on and of the test client's force_login carry no such step
  (core.security.receivers).
"""

from __future__ import annotations

from django.contrib.admin.models import LogEntry
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from core.security import otp
from core.security.audit import audit_record, client_ip
from core.security.models import AuditEntry, AuditKind
from core.security.receivers import OTP_STEP_KEY, PASSWORD_EXPIRED_KEY

# what an unfinished sign-in may still reach: the gate's own pages, signing out, the language switch
OPEN_PREFIXES = ("/platform/otp/", "/platform/password/", "/accounts/logout/", "/i18n/", "/static/")


class SecurityGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if user.is_superuser:
            audit_record(kind=AuditKind.SUPERUSER_USE, request=request, detail={"method": request.method})
        detour = self._detour(request, user)
        if detour is not None:
            return detour
        started = timezone.now()
        response = self.get_response(request)
        if request.method == "POST" and user.is_staff and request.path.startswith(reverse("admin:index")):
            _admin_actions_record(request, user, since=started)
        return response

    def _detour(self, request, user):
        session = request.session
        step = session.get(OTP_STEP_KEY)
        expired = session.get(PASSWORD_EXPIRED_KEY)
        if not step and not expired:
            return None
        if step and user.is_verified():
            session.pop(OTP_STEP_KEY, None)
            step = None
        if request.path.startswith(OPEN_PREFIXES):
            return None
        if step == otp.ENROL:
            return redirect("security:otp_enrol")
        if step:
            return redirect("security:otp_verify")
        if expired:
            return redirect("security:password_change")
        return None


def _admin_actions_record(request, user, *, since) -> None:
    """One audit entry per admin log row this request wrote: the admin's own log is not append-only and a
    bulk action writes its rows without signals."""
    entries = [
        AuditEntry(
            kind=AuditKind.ADMIN_ACTION,
            actor_id=user.pk,
            actor_name=str(user)[:200],
            ip=client_ip(request),
            path=request.path[:300],
            object=f"{row.content_type.app_label}.{row.content_type.model}:{row.object_id or ''} "
            f"{row.object_repr}"[:300],
            detail={
                "action": {1: "add", 2: "change", 3: "delete"}.get(row.action_flag, row.action_flag),
                "change": row.get_change_message()[:1000],
            },
        )
        for row in LogEntry.objects.filter(user_id=user.pk, action_time__gte=since).select_related(
            "content_type"
        )
    ]
    if entries:
        AuditEntry.objects.bulk_create(entries)
