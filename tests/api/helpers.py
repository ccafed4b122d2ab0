"""Shared by the read, token and schema tests of the API (issue 32)."""

from __future__ import annotations

from django.test import Client

from api.services import token_create


def token_client(user, *, days: int = 30) -> Client:
    """A client that authenticates every request with a fresh personal access token of ``user``."""
    _token, raw = token_create(user=user, name="test", days=days)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def error(response) -> dict:
    """The one error shape (api.errors), checked."""
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()["error"]
    assert body["status"] == response.status_code and body["message"] and body["code"]
    return body
