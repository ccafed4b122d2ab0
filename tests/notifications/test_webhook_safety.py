"""The webhook guard (security review: server-side request forgery through a union robot's address).

A union chair types the robot's address; the worker posts to it from inside the network. Every
internal address is refused when the robot is saved (the form, with the reason in Chinese and the
typed values kept) and again when a message is sent (``send_webhook`` through
``notifications.channels.safe_http``), numeric and IPv4-mapped forms included; a host that
resolves to a public address at save and an internal one at send is caught; redirects are not
followed; WeCom and DingTalk robots live on their own hosts only; anything else must be on the
administrator's allow-list. A refusal is recorded on the delivery and is final.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import re
import socket
import ssl
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from notifications import errors
from notifications.channels import safe_http
from notifications.channels.webhook import send_webhook
from notifications.models import (
    Channel,
    Delivery,
    DeliveryState,
    Notification,
    UnionWebhook,
    WebhookAllowedHost,
    WebhookPreset,
)
from notifications.services.delivery import deliver
from tests.factories import UserFactory
from tests.notifications.conftest import DINGTALK_URL, WECOM_URL, allow_local
from tests.notifications.helpers import HttpServer

PUBLIC = "93.184.216.34"  # an address on the public internet (never connected to by these tests)
SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"

# (address as typed, the address it resolves to) — each one reaches inside the machine or network.
INTERNAL = [
    ("http://127.0.0.1:6379/", "127.0.0.1"),  # Redis
    ("http://localhost:5432/", None),  # PostgreSQL; 127.0.0.1 or ::1 as the resolver says
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),  # cloud metadata
    ("http://0x7f000001/", "127.0.0.1"),  # numeric forms the resolver normalises
    ("http://2130706433/", "127.0.0.1"),
    ("http://127.1/", "127.0.0.1"),
    ("http://0177.0.0.1/", "127.0.0.1"),
    ("http://[::1]/", "::1"),
    ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),  # IPv4-mapped IPv6
    ("http://[::ffff:a9fe:a9fe]/", "::ffff:169.254.169.254"),
    ("http://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe"),  # NAT64 of the metadata address
    ("http://[2002:7f00:1::]/", "2002:7f00:1::"),  # 6to4 of 127.0.0.1
    ("http://10.1.2.3/", "10.1.2.3"),
    ("http://172.16.0.1/", "172.16.0.1"),
    ("http://192.168.1.1:8080/", "192.168.1.1"),
    ("http://100.64.0.1/", "100.64.0.1"),  # shared address space (carrier NAT)
    ("http://[fe80::1]/", "fe80::1"),
    ("http://[fc00::1]/", "fc00::1"),
    ("http://[fec0::1]/", "fec0::1"),  # site-local: is_global says True
    ("http://0.0.0.0/", "0.0.0.0"),  # noqa: S104 (an address refused, not bound)
    ("http://224.0.0.1/", "224.0.0.1"),  # multicast: is_global says True
    ("http://240.0.0.1/", "240.0.0.1"),  # reserved
]


def shown(message, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message) % params if params else str(message)
    return escape(text)


def in_chinese(message, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def hooks_url(cast) -> str:
    return reverse("union_webhooks", args=[cast.union.pk])


def allow_host_of(url: str, **extra) -> WebhookAllowedHost:
    """An allow-list entry for the host (and port, if the address has one) of ``url``."""
    parts = urlsplit(url)
    return WebhookAllowedHost.objects.create(
        host=safe_http.normalise_host(parts.hostname), port=parts.port, allow_http=True, **extra
    )


def robot_delivery(union, url: str, *, preset=WebhookPreset.GENERIC, secret: str = "") -> Delivery:
    """A robot saved as it is (as a row from before the guard would be) and a message for it."""
    hook = UnionWebhook.objects.create(union=union, url=url, preset=preset, secret=secret)
    notification = Notification.objects.create(
        recipient=UserFactory(), union=union, title="S3.3 经费预算 即将到期", url="/unions/1/"
    )
    return Delivery.objects.create(
        notification=notification,
        channel=Channel.WEBHOOK,
        target=hook.url,
        idempotency_key=f"n{notification.pk}-hook{hook.pk}",
    )


def internal_reasons(address: str | None) -> list[str]:
    addresses = [address] if address else ["127.0.0.1", "::1"]
    return [in_chinese(errors.WEBHOOK_INTERNAL, address=a) for a in addresses]


# --- when the robot is saved ------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "address"), INTERNAL)
def test_internal_address_is_refused_when_saved(cast, client, url, address):
    """As a WeCom or DingTalk robot: not the robot host. As a generic gateway: not on the
    allow-list; and with its host on the allow-list (no address named) the host still resolves
    inside: refused, in Chinese, the typed values kept in the form."""
    client.force_login(cast.chair)
    for preset, host in (("wecom", "qyapi.weixin.qq.com"), ("dingtalk", "oapi.dingtalk.com")):
        robot = client.post(hooks_url(cast), {"preset": preset, "url": url})
        assert robot.status_code == 400
        assert shown(errors.WEBHOOK_OFFICIAL_HOST, host=host) in robot.content.decode()
    generic = client.post(hooks_url(cast), {"preset": WebhookPreset.GENERIC, "url": url})
    assert generic.status_code == 400
    assert "不在系统管理员允许的消息网关名单中" in generic.content.decode()

    allow_host_of(url)
    response = client.post(hooks_url(cast), {"preset": WebhookPreset.GENERIC, "url": url})
    assert response.status_code == 400
    html = response.content.decode()
    assert any(escape(reason) in html for reason in internal_reasons(address)), html
    assert "该地址指向内部网络" in html
    assert f'value="{escape(url)}"' in html
    assert re.search(r'<input[^>]*value="generic"[^>]*checked', html)
    assert not UnionWebhook.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("preset", "url"),
    [
        ("wecom", "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=k"),
        ("wecom", "https://evil.example/qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"),
        ("wecom", "http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"),
        ("wecom", "https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=k"),
        ("wecom", DINGTALK_URL),
        ("dingtalk", "https://oapi.dingtalk.com.evil.example/robot/send?access_token=t"),
        ("dingtalk", "http://oapi.dingtalk.com/robot/send?access_token=t"),
        ("dingtalk", WECOM_URL),
    ],
)
def test_wecom_and_dingtalk_robots_only_on_their_own_hosts_over_https(cast, client, dns, preset, url):
    dns["qyapi.weixin.qq.com.evil.example"] = dns["oapi.dingtalk.com.evil.example"] = [PUBLIC]
    dns["evil.example"] = [PUBLIC]
    host = {"wecom": "qyapi.weixin.qq.com", "dingtalk": "oapi.dingtalk.com"}[preset]
    client.force_login(cast.chair)
    response = client.post(hooks_url(cast), {"preset": preset, "url": url})
    assert response.status_code == 400
    assert shown(errors.WEBHOOK_OFFICIAL_HOST, host=host) in response.content.decode()
    assert not UnionWebhook.objects.exists()
    with pytest.raises(ValidationError) as exc:  # the admin and any other full_clean say the same
        UnionWebhook(union=cast.union, url=url, preset=preset).full_clean()
    assert list(exc.value.message_dict) == ["url"]


@pytest.mark.django_db
def test_user_name_in_the_address_is_refused(cast, client):
    client.force_login(cast.chair)
    url = "https://qyapi.weixin.qq.com@evil.example/cgi-bin/webhook/send?key=k"
    response = client.post(hooks_url(cast), {"preset": "wecom", "url": url})
    assert response.status_code == 400
    assert shown(errors.WEBHOOK_CREDENTIALS) in response.content.decode()


@pytest.mark.django_db
def test_generic_gateway_must_be_on_the_allow_list_with_its_port_and_https(cast, client, dns):
    dns["gw.example.gov.cn"] = [PUBLIC]
    client.force_login(cast.chair)
    url = "https://gw.example.gov.cn/robot/send"

    def post(address):
        return client.post(hooks_url(cast), {"preset": "generic", "url": address})

    refused = post(url)
    assert refused.status_code == 400
    assert shown(errors.WEBHOOK_NOT_ALLOWED, host="gw.example.gov.cn") in refused.content.decode()
    WebhookAllowedHost.objects.create(host="gw.example.gov.cn", note="省直机关消息网关")
    other_port = post("https://gw.example.gov.cn:8443/robot/send")
    assert shown(errors.WEBHOOK_NOT_ALLOWED, host="gw.example.gov.cn:8443") in other_port.content.decode()
    plain = post("http://gw.example.gov.cn/robot/send")
    assert plain.status_code == 400 and shown(errors.WEBHOOK_HTTPS) in plain.content.decode()
    assert post(url).status_code == 302
    assert UnionWebhook.objects.get().url == url


@pytest.mark.django_db
def test_named_network_allows_an_intranet_gateway_and_nothing_outside_it(cast, client, dns):
    WebhookAllowedHost.objects.create(host="gw.intranet", allow_http=True, address="10.1.2.0/24")
    client.force_login(cast.chair)
    dns["gw.intranet"] = ["10.9.9.9"]
    outside = client.post(hooks_url(cast), {"preset": "generic", "url": "http://gw.intranet/send"})
    assert outside.status_code == 400
    reason = shown(errors.WEBHOOK_OUTSIDE_NAMED, host="gw.intranet", address="10.9.9.9")
    assert reason in outside.content.decode()
    dns["gw.intranet"] = ["10.1.2.3"]
    assert (
        client.post(hooks_url(cast), {"preset": "generic", "url": "http://gw.intranet/send"}).status_code
        == 302
    )


@pytest.mark.django_db
def test_every_address_of_the_host_is_checked(cast, client, dns):
    allow_host_of("https://gw.example.gov.cn/")
    dns["gw.example.gov.cn"] = [PUBLIC, "10.0.0.7"]
    client.force_login(cast.chair)
    response = client.post(hooks_url(cast), {"preset": "generic", "url": "https://gw.example.gov.cn/send"})
    assert response.status_code == 400
    assert shown(errors.WEBHOOK_INTERNAL, address="10.0.0.7") in response.content.decode()


@pytest.mark.django_db
def test_host_that_does_not_resolve_is_refused_when_saved(cast, client, monkeypatch):
    def unknown(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(safe_http, "resolve", unknown)
    allow_host_of("https://gw.example.gov.cn/")
    client.force_login(cast.chair)
    response = client.post(hooks_url(cast), {"preset": "generic", "url": "https://gw.example.gov.cn/x"})
    assert response.status_code == 400
    assert shown(errors.WEBHOOK_UNRESOLVED, host="gw.example.gov.cn") in response.content.decode()


# --- when a message is sent -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "address"), INTERNAL)
def test_internal_address_is_refused_when_sent_and_the_refusal_is_final(tree, url, address):
    """A robot row that reaches inside (saved before the guard, or its host moved inside since):
    the send is refused before any connection, the reason is recorded in Chinese, the delivery is
    failed at once and never tried again."""
    allow_host_of(url)
    delivery = robot_delivery(tree["a1"], url)
    with pytest.raises(safe_http.Refused) as refused:
        send_webhook(delivery)
    assert str(refused.value) in internal_reasons(address)

    assert deliver(delivery.pk) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 1
    assert delivery.last_error in internal_reasons(address)
    (attempt,) = delivery.attempt_log.all()
    assert not attempt.ok and attempt.error.startswith("Refused: ") and "内部网络" in attempt.error
    with time_machine.travel(datetime.timedelta(days=2)):
        assert deliver(delivery.pk) == "skipped"
    assert delivery.attempt_log.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("preset", "url"),
    [
        (WebhookPreset.WECOM, "https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send?key=k"),
        (WebhookPreset.WECOM, "http://127.0.0.1:6379/"),
        (WebhookPreset.DINGTALK, "http://oapi.dingtalk.com/robot/send?access_token=t"),
        (WebhookPreset.GENERIC, "https://gw.example.gov.cn/not-on-the-list"),
    ],
)
def test_robot_off_its_host_or_off_the_allow_list_is_refused_when_sent(tree, preset, url):
    delivery = robot_delivery(tree["a1"], url, preset=preset)
    assert deliver(delivery.pk) == DeliveryState.FAILED
    delivery.refresh_from_db()
    expected = (
        in_chinese(errors.WEBHOOK_NOT_ALLOWED, host="gw.example.gov.cn")
        if preset == WebhookPreset.GENERIC
        else in_chinese(errors.WEBHOOK_OFFICIAL_HOST, host=UnionWebhook(preset=preset).official_host)
    )
    assert delivery.last_error == expected


@pytest.mark.django_db
def test_host_public_when_saved_and_internal_when_sent_is_refused(cast, client, dns):
    """DNS rebinding: the name answers a public address to the form and 127.0.0.1 to the worker."""
    with HttpServer(200) as inside:
        url = f"http://hooks.example.org:{inside.port}/send"
        allow_host_of(url)
        dns["hooks.example.org"] = [PUBLIC]
        client.force_login(cast.chair)
        assert client.post(hooks_url(cast), {"preset": "generic", "url": url}).status_code == 302

        dns["hooks.example.org"] = ["127.0.0.1"]
        hook = UnionWebhook.objects.get()
        delivery = robot_delivery(cast.union, hook.url.replace("/send", "/send?again"))
        assert deliver(delivery.pk) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error == in_chinese(errors.WEBHOOK_INTERNAL, address="127.0.0.1")
    assert inside.received() == []


@pytest.mark.django_db
def test_send_resolves_once_and_connects_to_the_checked_address(cast, monkeypatch, lookups):
    """The name is looked up once, by the guard; the connection goes to the address it checked
    (a second answer, which a rebinding server would give, is never asked for)."""
    with HttpServer(200) as gateway:
        WebhookAllowedHost.objects.create(
            host="gw.intranet", port=gateway.port, allow_http=True, address="127.0.0.1"
        )
        answers = iter([[("127.0.0.1", gateway.port)], [("10.66.0.1", gateway.port)]])
        calls = []

        def resolve(host, port):
            calls.append(host)
            return next(answers)

        monkeypatch.setattr(safe_http, "resolve", resolve)
        delivery = robot_delivery(cast.union, f"http://gw.intranet:{gateway.port}/send")
        assert deliver(delivery.pk) == DeliveryState.SENT
    assert calls == ["gw.intranet"]
    assert "gw.intranet" not in lookups  # the socket was opened on the address, not the name
    (request,) = gateway.received()
    assert request["headers"]["Host"] == f"gw.intranet:{gateway.port}"
    assert request["path"] == "/send"


@pytest.mark.django_db
def test_allowed_local_gateway_receives_the_message(cast):
    with HttpServer(200) as gateway:
        allow_local(gateway)
        delivery = robot_delivery(cast.union, gateway.url("/hook"))
        assert deliver(delivery.pk) == DeliveryState.SENT
    (request,) = gateway.received()
    assert request["json"]["title"] == "S3.3 经费预算 即将到期"
    assert request["headers"]["X-Wuyi-Message-Id"] == delivery.idempotency_key


@pytest.mark.django_db
def test_redirect_is_not_followed(cast):
    """A 302 is a failed attempt that says why; the place it points to hears nothing, even an
    allowed one."""
    with HttpServer(200) as target:
        with HttpServer(302, b"", headers={"Location": target.url("/elsewhere")}) as redirecting:
            allow_local(redirecting)
            allow_local(target)
            delivery = robot_delivery(cast.union, redirecting.url("/hook"))
            assert deliver(delivery.pk) == DeliveryState.PENDING  # an ordinary failure: retried later
        assert len(redirecting.received()) == 1
    assert target.received() == []
    delivery.refresh_from_db()
    assert delivery.last_error == in_chinese(errors.WEBHOOK_REDIRECT, status=302)
    assert "HTTPFailure" in delivery.attempt_log.get().error


@pytest.mark.django_db
def test_tls_certificate_is_verified_for_the_host_name_not_the_address(tree, official_robots, monkeypatch):
    """The pinned connection still checks the certificate against the host name: a server whose
    certificate is for the robot hosts does not pass for another name at the same address."""
    with official_robots(200) as robots:
        WebhookAllowedHost.objects.create(host="gw.example.gov.cn", address="127.0.0.1")
        robot_hosts = safe_http.resolve

        def resolve(host, port):
            return [("127.0.0.1", robots.port)] if host == "gw.example.gov.cn" else robot_hosts(host, port)

        monkeypatch.setattr(safe_http, "resolve", resolve)
        with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
            safe_http.post("https://gw.example.gov.cn/send", body=b"{}", headers={})
        answer = safe_http.post(WECOM_URL, body=b"{}", headers={}, official_host="qyapi.weixin.qq.com")
    assert answer.status == 200
    assert [r["headers"]["Host"] for r in robots.received()] == ["qyapi.weixin.qq.com"]


# --- DingTalk signing (加签) ------------------------------------------------------------------------


def dingtalk_checks_the_signature(secret: str):
    """What DingTalk does with a signed message: recompute the signature of the timestamp, refuse
    a mismatch or a timestamp more than an hour off (errcode 310000)."""

    def answer(request):
        query = parse_qs(urlsplit(request["path"]).query)
        timestamp, sign = query["timestamp"][0], query["sign"][0]
        digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
        fresh = abs(time.time() * 1000 - int(timestamp)) < 3600 * 1000
        if fresh and hmac.compare_digest(sign, base64.b64encode(digest).decode()):
            return 200, b'{"errcode":0,"errmsg":"ok"}'
        return 200, json.dumps({"errcode": 310000, "errmsg": "sign not match"}).encode()

    return answer


@pytest.mark.django_db
def test_dingtalk_robot_with_a_secret_signs_each_message(cast, client, official_robots):
    """The chair saves a DingTalk robot with its secret; the message carries timestamp and sign,
    which the robot (a real HTTPS server answering as oapi.dingtalk.com) recomputes and accepts."""
    with official_robots(answer=dingtalk_checks_the_signature(SECRET)) as robot:
        client.force_login(cast.chair)
        saved = client.post(hooks_url(cast), {"preset": "dingtalk", "url": DINGTALK_URL, "secret": SECRET})
        assert saved.status_code == 302
        hook = UnionWebhook.objects.get()
        assert hook.secret == SECRET and hook.url == DINGTALK_URL  # the stored address is unsigned
        delivery = robot_delivery(
            cast.union, DINGTALK_URL.replace("test", "second"), preset="dingtalk", secret=SECRET
        )
        assert deliver(delivery.pk) == DeliveryState.SENT

        wrong = robot_delivery(cast.union, DINGTALK_URL + "&x=1", preset="dingtalk", secret=SECRET[:-1] + "0")
        assert deliver(wrong.pk) == DeliveryState.PENDING
    wrong.refresh_from_db()
    assert "310000" in wrong.last_error and "sign not match" in wrong.last_error
    first = robot.received()[0]
    query = parse_qs(urlsplit(first["path"]).query)
    assert set(query) == {"access_token", "timestamp", "sign"}
    assert first["headers"]["Host"] == "oapi.dingtalk.com"


@pytest.mark.django_db
def test_secret_is_never_shown_in_full_and_only_kept_for_dingtalk(cast, client, dns):
    dns["oapi.dingtalk.com"] = dns["qyapi.weixin.qq.com"] = [PUBLIC]
    client.force_login(cast.chair)
    client.post(hooks_url(cast), {"preset": "dingtalk", "url": DINGTALK_URL, "secret": SECRET})
    client.post(hooks_url(cast), {"preset": "wecom", "url": WECOM_URL, "secret": SECRET})
    ding, wecom = UnionWebhook.objects.order_by("id")
    assert (ding.secret, wecom.secret) == (SECRET, "")  # signing is DingTalk's
    page = client.get(hooks_url(cast)).content.decode()
    assert SECRET not in page and SECRET[3:-4] not in page
    assert f"SEC…{SECRET[-4:]}" in page and f'data-testid="webhook-{ding.pk}-secret"' in page

    refused = client.post(
        hooks_url(cast), {"preset": "dingtalk", "url": "http://oapi.dingtalk.com/x", "secret": SECRET}
    )
    html = refused.content.decode()
    assert refused.status_code == 400 and SECRET not in html  # not echoed, and the page says so
    assert shown(errors.WEBHOOK_SECRET_RETYPE) in html
    bad = client.post(hooks_url(cast), {"preset": "dingtalk", "url": DINGTALK_URL + "2", "secret": "abc"})
    assert bad.status_code == 400 and shown(errors.WEBHOOK_SECRET_PREFIX) in bad.content.decode()


# --- the allow-list -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_allow_list_is_in_the_admin_and_its_entries_are_checked(admin_client):
    assert WebhookAllowedHost in admin.site._registry
    assert admin_client.get(reverse("admin:notifications_webhookallowedhost_changelist")).status_code == 200
    entry = WebhookAllowedHost(host=" GW.Example.gov.cn. ", address=" 10.1.2.0/24 ")
    entry.full_clean()
    assert (entry.host, entry.address) == ("gw.example.gov.cn", "10.1.2.0/24")
    for host, address, field in [
        ("https://gw.example.gov.cn/", "", "host"),
        ("gw.example.gov.cn:8443", "", "host"),
        ("gw.example.gov.cn", "10.1.2.300", "address"),
        ("gw.example.gov.cn", "0.0.0.0/0", "address"),
    ]:
        with pytest.raises(ValidationError) as exc:
            WebhookAllowedHost(host=host, address=address).full_clean()
        assert field in exc.value.message_dict, (host, address)
