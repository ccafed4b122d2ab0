"""Sign-in through the organ's OpenID Connect provider (issue 31), against a real provider the suite starts
on 127.0.0.1 (tests/sso/provider): every redirect is followed as a browser would. People are matched by a
claim to exactly one active person already in Wuyi; nobody is created, nothing about rights changes."""

from __future__ import annotations

from html import escape
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from core.models import Event, Role, UnionUserObjectPermission, User
from core.sso import errors
from tests.factories import UserFactory, seated
from tests.sso.conftest import CLIENT_ID, sso_sign_in

pytestmark = pytest.mark.django_db


def signed_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def grants(person) -> set:
    return set(
        UnionUserObjectPermission.objects.filter(user=person).values_list(
            "permission_id", "content_object_id"
        )
    )


def shows(response, message) -> bool:
    return escape(str(message)) in response.content.decode()


def test_sign_in_matches_the_existing_person_by_employee_number(tree, client, sso_on):
    # given the chair of a1, whose rights come from their seat
    chair = seated(tree["a1"], Role.CHAIR, "union_committee", employee_number="E1001", full_name="张三")
    before, people = grants(chair), User.objects.count()
    # when they sign in through the provider
    response = sso_sign_in(client, sso_on, "zhang")
    # then they are signed in as themselves, and nothing else changed
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert signed_in_as(client) == chair.pk
    assert User.objects.count() == people
    chair.refresh_from_db()
    assert (chair.is_staff, chair.is_superuser, chair.groups.count(), chair.user_permissions.count()) == (
        False,
        False,
        0,
        0,
    )
    assert grants(chair) == before and before
    assert chair.full_name == "张三" and chair.email == ""  # the provider's claims are not copied in
    assert Event.objects.filter(verb="login", actor=chair).exists()
    assert client.get(reverse("home")).status_code == 200


def test_sign_in_returns_to_the_page_asked_for(tree, client, sso_on):
    seated(tree["a1"], Role.OFFICE_STAFF, employee_number="E1001")
    response = sso_sign_in(client, sso_on, "zhang", next_url="/work/")
    assert response["Location"] == "/work/"


def test_sign_in_by_email_when_the_match_claim_is_email(tree, client, settings, sso_on):
    settings.OIDC_MATCH_CLAIM = settings.OIDC_MATCH_CLAIM_NAME = "email"
    # the provider says Wang@Organ.example; Wuyi holds it in lower case, without an employee number
    person = seated(tree["a1"], Role.OFFICE_STAFF, email="wang@organ.example")
    response = sso_sign_in(client, sso_on, "wang")
    assert response.status_code == 302
    assert signed_in_as(client) == person.pk


def test_sign_in_by_phone_compares_the_number_not_its_spelling(tree, client, settings, sso_on):
    settings.OIDC_MATCH_CLAIM, settings.OIDC_MATCH_CLAIM_NAME = "phone", "phone_number"
    person = seated(tree["a1"], Role.OFFICE_STAFF, phone="13800000003")  # the provider: +86 138-0000-0003
    sso_sign_in(client, sso_on, "wang")
    assert signed_in_as(client) == person.pk


def test_an_unknown_subject_is_refused_and_nobody_is_created(tree, client, sso_on):
    seated(tree["a1"], Role.CHAIR, "union_committee", employee_number="E1001")
    people = User.objects.count()
    response = sso_sign_in(client, sso_on, "stranger")
    assert response.status_code == 403 and shows(response, errors.SSO_UNKNOWN_PERSON)
    assert signed_in_as(client) is None
    assert User.objects.count() == people
    assert not User.objects.filter(employee_number="E9999").exists()


def test_a_disabled_person_is_refused(tree, client, sso_on):
    person = seated(tree["a1"], Role.CHAIR, "union_committee", employee_number="E1002")
    person.is_active = False
    person.save()
    response = sso_sign_in(client, sso_on, "li")
    assert response.status_code == 403 and shows(response, errors.SSO_PERSON_DISABLED)
    assert signed_in_as(client) is None


def test_two_active_people_with_the_same_number_are_refused(tree, client, sso_on):
    UserFactory(employee_number="E1001")
    UserFactory(employee_number="E1001")
    response = sso_sign_in(client, sso_on, "zhang")
    assert response.status_code == 403 and shows(response, errors.SSO_SEVERAL_PEOPLE)
    assert signed_in_as(client) is None


def test_a_person_disabled_after_signing_in_loses_the_session(tree, client, sso_on):
    person = seated(tree["a1"], Role.OFFICE_STAFF, employee_number="E1001")
    sso_sign_in(client, sso_on, "zhang")
    User.objects.filter(pk=person.pk).update(is_active=False)
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_sign_out_ends_the_session_and_the_providers(tree, client, settings, sso_on):
    settings.OIDC_OP_LOGOUT_ENDPOINT = sso_on.url("/o/logout/")
    settings.LOGOUT_REDIRECT_URL = "sso:signed_out"
    seated(tree["a1"], Role.OFFICE_STAFF, employee_number="E1001")
    sso_sign_in(client, sso_on, "zhang")
    # when the person signs out of Wuyi (the navigation bar's form)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("sso:signed_out") and signed_in_as(client) is None
    page = client.get(response["Location"])
    # then the page sends them on to the provider's end-session endpoint, with the ID token as the hint
    target = page.context["target"]
    query = parse_qs(urlparse(target).query)
    assert target.startswith(sso_on.url("/o/logout/")) and query["client_id"] == [CLIENT_ID]
    assert query["id_token_hint"] and query["post_logout_redirect_uri"] == [
        "http://testserver/accounts/login/"
    ]
    assert f'content="0; url={escape(target)}"' in page.content.decode()
    # and the provider ends its session too, back to Wuyi's sign-in page
    browser = sso_on.browser("zhang")
    answer = browser.get(target, allow_redirects=False)
    assert answer.status_code == 302 and answer.headers["Location"] == "http://testserver/accounts/login/"
    authorize = client.get(reverse("sso:oidc_authentication_init"))["Location"]
    assert urlparse(browser.get(authorize, allow_redirects=False).headers["Location"]).path == "/login/"


def test_sign_out_of_a_password_session_stays_in_wuyi(tree, client, settings, sso_on, password):
    settings.OIDC_OP_LOGOUT_ENDPOINT = sso_on.url("/o/logout/")
    settings.LOGOUT_REDIRECT_URL = "sso:signed_out"
    person = seated(tree["a1"], Role.OFFICE_STAFF)
    assert (
        client.post(reverse("login"), {"username": person.username, "password": password}).status_code == 302
    )
    page = client.get(client.post(reverse("logout"))["Location"])
    assert page.context["target"] == reverse("login") and not page.context["through_provider"]


def test_the_sign_in_page_offers_single_sign_on_only_when_it_is_set_up(client, settings, sso_on):
    assert 'data-testid="sso-login"' in client.get(reverse("login")).content.decode()
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = ""
    page = client.get(reverse("login")).content.decode()
    assert 'data-testid="sso-login"' not in page and 'name="password"' in page
    assert client.get(reverse("sso:oidc_authentication_init")).status_code == 404
    assert (
        client.get(reverse("sso:oidc_authentication_callback"), {"code": "x", "state": "y"}).status_code
        == 404
    )


def test_a_callback_without_a_sign_in_started_here_is_refused(client, sso_on):
    response = client.get(reverse("sso:oidc_authentication_callback"), {"error": "access_denied"})
    assert response.status_code == 403 and shows(response, errors.SSO_FAILED)
    assert signed_in_as(client) is None
