"""Webhook channel: a union's group robot (WeCom, DingTalk) or a generic JSON endpoint."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse

from django.conf import settings

from notifications.channels import safe_http
from notifications.models import UnionWebhook, WebhookPreset


def payload_for(hook: UnionWebhook | None, *, title: str, body: str, url: str, message_id: str) -> dict:
    text = f"**{title}**\n{body}\n[{url}]({url})".strip()
    preset = hook.preset if hook else WebhookPreset.GENERIC
    if preset == WebhookPreset.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": text}}
    if preset == WebhookPreset.DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    if hook and hook.template:
        rendered = (
            hook.template.replace("{title}", json.dumps(title)[1:-1])
            .replace("{body}", json.dumps(body)[1:-1])
            .replace("{url}", json.dumps(url)[1:-1])
            .replace("{id}", message_id)
        )
        return json.loads(rendered)
    return {"id": message_id, "title": title, "body": body, "url": url}


def send_webhook(delivery) -> None:
    """Post the notification to the robot through the guarded client (``safe_http``): an address
    that is not allowed raises ``Refused``, which the delivery records as final."""
    notification = delivery.notification
    hook = UnionWebhook.objects.filter(union_id=notification.union_id, url=delivery.target).first()
    link = f"{settings.SITE_ROOT.rstrip('/')}{notification.url}" if notification.url else settings.SITE_ROOT
    data = payload_for(
        hook, title=notification.title, body=notification.body, url=link, message_id=delivery.idempotency_key
    )
    url = delivery.target
    if hook is not None and hook.preset == WebhookPreset.DINGTALK and hook.secret:
        url = dingtalk_signed(url, secret=hook.secret, timestamp_ms=int(time.time() * 1000))
    answer = safe_http.post(
        url,
        body=json.dumps(data, ensure_ascii=False).encode("utf-8"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Wuyi-Message-Id": delivery.idempotency_key,
        },
        # no hook (deleted since): treated as a generic gateway, so the allow-list still applies
        official_host=hook.official_host if hook is not None else None,
    )
    if hook is not None and hook.preset in (WebhookPreset.WECOM, WebhookPreset.DINGTALK):
        refusal = robot_refusal(answer.body)
        if refusal:
            raise RuntimeError(refusal)


def dingtalk_sign(*, secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64 of HMAC-SHA256 under the secret of the timestamp (ms), a newline and
    the secret, URL-encoded, as DingTalk's robot documentation gives it."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def dingtalk_signed(url: str, *, secret: str, timestamp_ms: int) -> str:
    """The robot's address with ``timestamp`` and ``sign`` appended to its query (one hour valid)."""
    sign = dingtalk_sign(secret=secret, timestamp_ms=timestamp_ms)
    return f"{url}{'&' if '?' in url else '?'}timestamp={timestamp_ms}&sign={sign}"


def robot_refusal(answer: bytes) -> str | None:
    """WeCom and DingTalk group robots answer HTTP 200 also when they refuse a message (wrong key,
    keyword or signature check, rate limit); the refusal is {"errcode": n, "errmsg": "..."}, n != 0."""
    try:
        data = json.loads(answer.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if isinstance(data, dict) and str(data.get("errcode", 0)) != "0":
        return f"errcode {data.get('errcode')}: {data.get('errmsg', '')}"
    return None
