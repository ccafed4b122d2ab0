"""The security pages: the auditor's audit log (search, export), the second factor (verify, enrol),
the password change a sign-in is sent to when the password has expired."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import refuse
from core.security import errors, otp
from core.security.audit import audit_record
from core.security.forms import AuditSearchForm, TokenForm
from core.security.models import AuditKind, PersonSession
from core.security.receivers import OTP_STEP_KEY, PASSWORD_EXPIRED_KEY
from core.security.roles import AUDITOR, has_platform_role
from core.security.selectors import audit_page, cursor_of, parse_cursor
from core.security.xlsx import audit_workbook_response


def _auditor_only(request) -> None:
    if not has_platform_role(request.user, AUDITOR):
        refuse(request, union=None, reason="audit log: auditors only", status=403)


@login_required
def audit_log(request):
    """The audit log, for the auditor only; each search (and each page of it) is itself logged."""
    _auditor_only(request)
    form = AuditSearchForm(request.GET or None)
    filters = form.filters()
    after = parse_cursor(request.GET.get("after"))
    rows, more = audit_page(filters=filters, after=after)
    audit_record(
        kind=AuditKind.AUDIT_READ,
        request=request,
        object="audit log",
        detail={"filters": form.described(), "page_after": request.GET.get("after", "")[:60]},
    )
    query = request.GET.copy()
    query.pop("after", None)
    next_query = None
    if more:
        query["after"] = cursor_of(rows[-1])
        next_query = query.urlencode()
        query.pop("after")
    return render(
        request,
        "security/audit_log.html",
        {"form": form, "rows": rows, "next_query": next_query, "export_query": query.urlencode()},
    )


@login_required
def audit_export(request):
    """The search as .xlsx (at most AUDIT_EXPORT_MAX_ROWS rows); the export is logged."""
    _auditor_only(request)
    form = AuditSearchForm(request.GET or None)
    audit_record(
        kind=AuditKind.AUDIT_READ,
        request=request,
        object="audit log export",
        detail={"filters": form.described(), "export": "xlsx"},
    )
    return audit_workbook_response(filters=form.filters())


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    device = otp.confirmed_device(request.user)
    if device is None:
        return redirect("security:otp_enrol")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        django_otp.login(request, device)
        request.session.pop(OTP_STEP_KEY, None)
        audit_record(kind=AuditKind.SIGN_IN, request=request, detail={"second_factor": "totp"})
        return redirect(_next_url(request))
    return render(request, "security/otp_verify.html", {"form": form, "message": errors.OTP_REQUIRED})


@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    """Add an authenticator app: its otpauth link as a QR code, confirmed by one code. A session that has
    not given the code of a device already confirmed goes to verify instead (no second enrolment
    around the first)."""
    user = request.user
    if otp.confirmed_device(user) is not None and not user.is_verified():
        return redirect("security:otp_verify")
    device = otp.pending_device(request)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp.device_confirm(request=request, device=device)
        django_otp.login(request, device)
        request.session.pop(OTP_STEP_KEY, None)
        audit_record(kind=AuditKind.ADMIN_ACTION, request=request, object="second factor enrolled")
        messages.success(request, _("Your authenticator app is set up."))
        return redirect(_next_url(request))
    return render(
        request,
        "security/otp_enrol.html",
        {
            "form": form,
            "qr": otp.device_qr_svg(device),
            "uri": device.config_url,
            "required": request.session.get(OTP_STEP_KEY) == otp.ENROL,
            "message": errors.OTP_ENROL_REQUIRED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        old_key = request.session.session_key
        form.save()
        update_session_auth_hash(request, form.user)  # keeps this session, ends the others' hash
        PersonSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)
        request.session.pop(PASSWORD_EXPIRED_KEY, None)
        messages.success(request, _("Your password has been changed."))
        return redirect(_next_url(request))
    from django.conf import settings

    expired = bool(request.session.get(PASSWORD_EXPIRED_KEY))
    return render(
        request,
        "security/password_change.html",
        {"form": form, "expired": expired, "max_age_days": settings.PASSWORD_MAX_AGE_DAYS},
    )
