"""DingTalk work notice (工作通知) to one person, by the user id the people sync brings (issue 31).
GET ``/gettoken?appkey&appsecret`` gives the access token (kept, see ``notices.with_token``); POST
``/topapi/message/corpconversation/asyncsend_v2?access_token`` sends a markdown message.

Idempotency: asyncsend_v2 has no message key and no duplicate check of its own, so a retry after an
answer lost on the way back (the notice was taken, the worker never heard) shows the notice twice.
Wuyi's side is still exactly once per attempt: a delivery marked sent is never sent again. errcode 0
means DingTalk took the task (``task_id``); it hands it out asynchronously."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings

from notifications.channels import notices, safe_http
from notifications.models import Channel

OFFICIAL_HOST = "oapi.dingtalk.com"


def payload(delivery) -> dict:
    notification = delivery.notification
    text = f"### {notification.title}\n\n{notification.body}\n\n[详情]({notices.link(notification)})"
    return {
        "agent_id": int(settings.DINGTALK_AGENT_ID),
        "userid_list": delivery.target,
        "msg": {"msgtype": "markdown", "markdown": {"title": notification.title, "text": text}},
    }


def send_dingtalk(delivery) -> None:
    if not notices.configured(Channel.DINGTALK):
        raise notices.not_configured(Channel.DINGTALK)
    base = settings.DINGTALK_BASE_URL
    host = notices.official_host(base, OFFICIAL_HOST)

    def fetch() -> tuple[str, int]:
        query = urlencode({"appkey": settings.DINGTALK_APP_KEY, "appsecret": settings.DINGTALK_APP_SECRET})
        answer = safe_http.get(f"{base}/gettoken?{query}", official_host=host)
        return notices.fetched_token(notices.json_of(answer, Channel.DINGTALK))

    def call(token: str) -> dict:
        return notices.post_message(
            f"{base}/topapi/message/corpconversation/asyncsend_v2",
            token,
            payload=payload(delivery),
            delivery=delivery,
            host=host,
            channel=Channel.DINGTALK,
        )

    app = notices.fingerprint(base, settings.DINGTALK_APP_KEY, settings.DINGTALK_APP_SECRET)
    notices.with_token(Channel.DINGTALK, app=app, fetch=fetch, call=call)
