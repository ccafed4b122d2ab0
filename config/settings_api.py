"""Settings of the REST API (issue 32), imported at the end of config/settings.py.

Django REST framework with personal access tokens (api.authentication) and the session, JSON only:
the browsable API's pages carry inline scripts the strict CSP refuses. Every error has one JSON shape
(api.errors). The OpenAPI schema is drf-spectacular's; its documentation page is served from the
vendored drf-spectacular-sidecar files, nothing from the internet."""

from __future__ import annotations

from config.env import env_int, env_str

# config/settings.py imports this module at its end, so its CACHES already exists (a partial module).
from config.settings import CACHES  # noqa: E402

API_RATE_PER_MINUTE = env_int("API_RATE_PER_MINUTE", 60, minimum=1)
# Personal access tokens live this many days unless the person chooses otherwise, at most the maximum.
API_TOKEN_DEFAULT_DAYS = env_int("API_TOKEN_DEFAULT_DAYS", 90, minimum=1)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365, minimum=1)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalAccessTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": f"{API_RATE_PER_MINUTE}/min"},
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Wuyi API",
    "DESCRIPTION": "The inbox, documents and their trails, obligations, notifications and budget-line "
    "ledgers of Wuyi, and the actions on them, scoped exactly as the pages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
}

# The rate limit's counters are shared by every web process, so they live in Redis: the broker's
# Redis unless API_THROTTLE_CACHE_URL names another. Without any Redis (a laptop with the filesystem
# broker and one runserver process) a per-process memory is right.
_CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://") or ""
_THROTTLE_URL = env_str("API_THROTTLE_CACHE_URL", "") or (
    _CELERY_BROKER_URL if _CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
CACHES.update(
    {
        "api_throttle": (
            {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": _THROTTLE_URL,
                "KEY_PREFIX": "wuyi-api-throttle",
            }
            if _THROTTLE_URL
            else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wuyi-api-throttle"}
        )
    }
)
