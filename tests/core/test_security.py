"""Sign-in throttling, idle timeout and password policy (issue 3)."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from core.models import Event
from tests.factories import UserFactory


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_even_for_the_right_password(client, password):
    UserFactory(username="target")
    for _ in range(3):
        client.post(reverse("login"), {"username": "target", "password": "wrong-password"})
    response = client.post(reverse("login"), {"username": "target", "password": password})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert Event.objects.filter(verb="login_locked_out", detail__username="target").exists()


def sign_in(client, username: str, password: str, ip: str):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_one_address_trying_one_password_on_many_usernames_is_locked_out(client, settings, password):
    """Password spraying: every username is new, so no username and IP pair reaches the limit; the
    address does, and is refused next even with the right password of yet another account."""
    limit = settings.AXES_FAILURE_LIMIT
    for i in range(limit):
        UserFactory(username=f"sprayed{i}")
        response = sign_in(client, f"sprayed{i}", "Spring-2026-guess", ip="203.0.113.7")
        # the form again, until the failure that reaches the limit locks the address
        assert response.status_code == (429 if i == limit - 1 else 200) and not signed_in(client), i
    UserFactory(username="next-victim")
    response = sign_in(client, "next-victim", password, ip="203.0.113.7")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert not signed_in(client)
    assert Event.objects.filter(verb="login_locked_out", detail__username="next-victim").exists()
    # the account itself is not locked: its owner signs in from another address
    response = sign_in(client, "next-victim", password, ip="198.51.100.20")
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_one_username_tried_from_many_addresses_is_locked_from_a_new_address(client, settings, password):
    """One account tried from a botnet: no address reaches the limit; the username does."""
    limit = settings.AXES_FAILURE_LIMIT
    UserFactory(username="target")
    for i in range(limit):
        response = sign_in(client, "target", f"guess-{i}", ip=f"198.51.100.{i + 1}")
        assert response.status_code == (429 if i == limit - 1 else 200) and not signed_in(client), i
    response = sign_in(client, "target", password, ip="192.0.2.99")
    assert response.status_code == 429 and not signed_in(client)
    assert Event.objects.filter(verb="login_locked_out", detail__username="target").exists()
    # that new address is not locked for anyone else
    UserFactory(username="colleague")
    response = sign_in(client, "colleague", password, ip="192.0.2.99")
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_signing_in_to_ones_own_account_between_guesses_does_not_reset_the_address(
    client, settings, password
):
    """Spraying with an account of one's own: each successful sign-in clears only that account's
    failures from the address, so the guesses at other usernames still add up to the limit."""
    limit = settings.AXES_FAILURE_LIMIT
    UserFactory(username="insider")
    for i in range(limit):
        UserFactory(username=f"colleague{i}")
        response = sign_in(client, f"colleague{i}", "Spring-2026-guess", ip="203.0.113.9")
        if response.status_code == 429:
            break
        assert sign_in(client, "insider", password, ip="203.0.113.9").status_code == 302
        client.logout()
    assert response.status_code == 429 and i == limit - 1
    assert sign_in(client, "insider", password, ip="203.0.113.9").status_code == 429


@pytest.mark.django_db
def test_a_successful_sign_in_before_the_limit_starts_the_count_again(client, settings, password):
    limit = settings.AXES_FAILURE_LIMIT
    UserFactory(username="forgetful")
    for i in range(limit - 1):
        assert sign_in(client, "forgetful", f"typo-{i}", ip="203.0.113.50").status_code == 200
    assert sign_in(client, "forgetful", password, ip="203.0.113.50").status_code == 302
    client.logout()
    # as many failures again, from the same address: still below the limit for the pair, the
    # address and the username alike
    for i in range(limit - 1):
        assert sign_in(client, "forgetful", f"typo-again-{i}", ip="203.0.113.50").status_code == 200
    response = sign_in(client, "forgetful", password, ip="203.0.113.50")
    assert response.status_code == 302 and signed_in(client)


@pytest.mark.django_db
def test_idle_session_ends_after_the_timeout(client, settings, password):
    user = UserFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT - 60))
        assert client.get(reverse("home")).status_code == 200  # activity keeps it alive
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 1))
        response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("weak", ["12345678901", "password123", "short"])
def test_weak_passwords_are_refused_with_a_chinese_message(weak):
    from django.utils import translation

    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as exc:
            validate_password(weak)
    assert exc.value.messages and all("密码" in message for message in exc.value.messages), exc.value.messages
