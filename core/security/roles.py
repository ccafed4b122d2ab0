"""The three platform administrators (三员分立): who holds which role, and granting one.

System administrator: unions, bodies, the settings-like tables, the people sync. Security
administrator: accounts, lockouts, password history, sessions, second factors. Auditor: the audit log,
read only. They are platform roles only; chairs and office staff keep managing their own union's seats.
One role per account (PlatformRole.user is one-to-one); the superuser is for installation and holds none.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from core.security import errors
from core.security.models import AuditKind, PlatformRole, PlatformRoleKind

SYSTEM = PlatformRoleKind.SYSTEM
SECURITY = PlatformRoleKind.SECURITY
AUDITOR = PlatformRoleKind.AUDITOR

GROUP_NAMES = {
    SYSTEM: "platform: system administrator",
    SECURITY: "platform: security administrator",
    AUDITOR: "platform: auditor",
}

_VIEW_CHANGE = ("view", "change")
_MANAGE = ("view", "add", "change", "delete")
# Each role's model permissions, as (app_label, model, actions); a model not installed is skipped, and
# a codename (app_label, codename) not yet migrated (the sso app's) is picked up at the next grant.
ROLE_MODEL_PERMISSIONS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    SYSTEM: [
        ("core", "union", ("view", "add", "change")),
        ("core", "body", _MANAGE),
        ("core", "calendaryear", _MANAGE),
        ("core", "calendarday", _MANAGE),
        ("core", "obligationrule", _MANAGE),
        ("notifications", "reminderrule", _MANAGE),
        ("notifications", "webhookallowedhost", _MANAGE),
        ("memberpages", "memberpagesrule", _MANAGE),
        ("contacts", "contactcadence", _MANAGE),
        ("dues", "duesrule", _MANAGE),
        ("budget_adjustment", "adjustmentrule", _MANAGE),
        ("expenditure", "expenditurerule", _MANAGE),
        ("expenditure", "spendingstandard", _MANAGE),
        ("workflows", "stepduration", _MANAGE),
    ],
    SECURITY: [
        ("core", "user", ("view", "add", "change")),
        ("axes", "accessattempt", ("view", "delete")),
        ("axes", "accesslog", ("view",)),
        ("axes", "accessfailurelog", ("view",)),
        ("otp_totp", "totpdevice", _MANAGE),
        ("security", "platformrole", ("view", "add", "delete")),
        ("security", "passwordhistory", ("view",)),
        ("security", "personsession", ("view", "delete")),
    ],
    AUDITOR: [("security", "auditentry", ("view",))],
}
ROLE_CODENAMES: dict[str, list[tuple[str, str]]] = {
    SYSTEM: [("sso", "run_people_sync")],
    SECURITY: [],
    AUDITOR: [],
}


def platform_role(user) -> str | None:
    """The account's platform role, or None. Cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_wuyi_platform_role"):
        user._wuyi_platform_role = (
            PlatformRole.objects.filter(user_id=user.pk).values_list("role", flat=True).first()
        )
    return user._wuyi_platform_role


def has_platform_role(user, role: str) -> bool:
    return platform_role(user) == role


def _role_permissions(role: str) -> list[Permission]:
    wanted = Q(pk__in=[])
    for app_label, model, actions in ROLE_MODEL_PERMISSIONS[role]:
        codenames = [f"{action}_{model}" for action in actions]
        wanted |= Q(content_type__app_label=app_label, content_type__model=model, codename__in=codenames)
    for app_label, codename in ROLE_CODENAMES[role]:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(wanted))


def platform_groups_sync() -> dict[str, Group]:
    """Each role's group with exactly that role's permissions (idempotent)."""
    groups = {}
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(_role_permissions(role))
        groups[role] = group
    return groups


def _may_grant(actor) -> bool:
    """The installation (no actor: manage.py grant_platform_role), the superuser, or a security
    administrator."""
    if actor is None:
        return True
    return actor.is_superuser or has_platform_role(actor, SECURITY)


@transaction.atomic
def platform_role_grant(*, actor, user, role: str) -> PlatformRole:
    """Make ``user`` a platform administrator of ``role``: the role's group (its exact permissions) and
    staff status for the admin, which is their console."""
    from core.security.audit import audit_record

    if role not in PlatformRoleKind.values:
        raise ValidationError(errors.ROLE_UNKNOWN, params={"role": role})
    if not _may_grant(actor):
        raise ValidationError(errors.ROLE_GRANT_FORBIDDEN)
    if user.is_superuser:
        raise ValidationError(errors.ROLE_SUPERUSER)
    held = PlatformRole.objects.select_for_update().filter(user=user).first()
    if held is not None:
        raise ValidationError(errors.ROLE_ALREADY_HELD, params={"role": held.get_role_display()})
    groups = platform_groups_sync()
    granted = PlatformRole(user=user, role=role, granted_by=actor)
    granted.full_clean()
    granted.save()
    user.groups.remove(*groups.values())
    user.groups.add(groups[role])
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_wuyi_platform_role", None)
    audit_record(
        kind=AuditKind.ADMIN_ACTION,
        actor=actor,
        object=f"platform role: {user}",
        detail={"action": "grant", "role": role, "user_id": user.pk},
    )
    return granted


@transaction.atomic
def platform_role_revoke(*, actor, user) -> None:
    """Take the platform role away: the group and staff status go with it."""
    from core.security.audit import audit_record

    if not _may_grant(actor):
        raise ValidationError(errors.ROLE_GRANT_FORBIDDEN)
    held = PlatformRole.objects.select_for_update().filter(user=user).first()
    if held is None:
        return
    held.delete()
    user.groups.remove(*Group.objects.filter(name__in=GROUP_NAMES.values()))
    if user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_wuyi_platform_role", None)
    audit_record(
        kind=AuditKind.ADMIN_ACTION,
        actor=actor,
        object=f"platform role: {user}",
        detail={"action": "revoke", "role": held.role, "user_id": user.pk},
    )
