"""Personal work notices (issue 31): a WeCom / 政务微信 application message, a DingTalk work notice and a
text message through an SMS gateway, each a channel the person chooses, delivered like e-mail (a
delivery per notification and channel with its idempotency key, claimed by compare-and-set, retried
with backoff, never sent again once sent) through the webhook guard. The APIs are local HTTP servers
(``notice_servers.NoticeApi``) that the administrator's allow-list names, as for an intranet gateway;
the delivery task is called as the e-mail and robot tests call it (``deliver_batch.run``)."""

from __future__ import annotations

import contextlib
import datetime
import json
from urllib.parse import parse_qs

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from core.services.statutory import obligations_generate
from notifications import errors
from notifications.models import (
    Channel,
    ChannelPreference,
    Delivery,
    DeliveryState,
    NoticeToken,
    Notification,
    WebhookAllowedHost,
)
from notifications.services import notifications_create_once
from notifications.services.delivery import deliver, redeliver_due
from notifications.services.reminders import reminders_send_due
from notifications.tasks import deliver_batch
from tests.factories import UserFactory
from tests.notifications.conftest import allow_local
from tests.notifications.helpers import deliveries_of, make_due, pending_obligation_reminders, union_officers
from tests.notifications.notice_servers import CREDENTIALS, NoticeApi

WECOM_ID, DINGTALK_ID, PHONE = "ZhongHongYan", "manager4021", "13800138000"
TITLE = "S3.3 经费预算 即将到期"


def configured(api: NoticeApi, **extra) -> dict:
    """The settings that set the API's channel up, pointed at the local server."""
    if api.protocol == "wecom":
        corp, secret = CREDENTIALS["wecom"]
        return {
            "WECOM_BASE_URL": api.base,
            "WECOM_CORP_ID": corp,
            "WECOM_SECRET": secret,
            "WECOM_AGENT_ID": "1000002",
            **extra,
        }
    if api.protocol == "dingtalk":
        key, secret = CREDENTIALS["dingtalk"]
        return {
            "DINGTALK_BASE_URL": api.base,
            "DINGTALK_APP_KEY": key,
            "DINGTALK_APP_SECRET": secret,
            "DINGTALK_AGENT_ID": "2945001",
            **extra,
        }
    return {"SMS_GATEWAY_URL": f"{api.base}/sms/send", **extra}


@contextlib.contextmanager
def apis(*protocols: str, allow: bool = True, **extra):
    """Local servers for ``protocols``, their channels set up, and (``allow``) allow-listed."""
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(NoticeApi(p)) for p in protocols]
        values = {}
        for server in servers:
            values.update(configured(server))
            if allow:
                allow_local(server)
        stack.enter_context(override_settings(**values, **extra))
        yield servers[0] if len(servers) == 1 else servers


def person(**fields):
    fields = {"wecom_userid": WECOM_ID, "dingtalk_userid": DINGTALK_ID, "phone": PHONE, "email": "", **fields}
    user = UserFactory(**fields)
    ChannelPreference.objects.create(user=user, email=False, wecom=True, dingtalk=True, sms=True)
    return user


def notify(user, channel: str, title: str = TITLE) -> Delivery:
    """A notification as the apps write it (with its deliveries), and its delivery through ``channel``."""
    key = f"test:{Notification.objects.count()}"
    notifications_create_once(
        [
            Notification(
                recipient=user, title=title, body="请于9月30日前完成。", url="/unions/1/", dedupe_key=key
            )
        ]
    )
    return Delivery.objects.get(notification__dedupe_key=key, channel=channel)


