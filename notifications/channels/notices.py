"""What the personal work notices share (issue 31): which are set up, who can receive them, the text of
a notification, and the access tokens of WeCom and DingTalk.

A token is kept in ``NoticeToken`` (PostgreSQL, shared by every worker and kept over restarts) until
shortly before it expires; an answer saying it expired or is invalid (errcode 40014, 42001) drops it,
fetches a new one and repeats the call once. Secrets only travel in the token request's query string
(as both APIs require) and are never recorded: the row is keyed by a fingerprint."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils import timezone

from notifications import errors
from notifications.channels import safe_http
from notifications.models import Channel, NoticeToken

# errcode of an access token that has expired or is not (any longer) valid, the same on both APIs
TOKEN_EXPIRED = {40014, 42001}
# kept this much shorter than the validity the API gives, so a token is never used in its last minutes
TOKEN_MARGIN = datetime.timedelta(minutes=5)

SERVICE_NAMES = {Channel.WECOM: "WeCom", Channel.DINGTALK: "DingTalk", Channel.SMS: "SMS"}
# the user's field each channel addresses, as the people sync fills it
TARGET_FIELD = {Channel.WECOM: "wecom_userid", Channel.DINGTALK: "dingtalk_userid", Channel.SMS: "phone"}
PERSONAL_CHANNELS = tuple(TARGET_FIELD)


def configured(channel: str) -> bool:
    """Whether the site's settings let this channel send (each field filled, agent ids numeric)."""
    if channel == Channel.WECOM:
        return bool(settings.WECOM_CORP_ID and settings.WECOM_SECRET and settings.WECOM_AGENT_ID.isdigit())
    if channel == Channel.DINGTALK:
        return bool(
            settings.DINGTALK_APP_KEY
            and settings.DINGTALK_APP_SECRET
            and settings.DINGTALK_AGENT_ID.isdigit()
        )
    if channel == Channel.SMS:
        return bool(settings.SMS_GATEWAY_URL)
    return False


def target_of(user, channel: str) -> str:
    return (getattr(user, TARGET_FIELD[channel], "") or "").strip()


def channels_for(user) -> list[str]:
    """The personal channels this person may choose: set up on the site, and the person has the id."""
    return [c for c in PERSONAL_CHANNELS if configured(c) and target_of(user, c)]


def link(notification) -> str:
    root = settings.SITE_ROOT.rstrip("/")
    return f"{root}{notification.url}" if notification.url else settings.SITE_ROOT


def official_host(base_url: str, official: str) -> str | None:
    """The official host when the base address is on it (then https on 443 only); ``None`` for an
    organ's own host (政务微信, a private DingTalk), which must then be on the allow-list."""
    return official if (urlsplit(base_url).hostname or "").lower() == official else None


def not_configured(channel: str) -> safe_http.Refused:
    return safe_http.Refused(errors.NOTICE_NOT_CONFIGURED, service=SERVICE_NAMES[channel])


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def json_of(answer: safe_http.Answer, channel: str) -> dict:
    try:
        data = json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        raise RuntimeError(
            str(errors.NOTICE_ANSWER) % {"service": SERVICE_NAMES[channel], "status": answer.status}
        )
    return data


def errcode(data: dict) -> int:
    try:
        return int(data.get("errcode", 0))
    except (TypeError, ValueError):
        return -1


def refusal(data: dict) -> RuntimeError:
    """An API's refusal, retried with backoff (busy, rate limited, a setting being fixed)."""
    return RuntimeError(f"errcode {data.get('errcode')}: {data.get('errmsg', '')}"[:500])


def fetched_token(data: dict) -> tuple[str, int]:
    """(token, seconds valid) from a gettoken answer, or the refusal (wrong secret, IP not trusted)."""
    if errcode(data) != 0 or not data.get("access_token"):
        raise refusal(data)
    return str(data["access_token"]), int(data.get("expires_in") or 7200)


def post_message(url: str, token: str, *, payload: dict, delivery, host: str | None, channel: str) -> dict:
    """POST a message as JSON to a platform's send endpoint with its access token; the delivery's
    idempotency key rides along as X-Wuyi-Message-Id. Returns the answer's JSON."""
    answer = safe_http.post(
        f"{url}?access_token={quote(token, safe='')}",
        body=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Wuyi-Message-Id": delivery.idempotency_key,
        },
        official_host=host,
    )
    return json_of(answer, channel)


def with_token(
    channel: str, *, app: str, fetch: Callable[[], tuple[str, int]], call: Callable[[str], dict]
) -> dict:
    """``call(token)`` with the stored token (fetched when missing or expiring); when the answer says
    the token expired, once more with a new one. Returns the answer; raises on a refusal."""
    now = timezone.now()
    row = NoticeToken.objects.filter(provider=channel, app=app, expires_at__gt=now).first()
    token = row.token if row else _store(channel, app, *fetch())
    data = call(token)
    if errcode(data) in TOKEN_EXPIRED:
        NoticeToken.objects.filter(provider=channel, app=app, token=token).delete()
        data = call(_store(channel, app, *fetch()))
    if errcode(data) != 0:
        raise refusal(data)
    return data


def _store(channel: str, app: str, token: str, seconds: int) -> str:
    expires_at = timezone.now() + datetime.timedelta(seconds=seconds) - TOKEN_MARGIN
    NoticeToken.objects.update_or_create(
        provider=channel, app=app, defaults={"token": token, "expires_at": expires_at}
    )
    return token
