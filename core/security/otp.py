"""The second factor (等保 2.0 身份鉴别, two factors at level three): django-otp's TOTP devices.

Level two: a person who has confirmed an authenticator app gives its code after the password.
Level three: platform administrators and everyone holding an officer's seat must have one; without it
they enrol before anything else.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from core.models import Role, Seat
from core.security.roles import platform_role

# the seats that act for a union (S5.4 members and congress representatives do not)
OFFICER_ROLES = (
    Role.CHAIR,
    Role.VICE_CHAIR,
    Role.DIRECTOR,
    Role.SECRETARY,
    Role.OFFICE_STAFF,
    Role.FINANCE_OFFICER,
    Role.SUPERVISOR,
)
VERIFY = "verify"
ENROL = "enrol"


def otp_required(user) -> bool:
    if settings.DENGBAO_LEVEL < 3:
        return False
    if user.is_superuser or platform_role(user) is not None:
        return True
    return Seat.objects.in_force().filter(person=user, role__in=OFFICER_ROLES).exists()


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def otp_step(user) -> str | None:
    """What a session signed in with a password must do before anything else: verify a code, enrol an
    authenticator app, or nothing."""
    if confirmed_device(user) is not None:
        return VERIFY
    if otp_required(user):
        return ENROL
    return None


PENDING_KEY = "wuyi_otp_pending_key"


def pending_device(request) -> TOTPDevice:
    """The device being enrolled, unsaved: its secret waits in the session until a code confirms it, so
    showing the page writes nothing."""
    key = request.session.get(PENDING_KEY)
    if not key:
        key = random_hex(20)
        request.session[PENDING_KEY] = key
    return TOTPDevice(user=request.user, name="authenticator", key=key, confirmed=False)


def device_confirm(*, request, device: TOTPDevice) -> TOTPDevice:
    """Keep the confirmed device (the one the person's app now shows codes of)."""
    device.confirmed = True
    device.save()
    request.session.pop(PENDING_KEY, None)
    return device


def device_qr_svg(device: TOTPDevice) -> str:
    """The otpauth link as an inline SVG QR code: segno writes presentation attributes only, no style
    attribute, so the strict CSP holds."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=2, svgclass="otp-qr", lineclass=None, omitsize=True
    )
    return mark_safe(svg)  # segno's own markup of a link Wuyi made
