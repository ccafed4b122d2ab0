"""Deliveries through real parts (issue 6, "Channels"): a Celery worker on the real Redis broker sends
a reminder e-mail to a real SMTP server (aiosmtpd) and posts obligation reminders to a real HTTP
server; a failing robot is recorded, retried with backoff and finally marked failed without holding
up the e-mail; a webhook address that is not http(s) is refused. Nothing under test is mocked; the
robots answer at WeCom's and DingTalk's host names through ``official_robots`` (conftest.py): a
local HTTPS server that the guard's resolver is pointed at and the allow-list names explicitly.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.celery import app
from core.services.statutory import obligations_generate
from notifications import errors
from notifications.models import (
    Channel,
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    Reminder,
    ReminderState,
    UnionWebhook,
    WebhookPreset,
)
from notifications.services.delivery import MAX_ATTEMPTS, deliver
from notifications.services.reminders import reminders_send_due
from notifications.tasks import deliver_batch
from tests.notifications.conftest import DINGTALK_URL, WECOM_URL
from tests.notifications.helpers import (
    SmtpServer,
    deliveries_of,
    make_due,
    pending_obligation_reminders,
    union_officers,
    wait_until,
)
from tests.scenarios import to_audit_review as at_audit

WORKER = {"perform_ping_check": False, "pool": "solo", "shutdown_timeout": 20}


def parts(message):
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return text.get_content(), html.get_content()


@pytest.mark.django_db(transaction=True)
def test_worker_on_redis_sends_the_reminder_email_to_a_real_smtp_server(cast, submitted_budget):
    """Budget at audit review, its reminder falls due, the sweep writes notifications and enqueues
    the e-mails after commit; a worker on Redis sends them over SMTP, one attempt each."""
    assert app.conf.broker_url.startswith("redis://"), app.conf.broker_url
    item = at_audit(submitted_budget(), cast)
    for person in (cast.audit_director, cast.office):  # who records for the audit committee
        person.email = f"{person.username}@example.com"
        person.save(update_fields=["email"])
    (reminder,) = make_due(
        Reminder.objects.filter(subject_kind="work_item", subject_id=item.pk, state=ReminderState.PENDING)
    )

    with SmtpServer() as smtp, smtp.settings(), start_worker(app, **WORKER):
        assert reminders_send_due() == 2  # the production call: real clock, enqueue after commit
        deliveries = deliveries_of([reminder])
        assert len(deliveries) == 2 and {d.channel for d in deliveries} == {Channel.EMAIL}
        ids = [d.pk for d in deliveries]
        done = wait_until(
            lambda: (
                Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENT).count() == 2
                and len(smtp.messages) >= 2
            )
        )
    assert done, list(Delivery.objects.filter(pk__in=ids).values("state", "attempts", "last_error"))

    by_id = {m["Message-ID"]: m for m in smtp.messages}
    assert len(smtp.messages) == 2 == len(by_id)
    for delivery in Delivery.objects.filter(pk__in=ids).select_related("notification"):
        assert delivery.state == DeliveryState.SENT and delivery.attempts == 1 and delivery.sent_at
        assert [(a.ok, a.error) for a in delivery.attempt_log.all()] == [(True, "")]
        message = by_id[f"<{delivery.idempotency_key}@wuyi>"]
        notification = delivery.notification
        assert message["To"] == delivery.target
        # Django folds the long encoded subject onto the next line ("Subject:\n =?utf-8?b?…"); the
        # stdlib parser keeps that folding space, a mail client drops it.
        subject = message["Subject"].strip()
        assert subject == f"【五一】{notification.title}"
        assert subject.startswith("【五一】")
        assert message["X-Wuyi-Delivery"] == delivery.idempotency_key
        assert message.get_content_type() == "multipart/alternative"
        text, html = parts(message)
        link = f"{settings.SITE_ROOT.rstrip('/')}{notification.url}"
        assert notification.url and f"/{item.document_id}" in notification.url
        assert notification.title in text and link in text
        assert notification.title in html and f'href="{link}"' in html
        assert item.document_title in notification.title  # the budget's Chinese title
        assert any("\u4e00" <= ch <= "\u9fff" for ch in subject[4:]), subject
    assert {d.target for d in Delivery.objects.filter(pk__in=ids)} == {
        cast.audit_director.email,
        cast.office.email,
    }


@pytest.mark.django_db(transaction=True)
def test_worker_posts_obligation_reminders_to_wecom_and_dingtalk_robots(tree, official_robots):
    """An obligation reminder of a1 goes to its WeCom robot, one of b1 to its DingTalk robot."""
    for union in (tree["a1"], tree["b1"]):
        union_officers(union, 1, with_email=False)  # the chair hears of it in-app only
    with official_robots(200) as robots:
        UnionWebhook.objects.create(union=tree["a1"], url=WECOM_URL, preset=WebhookPreset.WECOM)
        UnionWebhook.objects.create(union=tree["b1"], url=DINGTALK_URL, preset=WebhookPreset.DINGTALK)
        obligations_generate(fiscal_year=2027)
        due = make_due(
            pending_obligation_reminders(tree["a1"], 1) + pending_obligation_reminders(tree["b1"], 1)
        )
        with start_worker(app, **WORKER):
            assert reminders_send_due() == 2
            hooks = deliveries_of(due)
            assert len(hooks) == 2 and {d.channel for d in hooks} == {Channel.WEBHOOK}
            ids = [d.pk for d in hooks]
            done = wait_until(
                lambda: (
                    Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENT).count() == 2
                    and len(robots.received()) >= 2
                )
            )
        assert done, list(Delivery.objects.filter(pk__in=ids).values("state", "last_error"))
        received = {r["path"]: r for r in robots.received()}

    assert len(robots.received()) == 2
    for delivery in Delivery.objects.filter(pk__in=ids).select_related("notification"):
        title = delivery.notification.title
        assert delivery.state == DeliveryState.SENT
        assert [a.ok for a in delivery.attempt_log.all()] == [True]
        url = WECOM_URL if delivery.notification.union_id == tree["a1"].pk else DINGTALK_URL
        parts = urlsplit(url)
        request = received[f"{parts.path}?{parts.query}"]
        assert request["headers"]["Host"] == parts.hostname  # the robot's name, not the address
        assert request["headers"]["X-Wuyi-Message-Id"] == delivery.idempotency_key
        assert request["headers"]["Content-Type"].startswith("application/json")
        assert title in request["raw"].decode("utf-8")  # UTF-8, not \u escapes
        body = request["json"]
        assert body["msgtype"] == "markdown"
        if url == WECOM_URL:
            assert set(body["markdown"]) == {"content"} and title in body["markdown"]["content"]
        else:
            assert body["markdown"]["title"] == title and title in body["markdown"]["text"]


@pytest.mark.django_db
def test_failing_robot_is_recorded_retried_with_backoff_then_failed_without_blocking_email(
    tree, official_robots
):
    """The robot answers 500: each attempt is recorded, the next one waits (backoff); the e-mail of
    the same notification goes out at once; after MAX_ATTEMPTS the webhook delivery is FAILED."""
    (chair,) = union_officers(tree["a1"], 1)
    with official_robots(500) as robot, SmtpServer() as smtp, smtp.settings():
        UnionWebhook.objects.create(union=tree["a1"], url=WECOM_URL, preset=WebhookPreset.WECOM)
        obligations_generate(fiscal_year=2027)
        due = make_due(pending_obligation_reminders(tree["a1"], 1))
        assert reminders_send_due() == 1  # in this test's transaction: nothing reaches the broker
        by_channel = {d.channel: d for d in deliveries_of(due)}
        hook, mail = by_channel[Channel.WEBHOOK], by_channel[Channel.EMAIL]
        assert hook.notification_id == mail.notification_id and mail.target == chair.email

        # The real task body, the failing robot first in the batch: the e-mail is not held up.
        assert deliver_batch.run([hook.pk, mail.pk]) == {DeliveryState.PENDING: 1, DeliveryState.SENT: 1}
        mail.refresh_from_db()
        hook.refresh_from_db()
        assert mail.state == DeliveryState.SENT and len(smtp.messages) == 1
        assert hook.state == DeliveryState.PENDING and hook.attempts == 1
        assert "500" in hook.last_error
        assert hook.next_attempt_at > timezone.now() + datetime.timedelta(seconds=20)  # backoff
        (attempt,) = DeliveryAttempt.objects.filter(delivery=hook)
        assert not attempt.ok and "HTTPFailure" in attempt.error and "500" in attempt.error
        assert deliver(hook.pk) == "skipped"  # not before its next attempt is due

        gaps = []
        for n in range(2, MAX_ATTEMPTS + 1):
            moment = hook.next_attempt_at + datetime.timedelta(seconds=1)
            with time_machine.travel(moment, tick=False):
                state = deliver(hook.pk)
            previous = hook.next_attempt_at
            hook.refresh_from_db()
            gaps.append(hook.next_attempt_at - previous)
            assert hook.attempts == n
            assert state == (DeliveryState.FAILED if n == MAX_ATTEMPTS else DeliveryState.PENDING), n
        assert all(later > earlier for earlier, later in zip(gaps, gaps[1:], strict=False))  # backoff grows

    assert hook.state == DeliveryState.FAILED and "500" in hook.last_error
    assert len(robot.received()) == MAX_ATTEMPTS
    assert {r["headers"]["X-Wuyi-Message-Id"] for r in robot.received()} == {hook.idempotency_key}
    log = list(DeliveryAttempt.objects.filter(delivery=hook).values_list("ok", flat=True))
    assert log == [False] * MAX_ATTEMPTS
    with time_machine.travel(hook.next_attempt_at + datetime.timedelta(days=1), tick=False):
        assert deliver(hook.pk) == "skipped"  # failed is final
    mail.refresh_from_db()
    assert mail.state == DeliveryState.SENT and mail.attempt_log.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("preset", [WebhookPreset.WECOM, WebhookPreset.DINGTALK])
def test_robot_refusing_with_http_200_and_an_errcode_is_a_failed_attempt(tree, preset, official_robots):
    """Group robots answer 200 also when they refuse (here WeCom's "invalid webhook url"): the
    attempt is recorded as failed with the robot's words and retried, not marked sent."""
    union_officers(tree["a1"], 1, with_email=False)
    refusal = b'{"errcode":93000,"errmsg":"invalid webhook url"}'
    url = WECOM_URL if preset == WebhookPreset.WECOM else DINGTALK_URL
    with official_robots(200, body=refusal) as robot:
        UnionWebhook.objects.create(union=tree["a1"], url=url, preset=preset)
        obligations_generate(fiscal_year=2027)
        due = make_due(pending_obligation_reminders(tree["a1"], 1))
        assert reminders_send_due() == 1
        (hook,) = deliveries_of(due)
        assert deliver(hook.pk) == DeliveryState.PENDING
    hook.refresh_from_db()
    assert len(robot.received()) == 1
    assert hook.state == DeliveryState.PENDING and "93000" in hook.last_error
    assert "invalid webhook url" in hook.last_error
    (attempt,) = hook.attempt_log.all()
    assert not attempt.ok and "errcode 93000" in attempt.error


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["ftp://robot.example.com/send", "javascript:alert(1)", "qyapi.weixin.qq.com/send", "http://"]
)
def test_webhook_address_that_is_not_http_is_refused(tree, url):
    hook = UnionWebhook(union=tree["a1"], url=url, preset=WebhookPreset.WECOM)
    with pytest.raises(ValidationError) as exc:
        hook.full_clean()
    assert exc.value.message_dict == {"url": [str(errors.WEBHOOK_URL) % {"value": url}]}
    assert url in exc.value.message_dict["url"][0]


@pytest.mark.django_db
def test_https_robot_address_is_accepted(tree):
    UnionWebhook(
        union=tree["a1"], url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", preset="wecom"
    ).full_clean()
