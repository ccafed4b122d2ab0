"""The API's rate limit (issue 32): API_RATE_PER_MINUTE requests a minute per token (per person for the
signed-in browser), counted in the Redis cache "api_throttle" that every web process shares. Above it
DRF answers 429 with Retry-After (in the error shape, api.errors)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from api.models import PersonalAccessToken


class PerTokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self) -> None:
        self.cache = caches["api_throttle"]
        super().__init__()

    def get_rate(self) -> str:
        # read at each request, not at import (DRF's default), so a test or deployment setting applies
        return f"{settings.API_RATE_PER_MINUTE}/min"

    def get_cache_key(self, request, view) -> str | None:
        if isinstance(request.auth, PersonalAccessToken):
            # the hash, not the id: unique across databases sharing the Redis (and test runs reusing ids)
            ident = f"token-{request.auth.token_hash[:32]}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
