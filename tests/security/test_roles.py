"""三员分立: three platform administrators, one role per account, each with exactly its permissions; the
Django admin is their console, and the auditor sees only the audit log there, read only."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from core.security import errors
from core.security.models import AuditEntry, AuditKind, PlatformRole
from core.security.roles import (
    AUDITOR,
    GROUP_NAMES,
    SECURITY,
    SYSTEM,
    has_platform_role,
    platform_role,
    platform_role_grant,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def perms(role):
    group = Group.objects.get(name=GROUP_NAMES[role])
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_each_role_group_holds_exactly_its_permissions(administrators):
    assert perms(AUDITOR) == {"security.view_auditentry"}
    security = perms(SECURITY)
    assert {
        "core.change_user",
        "core.view_user",
        "axes.delete_accessattempt",
        "otp_totp.add_totpdevice",
    } <= security
    assert "core.delete_user" not in security and not any(
        p.startswith("security.view_audit") for p in security
    )
    system = perms(SYSTEM)
    assert {"core.change_union", "core.add_body", "core.change_calendarday"} <= system
    assert not any(p.endswith("_user") or "audit" in p for p in system)
    for role, person in administrators.items():
        person.refresh_from_db()
        assert person.is_staff and not person.is_superuser
        assert platform_role(person) == role and has_platform_role(person, role)


def test_no_account_holds_two_platform_roles(administrators):
    with pytest.raises(ValidationError) as refused:
        platform_role_grant(actor=None, user=administrators[AUDITOR], role=SECURITY)
    assert refused.value.messages[0].startswith("该账号已是") or "Revoke" in refused.value.messages[0]
    assert PlatformRole.objects.filter(user=administrators[AUDITOR]).count() == 1


def test_the_installation_account_holds_no_platform_role(superuser):
    with pytest.raises(ValidationError) as refused:
        platform_role_grant(actor=None, user=superuser, role=AUDITOR)
    assert refused.value.messages == [str(errors.ROLE_SUPERUSER)]


def test_only_the_security_administrator_or_the_superuser_grants(administrators, superuser):
    person = UserFactory()
    for actor in (administrators[SYSTEM], administrators[AUDITOR], UserFactory()):
        with pytest.raises(ValidationError) as refused:
            platform_role_grant(actor=actor, user=person, role=AUDITOR)
        assert refused.value.messages == [str(errors.ROLE_GRANT_FORBIDDEN)]
    platform_role_grant(actor=administrators[SECURITY], user=person, role=AUDITOR)
    assert platform_role(person) == AUDITOR
    entry = AuditEntry.objects.filter(kind=AuditKind.ADMIN_ACTION, detail__action="grant").latest("id")
    assert entry.actor_id == administrators[SECURITY].pk and entry.detail["role"] == AUDITOR


def test_grant_platform_role_command_for_installation(capsys):
    UserFactory(username="first-auditor")
    call_command("grant_platform_role", "first-auditor", "auditor")
    assert PlatformRole.objects.get(user__username="first-auditor").role == AUDITOR


def test_auditor_sees_only_the_audit_log_in_the_admin_and_cannot_change_it(client, administrators):
    auditor = administrators[AUDITOR]
    client.force_login(auditor)
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    app_list = index.context["app_list"]
    assert [(a["app_label"], [m["object_name"] for m in a["models"]]) for a in app_list] == [
        ("security", ["AuditEntry"])
    ]
    entry = AuditEntry.objects.create(kind=AuditKind.EVENT, object="x")
    assert client.get(reverse("admin:security_auditentry_changelist")).status_code == 200
    assert AuditEntry.objects.filter(kind=AuditKind.AUDIT_READ, actor=auditor).exists()
    # read only: no add, no change, no delete
    assert client.get(reverse("admin:security_auditentry_add")).status_code == 403
    assert (
        client.post(reverse("admin:security_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:core_user_changelist")).status_code == 403
    assert client.get(reverse("admin:core_union_changelist")).status_code == 403


def test_nobody_but_the_auditor_reads_the_audit_log_in_the_admin(client, administrators, superuser):
    for person in (administrators[SYSTEM], administrators[SECURITY], superuser):
        client.force_login(person)
        assert client.get(reverse("admin:security_auditentry_changelist")).status_code == 403, person


def test_security_administrator_cannot_raise_privileges_or_touch_administrators(client, administrators):
    security = administrators[SECURITY]
    person = UserFactory(full_name="普通人员")
    client.force_login(security)
    page = client.get(reverse("admin:core_user_change", args=[person.pk]))
    assert page.status_code == 200
    assert "is_superuser" in page.context["adminform"].readonly_fields
    # not their own account, nor another administrator's (the auditor's password stays the auditor's)
    for other in (security, administrators[AUDITOR]):
        assert client.post(reverse("admin:core_user_change", args=[other.pk]), {}).status_code == 403


def test_security_administrator_grants_through_the_admin_and_it_is_audited(client, administrators):
    person = UserFactory(full_name="新审计员")
    client.force_login(administrators[SECURITY])
    response = client.post(reverse("admin:security_platformrole_add"), {"user": person.pk, "role": "system"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert platform_role(person) == SYSTEM
    assert AuditEntry.objects.filter(kind=AuditKind.ADMIN_ACTION, path__startswith="/admin/").exists()


def test_the_demo_has_the_three_administrators_one_role_each():
    from core.security.demo import seed_demo_platform_administrators

    seed_demo_platform_administrators(write=lambda line: None)
    seed_demo_platform_administrators(write=lambda line: None)  # idempotent
    held = dict(PlatformRole.objects.values_list("user__username", "role"))
    assert held == {"sys-admin": SYSTEM, "sec-admin": SECURITY, "auditor": AUDITOR}
