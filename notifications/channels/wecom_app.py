"""WeCom (企业微信) or 政务微信 application message to one person, by the user id the people sync
brings (issue 31). GET ``/cgi-bin/gettoken?corpid&corpsecret`` gives the access token (kept, see
``notices.with_token``); POST ``/cgi-bin/message/send?access_token`` sends a text card.

Idempotency: the API takes no message key. ``enable_duplicate_check`` with the longest interval it
allows (4 hours) makes WeCom drop a message identical to one it took from the same application; a
retry of a delivery repeats exactly the same card, so a retry after a lost answer is dropped there.
The delivery's key also travels as the ``X-Wuyi-Message-Id`` header, for a gateway in between."""

from __future__ import annotations

import html
from urllib.parse import urlencode

from django.conf import settings

from notifications import errors
from notifications.channels import notices, safe_http
from notifications.models import Channel

OFFICIAL_HOST = "qyapi.weixin.qq.com"
DUPLICATE_CHECK_SECONDS = 14400  # the longest WeCom allows
UNKNOWN_USER = 81013  # "user & party & tag all invalid"


def payload(delivery) -> dict:
    notification = delivery.notification
    return {
        "touser": delivery.target,
        "msgtype": "textcard",
        "agentid": int(settings.WECOM_AGENT_ID),
        "textcard": {
            # WeCom cuts the title at 128 and the description at 512 bytes; the description takes a
            # little HTML, so the text is escaped
            "title": notification.title[:40],
            "description": html.escape((notification.body or notification.title)[:160]),
            "url": notices.link(notification),
            "btntxt": "详情",
        },
        "enable_duplicate_check": 1,
        "duplicate_check_interval": DUPLICATE_CHECK_SECONDS,
    }


def send_wecom(delivery) -> None:
    if not notices.configured(Channel.WECOM):
        raise notices.not_configured(Channel.WECOM)
    base = settings.WECOM_BASE_URL
    host = notices.official_host(base, OFFICIAL_HOST)

    def fetch() -> tuple[str, int]:
        query = urlencode({"corpid": settings.WECOM_CORP_ID, "corpsecret": settings.WECOM_SECRET})
        answer = safe_http.get(f"{base}/cgi-bin/gettoken?{query}", official_host=host)
        return notices.fetched_token(notices.json_of(answer, Channel.WECOM))

    def call(token: str) -> dict:
        data = notices.post_message(
            f"{base}/cgi-bin/message/send",
            token,
            payload=payload(delivery),
            delivery=delivery,
            host=host,
            channel=Channel.WECOM,
        )
        if notices.errcode(data) == UNKNOWN_USER:
            raise safe_http.Refused(errors.NOTICE_UNKNOWN_USER, service="WeCom")
        return data

    app = notices.fingerprint(base, settings.WECOM_CORP_ID, settings.WECOM_SECRET)
    data = notices.with_token(Channel.WECOM, app=app, fetch=fetch, call=call)
    # errcode 0 and the person among the invalid users: WeCom took the message for nobody
    if delivery.target in str(data.get("invaliduser") or "").split("|"):
        raise safe_http.Refused(errors.NOTICE_UNKNOWN_USER, service="WeCom")
