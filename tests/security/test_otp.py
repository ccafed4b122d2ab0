"""The second factor: optional at level two (asked of whoever has an authenticator app), required at level
three for platform administrators and officers; enrolment with a QR code under the strict CSP."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import Role
from core.security.models import AuditEntry, AuditKind
from tests.factories import UserFactory, seated
from tests.security.conftest import sign_in

pytestmark = pytest.mark.django_db


def code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_level_two_a_person_with_an_app_gives_its_code_after_the_password(client, password):
    person = UserFactory(username="has-app")
    device = TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    sign_in(client, "has-app", password)
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == reverse("security:otp_verify")
    wrong_code = "000000" if code(device) != "000000" else "111111"
    wrong = client.post(reverse("security:otp_verify"), {"token": wrong_code})
    assert wrong.status_code == 200 and client.get("/").status_code == 302
    device.refresh_from_db()
    # a wrong code throttles the device for a moment (django-otp), then the right code passes
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=5), tick=False):
        right = client.post(reverse("security:otp_verify"), {"token": code(device)})
        assert right.status_code == 302
        assert client.get("/").status_code == 200
    assert AuditEntry.objects.filter(kind=AuditKind.SIGN_IN, detail__second_factor="totp").exists()


def test_level_two_without_an_app_nothing_more_is_asked(client, password):
    UserFactory(username="no-app")
    sign_in(client, "no-app", password)
    assert client.get("/").status_code == 200


@pytest.fixture
def level_three(settings):
    settings.DENGBAO_LEVEL = 3


def test_level_three_an_officer_enrols_before_anything_else(client, password, tree, level_three):
    seated(tree["a1"], Role.CHAIR, "union_committee", username="a1-chair-3")
    sign_in(client, "a1-chair-3", password)
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == reverse("security:otp_enrol")
    page = client.get(reverse("security:otp_enrol"))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and "otpauth://totp/" in html
    assert not re.search(r"\sstyle=", html)  # the strict CSP allows no style attribute
    assert not TOTPDevice.objects.exists()  # showing the page writes nothing
    pending = TOTPDevice(key=client.session["wuyi_otp_pending_key"])
    assert client.post(reverse("security:otp_enrol"), {"token": code(pending)}).status_code == 302
    device = TOTPDevice.objects.get(user__username="a1-chair-3")
    assert device.confirmed and client.get("/").status_code == 200


def test_level_three_platform_administrators_need_a_second_factor(
    client, password, administrators, level_three
):
    sign_in(client, "aud-admin", password)
    assert client.get("/platform/audit/")["Location"] == reverse("security:otp_enrol")


def test_level_three_a_member_without_an_officer_seat_is_not_asked(client, password, tree, level_three):
    seated(tree["a1"], Role.REPRESENTATIVE, "congress", username="a1-rep-3")
    sign_in(client, "a1-rep-3", password)
    assert client.get("/").status_code == 200


def test_a_second_enrolment_cannot_go_around_the_first_device(client, password):
    person = UserFactory(username="sneaky")
    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    sign_in(client, "sneaky", password)
    response = client.get(reverse("security:otp_enrol"))
    assert response.status_code == 302 and response["Location"] == reverse("security:otp_verify")
    assert "wuyi_otp_pending_key" not in client.session
