"""Personal access tokens, the one error shape and the rate limit of the API (issue 32)."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import PersonalAccessToken, hash_token
from api.services import token_create, token_revoke
from tests.api.helpers import error, token_client

pytestmark = pytest.mark.django_db
INBOX = "/api/inbox/"


def test_the_token_is_kept_only_as_its_hash_and_authenticates(cast):
    token, raw = token_create(user=cast.chair, name="脚本")
    assert raw.startswith("wuyi_") and token.prefix == raw[:8]
    assert token.token_hash == hash_token(raw) and raw not in str(PersonalAccessToken.objects.values().get())
    assert (token.expires_at - timezone.now()).days in (89, 90)  # the default lifetime
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(INBOX)
    assert response.status_code == 200, response.content
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("days", [0, 366])
def test_a_lifetime_beyond_a_year_or_under_a_day_is_refused(cast, days):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        token_create(user=cast.chair, name="x", days=days)
    assert not PersonalAccessToken.objects.exists()


def test_revoked_expired_unknown_and_disabled_tokens_get_401_in_the_error_shape(cast):
    revoked, raw_revoked = token_create(user=cast.chair, name="a")
    token_revoke(token=revoked, user=cast.chair)
    expired, raw_expired = token_create(user=cast.chair, name="b", days=1)
    PersonalAccessToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(1)
    )
    _disabled, raw_disabled = token_create(user=cast.office, name="c")
    cast.office.is_active = False
    cast.office.save()
    for raw in (raw_revoked, raw_expired, raw_disabled, "wuyi_unknown", "garbage"):
        response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(INBOX)
        assert response.status_code == 401, raw
        assert error(response)["code"] == "authentication_failed"


def test_only_the_person_revokes_their_token(cast):
    from django.core.exceptions import PermissionDenied

    token, _raw = token_create(user=cast.chair, name="a")
    with pytest.raises(PermissionDenied):
        token_revoke(token=token, user=cast.outsider)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_no_credentials_get_401_with_the_message_in_the_users_language():
    response = Client().get(INBOX)
    assert response.status_code == 401
    assert error(response)["code"] == "not_authenticated"
    assert "Bearer" in response["WWW-Authenticate"]


def test_an_unknown_document_is_404_in_chinese_by_default(cast):
    response = token_client(cast.chair).get("/api/documents/budget/999999/")
    body = error(response)
    assert response.status_code == 404 and body["code"] == "not_found"
    assert body["message"] == "未找到，或您无权查看。"


def test_the_session_authenticates_too(cast, client):
    client.force_login(cast.chair)
    assert client.get(INBOX).status_code == 200


def test_the_61st_request_in_a_minute_gets_429_with_retry_after_counted_in_redis(cast):
    from django.conf import settings

    assert settings.CACHES["api_throttle"]["BACKEND"].endswith("RedisCache")
    token, raw = token_create(user=cast.chair, name="a")
    key = f"throttle_api_token-{token.token_hash[:32]}"
    cache = caches["api_throttle"]
    cache.delete(key)
    try:
        api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
        # given: 60 requests counted already (the counter is a list of their times, as DRF keeps it)
        cache.set(key, [time.time()] * settings.API_RATE_PER_MINUTE, 60)
        # when
        response = api.get(INBOX)
        # then
        assert response.status_code == 429
        assert int(response["Retry-After"]) >= 1
        body = error(response)
        assert body["code"] == "throttled" and body["message"].startswith(
            "请求过于频繁"
        )  # the user's language
        # another person's token has its own count
        other = token_client(cast.audit_director)
        assert other.get(INBOX).status_code == 200
    finally:
        cache.delete(key)
        cache.delete_many(
            [f"throttle_api_token-{t}" for t in PersonalAccessToken.objects.values_list("pk", flat=True)]
        )


def test_the_error_url_names_are_reversible():
    assert reverse("api:inbox") == INBOX and reverse("api:schema") == "/api/schema/"
