"""A text message through the organ's SMS gateway (issue 31): one POST to ``SMS_GATEWAY_URL`` whose
body is ``SMS_GATEWAY_TEMPLATE`` with {phone}, {text} and {key} filled in — JSON-escaped for the json
format, URL-encoded for the form format. {key} is the delivery's idempotency key: a gateway that
deduplicates on it drops a retry. Success: a 2xx answer and, when ``SMS_GATEWAY_SUCCESS`` reads
``field=value``, that field of the JSON answer."""

from __future__ import annotations

import json
import re
from urllib.parse import quote_plus

from django.conf import settings

from notifications import errors
from notifications.channels import notices, safe_http
from notifications.models import Channel

PLACEHOLDER = re.compile(r"\{(phone|text|key)\}")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "form": "application/x-www-form-urlencoded"}


def sms_text(notification) -> str:
    link = f" {notices.link(notification)}" if notification.url else ""
    return f"【五一】{notification.title}{link}"


def render(template: str, fmt: str, values: dict[str, str]) -> bytes:
    """The request body. Refused (final) when a JSON template does not give a JSON object."""
    escape = (lambda v: json.dumps(v, ensure_ascii=False)[1:-1]) if fmt == "json" else quote_plus
    # one pass: a title that itself reads "{key}" stays as it is
    text = PLACEHOLDER.sub(lambda m: escape(values[m.group(1)]), template)
    if fmt == "json":
        try:
            parsed = json.loads(text)
        except ValueError as exc:
            raise safe_http.Refused(errors.NOTICE_TEMPLATE, error=str(exc)) from None
        if not isinstance(parsed, dict):
            raise safe_http.Refused(errors.NOTICE_TEMPLATE, error="not an object")
    return text.encode("utf-8")


def send_sms(delivery) -> None:
    if not notices.configured(Channel.SMS):
        raise notices.not_configured(Channel.SMS)
    fmt = settings.SMS_GATEWAY_FORMAT
    values = {
        "phone": delivery.target,
        "text": sms_text(delivery.notification),
        "key": delivery.idempotency_key,
    }
    headers = {"Content-Type": CONTENT_TYPES[fmt], "X-Wuyi-Message-Id": delivery.idempotency_key}
    if settings.SMS_GATEWAY_AUTH_HEADER:
        name, _colon, value = settings.SMS_GATEWAY_AUTH_HEADER.partition(":")
        headers[name.strip()] = value.strip()
    answer = safe_http.post(
        settings.SMS_GATEWAY_URL, body=render(settings.SMS_GATEWAY_TEMPLATE, fmt, values), headers=headers
    )
    if settings.SMS_GATEWAY_SUCCESS:
        field, _eq, expected = settings.SMS_GATEWAY_SUCCESS.partition("=")
        data = notices.json_of(answer, Channel.SMS)
        if str(data.get(field.strip())) != expected.strip():
            raise RuntimeError(str(errors.NOTICE_GATEWAY_ANSWER) % {"expected": settings.SMS_GATEWAY_SUCCESS})
