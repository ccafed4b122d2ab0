"""The person's page of personal access tokens (issue 32): created with the secret shown once, listed,
revoked; a bad form keeps what was typed; another person's token cannot be revoked (404)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from api.models import PersonalAccessToken
from tests.api.helpers import error

pytestmark = pytest.mark.django_db


def test_a_token_is_created_shown_once_and_works_until_revoked(cast, client):
    client.force_login(cast.office)
    page = client.post(reverse("api_pages:tokens"), {"name": "月报脚本", "days": "30"})
    assert page.status_code == 200
    token = PersonalAccessToken.objects.get(user=cast.office)
    secret = page.context["created"]
    assert secret.startswith("wuyi_") and secret in page.content.decode()
    assert token.token_hash != secret and secret not in token.token_hash  # hashed at rest
    # shown once: the list afterwards names it, never shows the secret again
    again = client.get(reverse("api_pages:tokens")).content.decode()
    assert "月报脚本" in again and secret not in again

    api = client.__class__(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get(reverse("api:inbox")).status_code == 200

    revoked = client.post(reverse("api_pages:revoke", args=[token.pk]))
    assert revoked.status_code == 302
    assert error(api.get(reverse("api:inbox")))["status"] == 401


def test_a_bad_form_keeps_the_name_typed_and_says_why(cast, client):
    client.force_login(cast.office)
    page = client.post(reverse("api_pages:tokens"), {"name": "对接OA", "days": "9999"})
    assert page.status_code == 400
    assert 'value="对接OA"' in page.content.decode()
    assert not PersonalAccessToken.objects.exists()


def test_another_persons_token_cannot_be_revoked(cast, client):
    client.force_login(cast.office)
    client.post(reverse("api_pages:tokens"), {"name": "mine", "days": "30"})
    token = PersonalAccessToken.objects.get(user=cast.office)
    client.force_login(cast.chair)
    assert client.post(reverse("api_pages:revoke", args=[token.pk])).status_code == 404
    assert "mine" not in client.get(reverse("api_pages:tokens")).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("api_pages:tokens"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
