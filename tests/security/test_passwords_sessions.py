"""Passwords (expiry, no reuse of the last five) and at most three sessions per person."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import BACKEND_SESSION_KEY, login
from django.contrib.auth.password_validation import validate_password
from django.contrib.messages import get_messages
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.security.models import PasswordHistory, PersonSession
from core.security.receivers import PASSWORD_EXPIRED_KEY
from tests.factories import UserFactory
from tests.security.conftest import sign_in

pytestmark = pytest.mark.django_db
NEW = "Brand-new-password-2027"


@pytest.fixture
def fast_hashes(settings):
    """What is kept and compared does not depend on the hasher; PBKDF2's cost would only slow the test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_every_password_change_is_kept_in_the_history(fast_hashes):
    person = UserFactory()
    for n in range(3):
        person.set_password(f"Password-number-{n}-x")
        person.save()
    assert PasswordHistory.objects.filter(user=person).count() == 3


def test_the_last_five_passwords_cannot_be_used_again(fast_hashes):
    person = UserFactory()
    for n in range(6):
        person.set_password(f"Password-number-{n}-x")
        person.save()
    for n in range(1, 6):
        with pytest.raises(ValidationError) as refused:
            validate_password(f"Password-number-{n}-x", person)
        assert "最近" in refused.value.messages[0] or "last 5" in refused.value.messages[0]
    validate_password("Password-number-0-x", person)  # the sixth back is allowed again


def test_an_expired_password_sends_a_form_sign_in_to_the_change_page_until_changed(client, password):
    person = UserFactory(username="old-pw")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=91), tick=False):
        response = sign_in(client, "old-pw", password)
        assert response.status_code == 302
        page = client.get("/")
        assert page.status_code == 302 and page["Location"] == reverse("security:password_change")
        form = client.get(page["Location"])
        assert form.status_code == 200 and 'data-testid="password-expired"' in form.content.decode()
        # the old password again is refused
        again = client.post(
            reverse("security:password_change"),
            {"old_password": password, "new_password1": password, "new_password2": password},
        )
        assert again.status_code == 200 and client.get("/").status_code == 302
        done = client.post(
            reverse("security:password_change"),
            {"old_password": password, "new_password1": NEW, "new_password2": NEW},
        )
        assert done.status_code == 302
        assert client.get("/").status_code == 200
    assert PasswordHistory.objects.filter(user=person).count() == 1


def test_force_login_and_single_sign_on_sessions_are_not_sent_to_change_passwords(client):
    """Tests move the clock years ahead and sign in with force_login; the organ's identity provider
    keeps an SSO person's password. Neither session is a sign-in with a Wuyi password."""
    person = UserFactory(date_joined=timezone.now() - datetime.timedelta(days=400))
    client.force_login(person)
    assert client.get("/").status_code == 200
    request = RequestFactory().get("/oidc/callback/")
    request.session = SessionStore()
    login(request, person, backend="core.sso.backends.OrganOIDCBackend")
    assert request.session[BACKEND_SESSION_KEY].startswith("core.sso")
    assert PASSWORD_EXPIRED_KEY not in request.session


def test_a_fourth_session_ends_the_oldest_and_says_so(password):
    UserFactory(username="busy")
    clients = [Client() for _ in range(4)]
    for browser in clients[:3]:
        assert sign_in(browser, "busy", password).status_code == 302
    assert all(browser.get("/").status_code == 200 for browser in clients[:3])
    sign_in(clients[3], "busy", password)
    fourth = clients[3].get("/")
    assert fourth.status_code == 200
    told = [str(m) for m in get_messages(fourth.wsgi_request)]
    assert told == ["您在其他设备上的最早一次登录已结束"]
    assert clients[0].get("/").status_code == 302  # signed out
    assert all(browser.get("/").status_code == 200 for browser in clients[1:])
    assert PersonSession.objects.filter(user__username="busy").count() == 3


def test_signing_out_frees_a_session(password):
    UserFactory(username="tidy")
    first = Client()
    sign_in(first, "tidy", password)
    first.post(reverse("logout"))
    for _ in range(3):
        sign_in(Client(), "tidy", password)
    assert PersonSession.objects.filter(user__username="tidy").count() == 3
