"""Settings of issue 31's notices part, read from the environment like the rest (imported at the end of
config/settings.py).

Personal work notices: a WeCom (or 政务微信, on the organ's own host) application message, a DingTalk work
notice and a text message through the organ's SMS gateway. A channel is offered to a person only when
its settings here are complete (``notifications.channels.notices.configured``) and the person has the
user id (or phone number) the people sync brings. Every address goes through the webhook guard
(``notifications.channels.safe_http``): the official hosts over https, anything else only when the
administrator's allow-list (允许的消息网关) names it."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from config.env import env_str

# WeCom application messages. 政务微信 serves the same API (/cgi-bin/gettoken, /cgi-bin/message/send) on
# the organ's own host: set WECOM_BASE_URL to it (and list that host in the allow-list).
WECOM_BASE_URL = (env_str("WECOM_BASE_URL", "") or "https://qyapi.weixin.qq.com").rstrip("/")
WECOM_CORP_ID = env_str("WECOM_CORP_ID", "")
WECOM_SECRET = env_str("WECOM_SECRET", "")
WECOM_AGENT_ID = env_str("WECOM_AGENT_ID", "")

# DingTalk work notices (工作通知) of an internal application: its AppKey, AppSecret and AgentId.
DINGTALK_BASE_URL = (env_str("DINGTALK_BASE_URL", "") or "https://oapi.dingtalk.com").rstrip("/")
DINGTALK_APP_KEY = env_str("DINGTALK_APP_KEY", "")
DINGTALK_APP_SECRET = env_str("DINGTALK_APP_SECRET", "")
DINGTALK_AGENT_ID = env_str("DINGTALK_AGENT_ID", "")

# A generic SMS gateway: one POST per message. The body is the template with {phone}, {text} and {key}
# (the delivery's idempotency key) filled in, escaped for the format: JSON (a JSON object) or form
# (application/x-www-form-urlencoded). SMS_GATEWAY_AUTH_HEADER: one header sent as it is
# ("Authorization: Bearer …"). SMS_GATEWAY_SUCCESS: empty = any 2xx answer; "field=value" = the JSON
# answer must also carry that top-level field with that value ("code=0").
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL", "")
SMS_GATEWAY_FORMAT = (env_str("SMS_GATEWAY_FORMAT", "") or "json").strip().lower()
if SMS_GATEWAY_FORMAT not in ("json", "form"):
    raise ImproperlyConfigured(f"SMS_GATEWAY_FORMAT={SMS_GATEWAY_FORMAT!r}: use json or form")
SMS_GATEWAY_TEMPLATE = env_str("SMS_GATEWAY_TEMPLATE", "") or (
    '{"phone": "{phone}", "text": "{text}", "id": "{key}"}'
    if SMS_GATEWAY_FORMAT == "json"
    else "phone={phone}&text={text}&id={key}"
)
SMS_GATEWAY_AUTH_HEADER = env_str("SMS_GATEWAY_AUTH_HEADER", "")
if SMS_GATEWAY_AUTH_HEADER and ":" not in SMS_GATEWAY_AUTH_HEADER:
    raise ImproperlyConfigured("SMS_GATEWAY_AUTH_HEADER must read 'Name: value' (Authorization: Bearer …)")
SMS_GATEWAY_SUCCESS = env_str("SMS_GATEWAY_SUCCESS", "")
if SMS_GATEWAY_SUCCESS and "=" not in SMS_GATEWAY_SUCCESS:
    raise ImproperlyConfigured("SMS_GATEWAY_SUCCESS must read 'field=value' (code=0), or be empty")
