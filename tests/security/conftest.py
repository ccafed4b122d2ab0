from __future__ import annotations

import pytest
from django.urls import reverse

from core.security.roles import AUDITOR, SECURITY, SYSTEM, platform_role_grant
from tests.factories import UserFactory


def sign_in(client, username: str, password: str, ip: str = "198.51.100.9"):
    """Through the sign-in form, as a person does (not force_login)."""
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def administrators(db):
    """The three platform administrators, granted at installation (三员分立)."""
    people = {}
    for role, name in ((SYSTEM, "sys"), (SECURITY, "sec"), (AUDITOR, "aud")):
        person = UserFactory(username=f"{name}-admin", full_name=f"{name}管理员")
        platform_role_grant(actor=None, user=person, role=role)
        people[role] = person
    return people


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", full_name="安装账号", is_superuser=True, is_staff=True)
