"""Receivers: the audit log's writers (sign-in, failures, sign-out, the admin's actions), the password
history, and what a session signed in with a password must do next (second factor, expired password)."""

from __future__ import annotations

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from core.security import otp
from core.security.audit import audit_record
from core.security.models import AuditKind
from core.security.passwords import password_expired, password_history_record
from core.security.sessions import person_session_forget, person_session_register

User = get_user_model()

PASSWORD_SIGNIN_KEY = "wuyi_password_signin"
PASSWORD_EXPIRED_KEY = "wuyi_password_expired"
OTP_STEP_KEY = "wuyi_otp_step"
# the single sign-on's backends (core.sso): the organ's identity provider keeps that password
SSO_BACKEND_PREFIX = "core.sso"


def _signed_in_through_a_page(request) -> bool:
    """A real sign-in request (the form, the member number page, the SSO callback), not the test
    client's login()/force_login(), whose bare HttpRequest has no method."""
    return request is not None and bool(getattr(request, "method", None)) and hasattr(request, "session")


@receiver(user_logged_in, dispatch_uid="security-signed-in")
def signed_in(sender, request, user, **kwargs) -> None:
    backend = getattr(user, "backend", "") or ""
    audit_record(kind=AuditKind.SIGN_IN, actor=user, request=request, detail={"backend": backend})
    if not _signed_in_through_a_page(request):
        return
    person_session_register(request=request, user=user)
    if request.session.get(BACKEND_SESSION_KEY, backend).startswith(SSO_BACKEND_PREFIX):
        return
    request.session[PASSWORD_SIGNIN_KEY] = True
    step = otp.otp_step(user)
    if step:
        request.session[OTP_STEP_KEY] = step
    if password_expired(user):
        request.session[PASSWORD_EXPIRED_KEY] = True


@receiver(user_login_failed, dispatch_uid="security-sign-in-failed")
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    known = User.objects.filter(username=username).first() if username else None
    audit_record(
        kind=AuditKind.SIGN_IN_FAILED,
        actor=known,
        request=request,
        actor_name="" if known else "—",
        detail={"username": username},
    )


@receiver(user_logged_out, dispatch_uid="security-signed-out")
def signed_out(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    audit_record(kind=AuditKind.SIGN_OUT, actor=user, request=request)
    if request is not None and hasattr(request, "session"):
        person_session_forget(session_key=request.session.session_key)


@receiver(post_save, sender=User, dispatch_uid="security-password-history")
def password_saved(sender, instance, created: bool, **kwargs) -> None:
    # set_password() keeps the raw password until save() has run its validators' password_changed
    raw = getattr(instance, "_password", None)
    if raw is not None:
        password_history_record(user=instance, raw_password=raw)
