"""Local passwords switched off for everyone but the break-glass administrators (LOCAL_PASSWORD_LOGIN=
break_glass, issue 31); members keep signing in with their member number. And the settings that turn it
on: refused at start-up when nobody could sign in."""

from __future__ import annotations

import importlib
from html import escape

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config import settings_sso
from core.models import Role
from core.sso import errors
from tests.factories import UserFactory, seated
from workflows.members.models import Member

pytestmark = pytest.mark.django_db

BASE_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "workflows.memberpages.backends.MemberNumberBackend",
    "guardian.backends.ObjectPermissionBackend",
]


@pytest.fixture
def break_glass(settings):
    settings.LOCAL_PASSWORD_LOGIN = "break_glass"
    settings.BREAK_GLASS_USERNAMES = ["rescue-admin"]
    settings.AUTHENTICATION_BACKENDS = [
        settings.SSO_PASSWORD_BACKEND if b == "django.contrib.auth.backends.ModelBackend" else b
        for b in settings.AUTHENTICATION_BACKENDS
    ]


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_an_officers_password_is_refused_with_a_clear_message(tree, client, break_glass, password):
    chair = seated(tree["a1"], Role.CHAIR, "union_committee", username="a1-chair")
    response = sign_in(client, chair.username, password)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert escape(str(errors.LOCAL_PASSWORD_OFF)) in response.content.decode()


def test_the_break_glass_administrator_signs_in_with_a_password(client, break_glass, password):
    admin = UserFactory(username="rescue-admin", is_staff=True, is_superuser=True)
    response = sign_in(client, "rescue-admin", password)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin.pk)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_sign_in_refuses_the_others_too(client, break_glass, password):
    UserFactory(username="other-admin", is_staff=True, is_superuser=True)
    client.post(reverse("admin:login"), {"username": "other-admin", "password": password})
    assert "_auth_user_id" not in client.session


def test_members_still_sign_in_with_their_member_number(tree, client, break_glass, password):
    account = UserFactory()
    Member.objects.create(
        union=tree["a1"], person=account, name="会员甲", member_number="M777001", joined_on="2020-01-01"
    )
    response = sign_in(client, "M777001", password)
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(account.pk)


def test_a_member_who_holds_a_seat_cannot_use_the_member_number_to_bypass_it(
    tree, client, break_glass, password
):
    # the member-number sign-in opens the members' pages, not an officer's seat with a local password
    officer = seated(tree["a1"], Role.OFFICE_STAFF, username="a1-office")
    Member.objects.create(
        union=tree["a1"], person=officer, name="会员乙", member_number="M777002", joined_on="2020-01-01"
    )
    response = sign_in(client, "M777002", password)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_with_passwords_on_an_officer_signs_in_as_before(tree, client, password):
    chair = seated(tree["a1"], Role.CHAIR, "union_committee", username="a1-chair")
    assert sign_in(client, chair.username, password).status_code == 302
    page = client.get(reverse("login"), follow=True).content.decode()
    assert 'data-testid="local-password-off"' not in page


# --- the settings (config/settings_sso.py) ----------------------------------------------------------


@pytest.fixture
def sso_env(monkeypatch):
    """Reload config/settings_sso.py under an environment; put it back as it was afterwards."""
    names = (
        "OIDC_OP_AUTHORIZATION_ENDPOINT",
        "LOCAL_PASSWORD_LOGIN",
        "BREAK_GLASS_USERNAMES",
        "OIDC_MATCH_CLAIM",
    )
    for name in names:
        monkeypatch.delenv(name, raising=False)

    def load(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return importlib.reload(settings_sso)

    yield load
    monkeypatch.undo()
    importlib.reload(settings_sso)


PROVIDER = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://sso.organ.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://sso.organ.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://sso.organ.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://sso.organ.example/jwks",
    "OIDC_RP_CLIENT_ID": "wuyi",
    "OIDC_RP_CLIENT_SECRET": "s3cret",
}


def test_without_a_provider_the_backends_are_left_as_they_are(sso_env):
    module = sso_env()
    assert not module.SSO_ENABLED
    assert module.sso_authentication_backends(BASE_BACKENDS) == BASE_BACKENDS
    assert not hasattr(module, "LOGOUT_REDIRECT_URL")


def test_a_provider_adds_its_backend_and_break_glass_swaps_the_password_backend(sso_env):
    module = sso_env(
        **PROVIDER,
        OIDC_OP_LOGOUT_ENDPOINT="https://sso.organ.example/logout",
        LOCAL_PASSWORD_LOGIN="break_glass",
        BREAK_GLASS_USERNAMES="rescue-admin",
    )
    assert module.sso_authentication_backends(BASE_BACKENDS) == [
        "axes.backends.AxesStandaloneBackend",
        "core.sso.backends.LocalPasswordBackend",
        "workflows.memberpages.backends.MemberNumberBackend",
        "guardian.backends.ObjectPermissionBackend",
        "core.sso.backends.OrganOIDCBackend",
    ]
    assert module.LOGOUT_REDIRECT_URL == "sso:signed_out" and module.OIDC_CREATE_USER is False


@pytest.mark.parametrize(
    "env, names",
    [
        ({"LOCAL_PASSWORD_LOGIN": "break_glass", "BREAK_GLASS_USERNAMES": "rescue"}, "single sign-on"),
        ({**PROVIDER, "LOCAL_PASSWORD_LOGIN": "break_glass"}, "BREAK_GLASS_USERNAMES"),
        ({"OIDC_OP_AUTHORIZATION_ENDPOINT": "https://sso.organ.example/authorize"}, "OIDC_OP_TOKEN_ENDPOINT"),
        ({**PROVIDER, "OIDC_MATCH_CLAIM": "username"}, "OIDC_MATCH_CLAIM"),
        ({"LOCAL_PASSWORD_LOGIN": "off"}, "LOCAL_PASSWORD_LOGIN"),
    ],
)
def test_settings_that_would_lock_everyone_out_or_cannot_work_stop_start_up(sso_env, env, names):
    with pytest.raises(ImproperlyConfigured, match=names):
        sso_env(**env)