def in_chinese(message, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params


def body_of(request: dict) -> dict:
    return json.loads(request["raw"].decode("utf-8"))


# --- each channel ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_wecom_app_message_reaches_the_person_by_user_id_and_the_token_is_fetched_once():
    with apis("wecom") as wecom:
        user = person()
        first, second = notify(user, Channel.WECOM), notify(user, Channel.WECOM, "S2.2 年度计划 即将到期")
        assert (first.target, first.idempotency_key) == (WECOM_ID, f"n{first.notification_id}-wecom")
        assert deliver_batch.run([first.pk, second.pk]) == {DeliveryState.SENT: 2}

    assert len(wecom.token_fetches()) == 1  # kept in NoticeToken and used for the second message
    assert wecom.token_fetches()[0]["query"] == {"corpid": "ww-corp-test", "corpsecret": "wecom-secret-test"}
    assert NoticeToken.objects.get().token == "wecom-token-1"
    taken = wecom.taken()
    assert [r["query"]["access_token"] for r in taken] == ["wecom-token-1"] * 2
    message = body_of(taken[0])
    assert message["touser"] == WECOM_ID and message["agentid"] == 1000002
    assert message["msgtype"] == "textcard" and message["textcard"]["title"] == TITLE
    assert message["textcard"]["url"] == f"{settings.SITE_ROOT.rstrip('/')}/unions/1/"
    assert "请于9月30日前完成" in message["textcard"]["description"]
    # WeCom's own duplicate check over the longest interval it allows: a retry repeats this exact card
    assert (message["enable_duplicate_check"], message["duplicate_check_interval"]) == (1, 14400)
    assert taken[0]["headers"]["X-Wuyi-Message-Id"] == first.idempotency_key
    assert TITLE in taken[0]["raw"].decode("utf-8")  # UTF-8, not \u escapes


@pytest.mark.django_db
def test_expired_wecom_token_is_refreshed_once_and_the_message_sent():
    with apis("wecom") as wecom:
        user = person()
        assert deliver(notify(user, Channel.WECOM).pk) == DeliveryState.SENT
        wecom.expire_tokens()  # WeCom answers 42001 for the stored token from now on
        delivery = notify(user, Channel.WECOM)
        assert deliver(delivery.pk) == DeliveryState.SENT

    assert len(wecom.token_fetches()) == 2
    assert [r["query"]["access_token"] for r in wecom.sends()] == ["wecom-token-1"] * 2 + ["wecom-token-2"]
    assert len(wecom.taken()) == 2
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and NoticeToken.objects.get().token == "wecom-token-2"


@pytest.mark.django_db
def test_dingtalk_work_notice_reaches_the_person_by_user_id_and_refreshes_an_invalid_token():
    with apis("dingtalk") as dingtalk:
        user = person()
        first, second = notify(user, Channel.DINGTALK), notify(user, Channel.DINGTALK)
        assert deliver_batch.run([first.pk, second.pk]) == {DeliveryState.SENT: 2}
        assert len(dingtalk.token_fetches()) == 1
        NoticeToken.objects.update(token="revoked")  # DingTalk answers 40014 (invalid) for it
        assert deliver(notify(user, Channel.DINGTALK).pk) == DeliveryState.SENT

    assert dingtalk.token_fetches()[0]["query"] == {
        "appkey": "ding-key-test",
        "appsecret": "ding-secret-test",
    }
    assert len(dingtalk.token_fetches()) == 2 and len(dingtalk.taken()) == 3
    message = body_of(dingtalk.taken()[0])
    assert message["agent_id"] == 2945001 and message["userid_list"] == DINGTALK_ID
    assert message["msg"]["msgtype"] == "markdown" and message["msg"]["markdown"]["title"] == TITLE
    assert "请于9月30日前完成" in message["msg"]["markdown"]["text"]
    assert dingtalk.taken()[0]["headers"]["X-Wuyi-Message-Id"] == first.idempotency_key


@pytest.mark.django_db
def test_sms_json_gateway_gets_the_phone_the_text_and_the_key_with_the_auth_header():
    template = '{"mobile": "{phone}", "content": "{text}", "requestId": "{key}", "sign": "五一"}'
    with apis(
        "sms", SMS_GATEWAY_TEMPLATE=template, SMS_GATEWAY_AUTH_HEADER="Authorization: Bearer t0k"
    ) as sms:
        delivery = notify(person(), Channel.SMS, title='预算 "草案" {key}')
        assert deliver(delivery.pk) == DeliveryState.SENT

    (request,) = sms.taken()
    assert request["headers"]["Authorization"] == "Bearer t0k"
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert body_of(request) == {
        "mobile": PHONE,
        "content": f'【五一】预算 "草案" {{key}} {settings.SITE_ROOT.rstrip("/")}/unions/1/',  # filled once
        "requestId": delivery.idempotency_key,
        "sign": "五一",
    }


@pytest.mark.django_db
def test_sms_form_gateway_whose_answer_lacks_the_success_field_is_retried():
    with apis(
        "sms",
        SMS_GATEWAY_FORMAT="form",
        SMS_GATEWAY_TEMPLATE="to={phone}&msg={text}&id={key}",
        SMS_GATEWAY_SUCCESS="code=0",
    ) as sms:
        delivery = notify(person(), Channel.SMS)
        sms.sms_answer = b'{"code": 17, "msg": "quota"}'
        assert deliver(delivery.pk) == DeliveryState.PENDING
        delivery.refresh_from_db()
        assert "code=0" in delivery.last_error
        sms.sms_answer = b'{"code": 0}'
        with time_machine.travel(delivery.next_attempt_at + datetime.timedelta(seconds=1), tick=False):
            assert deliver(delivery.pk) == DeliveryState.SENT

    request = sms.sends()[-1]
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    form = {k: v[0] for k, v in parse_qs(request["raw"].decode("ascii")).items()}
    assert form == {
        "to": PHONE,
        "msg": f"【五一】{TITLE} {settings.SITE_ROOT.rstrip('/')}/unions/1/",
        "id": delivery.idempotency_key,
    }


# --- at least once, never twice ----------------------------------------------------------------------

FAILURES = {
    "wecom": (500, b"busy"),
    "dingtalk": (200, b'{"errcode": -1, "errmsg": "system busy"}'),
    "sms": (503, b"overloaded"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("channel", [Channel.WECOM, Channel.DINGTALK, Channel.SMS])
def test_failed_work_notice_is_retried_with_backoff_then_delivered_once(channel):
    with apis(str(channel)) as api:
        delivery = notify(person(), channel)
        api.fail_next.append(FAILURES[str(channel)])
        assert deliver_batch.run([delivery.pk]) == {DeliveryState.PENDING: 1}
        delivery.refresh_from_db()
        assert delivery.attempts == 1 and delivery.last_error
        assert delivery.next_attempt_at > delivery.created_at + datetime.timedelta(seconds=20)  # backoff
        assert deliver(delivery.pk) == "skipped"  # not before its next attempt is due
        later = delivery.next_attempt_at + datetime.timedelta(seconds=1)
        with time_machine.travel(later, tick=False):
            assert redeliver_due() == 1  # the sweep hands it back to the workers...
            assert deliver_batch.run([delivery.pk]) == {DeliveryState.SENT: 1}
            assert deliver_batch.run([delivery.pk]) == {"skipped": 1}  # ...a second copy sends nothing
            assert redeliver_due() == 0

    keys = [r["headers"]["X-Wuyi-Message-Id"] for r in api.taken()]
    assert keys == [delivery.idempotency_key]  # taken once; two requests in all
    assert len(api.sends()) == 2
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT and delivery.attempts == 2
    assert [a.ok for a in delivery.attempt_log.order_by("id")] == [False, True]


@pytest.mark.django_db
def test_reminder_sweep_sends_each_chosen_work_notice_once_and_a_second_run_nothing(tree):
    (chair,) = union_officers(tree["a1"], 1)  # with an e-mail address
    chair.wecom_userid, chair.dingtalk_userid, chair.phone = WECOM_ID, DINGTALK_ID, PHONE
    chair.save()
    ChannelPreference.objects.create(user=chair, email=False, wecom=True, dingtalk=True, sms=True)
    with apis("wecom", "dingtalk", "sms") as servers:
        obligations_generate(fiscal_year=2027)
        due = make_due(pending_obligation_reminders(tree["a1"], 1))
        assert reminders_send_due() == 1  # in this test's transaction: nothing reaches the broker
        deliveries = deliveries_of(due)
        assert {(d.channel, d.target) for d in deliveries} == {
            (Channel.WECOM, WECOM_ID),
            (Channel.DINGTALK, DINGTALK_ID),
            (Channel.SMS, PHONE),
        }  # e-mail turned off
        ids = [d.pk for d in deliveries]
        assert deliver_batch.run(ids) == {DeliveryState.SENT: 3}
        assert reminders_send_due() == 0 and redeliver_due() == 0
        assert deliver_batch.run(ids) == {"skipped": 3}

    keys = [r["headers"]["X-Wuyi-Message-Id"] for server in servers for r in server.sends()]
    assert sorted(keys) == sorted(d.idempotency_key for d in deliveries)
    title = deliveries[0].notification.title
    assert all(title in r["raw"].decode("utf-8") for server in servers for r in server.sends())


@pytest.mark.django_db
def test_nothing_goes_to_a_work_notice_the_site_has_not_set_up(tree):
    (chair,) = union_officers(tree["a1"], 1)
    chair.wecom_userid, chair.phone = WECOM_ID, PHONE
    chair.save()
    ChannelPreference.objects.create(user=chair, wecom=True, sms=True)
    obligations_generate(fiscal_year=2027)
    due = make_due(pending_obligation_reminders(tree["a1"], 1))
    assert reminders_send_due() == 1
    assert [d.channel for d in deliveries_of(due)] == [Channel.EMAIL]


# --- the guard ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_work_notice_addresses_outside_the_guard_are_refused_at_once():
    with apis("wecom", "sms", allow=False) as (wecom, sms):
        user = person()
        # 政务微信 on a host the allow-list does not name
        wecom_delivery = notify(user, Channel.WECOM)
        assert deliver(wecom_delivery.pk) == DeliveryState.FAILED
        # the gateway's host is listed, but not the internal address it resolves to
        WebhookAllowedHost.objects.create(host="127.0.0.1", port=sms.port, allow_http=True)
        sms_delivery = notify(user, Channel.SMS)
        assert deliver(sms_delivery.pk) == DeliveryState.FAILED
        # DingTalk's own host over plain http
        with override_settings(
            DINGTALK_BASE_URL="http://oapi.dingtalk.com",
            DINGTALK_APP_KEY="k",
            DINGTALK_APP_SECRET="s",
            DINGTALK_AGENT_ID="1",
        ):
            dingtalk_delivery = notify(user, Channel.DINGTALK)
            assert deliver(dingtalk_delivery.pk) == DeliveryState.FAILED

    assert wecom.requests == [] and sms.requests == []  # nothing reached either server
    wecom_delivery.refresh_from_db()
    sms_delivery.refresh_from_db()
    dingtalk_delivery.refresh_from_db()
    assert wecom_delivery.last_error == in_chinese(errors.WEBHOOK_NOT_ALLOWED, host=f"127.0.0.1:{wecom.port}")
    assert sms_delivery.last_error == in_chinese(errors.WEBHOOK_INTERNAL, address="127.0.0.1")
    assert dingtalk_delivery.last_error == in_chinese(errors.WEBHOOK_OFFICIAL_HOST, host="oapi.dingtalk.com")
    assert {d.attempts for d in (wecom_delivery, sms_delivery, dingtalk_delivery)} == {1}  # no retries


@pytest.mark.django_db
def test_user_id_wecom_does_not_know_fails_at_once():
    with apis("wecom") as wecom:
        delivery = notify(person(wecom_userid="left-the-organ"), Channel.WECOM)
        wecom.fail_next.append((200, b'{"errcode": 0, "errmsg": "ok", "invaliduser": "left-the-organ"}'))
        assert deliver(delivery.pk) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error == in_chinese(errors.NOTICE_UNKNOWN_USER, service="WeCom")


# --- the person's page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_preferences_offer_each_work_notice_in_chinese_and_save_the_choice(client):
    user = UserFactory(wecom_userid=WECOM_ID, dingtalk_userid=DINGTALK_ID, phone=PHONE)
    client.force_login(user)
    with apis("wecom", "dingtalk", "sms"):
        html = client.get(reverse("notifications:preferences")).content.decode()
        for label in ("企业微信/政务微信工作通知", "钉钉工作通知", "短信"):
            assert label in html
        assert 'data-testid="unreachable"' not in html
        response = client.post(
            reverse("notifications:preferences"), {"email": "on", "dingtalk": "on", "sms": "on"}
        )
    assert response.status_code == 302
    preference = ChannelPreference.objects.get(user=user)
    assert (preference.email, preference.wecom, preference.dingtalk, preference.sms) == (
        True,
        False,
        True,
        True,
    )


@pytest.mark.django_db
def test_person_without_the_id_is_not_offered_the_channel(client):
    user = UserFactory(phone=PHONE)  # no WeCom or DingTalk user id from the sync yet
    client.force_login(user)
    with apis("wecom", "dingtalk", "sms"):
        html = client.get(reverse("notifications:preferences")).content.decode()
        assert 'name="sms"' in html and 'name="wecom"' not in html and 'name="dingtalk"' not in html
        assert "企业微信/政务微信工作通知、钉钉工作通知" in html  # named as not available yet
        client.post(reverse("notifications:preferences"), {"wecom": "on", "dingtalk": "on", "sms": "on"})
        preference = ChannelPreference.objects.get(user=user)
        assert (preference.wecom, preference.dingtalk, preference.sms) == (False, False, True)
        # chosen earlier (the id since cleared by the sync): still nothing is sent there
        ChannelPreference.objects.filter(user=user).update(wecom=True, dingtalk=True)
        notifications_create_once([Notification(recipient=user, title=TITLE, dedupe_key="t")])
    assert list(Delivery.objects.values_list("channel", flat=True)) == [Channel.SMS]


@pytest.mark.django_db
def test_work_notices_not_set_up_are_not_offered(client):
    client.force_login(UserFactory(wecom_userid=WECOM_ID, dingtalk_userid=DINGTALK_ID, phone=PHONE))
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="email"' in html
    for name in ("wecom", "dingtalk", "sms"):
        assert f'name="{name}"' not in html
    assert 'data-testid="unreachable"' not in html
