"""Demo data: the three platform administrators (三员分立), one role each, with the demo password."""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction

from core import demo_seeders
from core.demo import DEMO_PASSWORD
from core.models import User
from core.security.models import PlatformRole
from core.security.roles import AUDITOR, SECURITY, SYSTEM, platform_groups_sync, platform_role_grant

ADMINISTRATORS = (
    ("sys-admin", "平台系统管理员", SYSTEM),
    ("sec-admin", "平台安全管理员", SECURITY),
    ("auditor", "平台安全审计员", AUDITOR),
)


@transaction.atomic
def seed_demo_platform_administrators(*, write=print) -> None:
    password_hash = make_password(DEMO_PASSWORD)
    platform_groups_sync()  # picks up permissions of apps migrated since (the people sync's)
    for username, full_name, role in ADMINISTRATORS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(username=username, full_name=full_name, password=password_hash)
        if not PlatformRole.objects.filter(user=user).exists():
            platform_role_grant(actor=None, user=user, role=role)
    names = ", ".join(name for name, _n, _r in ADMINISTRATORS)
    write(f"Platform administrators (三员分立, /admin/, the demo password): {names}")


demo_seeders.register("platform administrators", seed_demo_platform_administrators, order=12)
