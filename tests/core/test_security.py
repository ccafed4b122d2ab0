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
