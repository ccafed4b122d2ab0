"""Webhook channel: a union's group robot (WeCom, DingTalk) or a generic JSON endpoint."""

from __future__ import annotations

import json
import urllib.request

from django.conf import settings

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
    notification = delivery.notification
    hook = UnionWebhook.objects.filter(union_id=notification.union_id, url=delivery.target).first()
    link = f"{settings.SITE_ROOT.rstrip('/')}{notification.url}" if notification.url else settings.SITE_ROOT
    data = payload_for(
        hook, title=notification.title, body=notification.body, url=link, message_id=delivery.idempotency_key
    )
    request = urllib.request.Request(
        delivery.target,
        data=json.dumps(data, ensure_ascii=False).encode("utf-8"),
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Wuyi-Message-Id": delivery.idempotency_key,
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (http(s) validated on save)
        if response.status >= 300:
            raise RuntimeError(f"HTTP {response.status}")
        answer = response.read(65536)
    if hook is not None and hook.preset in (WebhookPreset.WECOM, WebhookPreset.DINGTALK):
        refusal = robot_refusal(answer)
        if refusal:
            raise RuntimeError(refusal)


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
