"""A person's notification preferences and calendar address, and a union's group robots (issue 6)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.models import Event
from notifications import errors
from notifications.forms import WEBHOOK_DUPLICATE
from notifications.models import ChannelPreference, UnionWebhook, WebhookAllowedHost, WebhookPreset


def shown(message, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message) % params if params else str(message)
    return escape(text)


# --- preferences ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_preferences_page_shows_the_absolute_feed_address(cast, client):
    client.force_login(cast.office)
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    preference = ChannelPreference.objects.get(user=cast.office)
    assert preference.email and preference.daily_digest
    html = response.content.decode()
    assert f'value="http://testserver/calendar/{preference.ical_token}.ics"' in html
    assert 'data-testid="no-email"' in html  # the demo-like person has no e-mail address


@pytest.mark.django_db
def test_preferences_save(cast, client):
    client.force_login(cast.office)
    response = client.post(reverse("notifications:preferences"), {"daily_digest": "on"})
    assert response.status_code == 302
    preference = ChannelPreference.objects.get(user=cast.office)
    assert preference.email is False
    assert preference.daily_digest is True
    client.post(reverse("notifications:preferences"), {"email": "on"})
    preference.refresh_from_db()
    assert (preference.email, preference.daily_digest) == (True, False)


@pytest.mark.django_db
def test_new_address_ends_the_old_one(cast, client):
    client.force_login(cast.office)
    client.get(reverse("notifications:preferences"))
    old = ChannelPreference.objects.get(user=cast.office).ical_token
    response = client.post(reverse("notifications:ical_token_renew"))
    assert response.status_code == 302
    new = ChannelPreference.objects.get(user=cast.office).ical_token
    assert new != old
    client.logout()
    assert client.get(reverse("ical_feed", args=[old])).status_code == 404
    assert client.get(reverse("ical_feed", args=[new])).status_code == 200
    assert Event.objects.filter(verb="ical_token_renewed", actor=cast.office).count() == 1


@pytest.mark.django_db
def test_preferences_need_login(client):
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url
    assert client.get(reverse("notifications:ical_token_renew")).status_code in (302, 405)


# --- a union's group robots -----------------------------------------------------------------------


def hooks_url(cast) -> str:
    return reverse("union_webhooks", args=[cast.union.pk])


@pytest.mark.django_db
def test_chair_adds_a_wecom_robot_and_pauses_it(cast, client, dns):
    dns["qyapi.weixin.qq.com"] = ["101.226.103.106"]  # a public address of the robot host
    client.force_login(cast.chair)
    assert client.get(hooks_url(cast)).status_code == 200
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"
    response = client.post(hooks_url(cast), {"preset": WebhookPreset.WECOM, "url": url})
    assert response.status_code == 302
    hook = UnionWebhook.objects.get(union=cast.union)
    assert (hook.url, hook.preset, hook.active) == (url, WebhookPreset.WECOM, True)
    assert Event.objects.filter(verb="webhook_added", union=cast.union, actor=cast.chair).exists()
    listing = client.get(hooks_url(cast)).content.decode()
    assert f'data-testid="webhook-{hook.pk}"' in listing
    assert "693a91f6" not in listing  # the robot's key stays secret
    toggle = reverse("union_webhook_toggle", args=[cast.union.pk, hook.pk])
    client.post(toggle, {"active": "0"})
    hook.refresh_from_db()
    assert hook.active is False
    client.post(toggle, {"active": "1"})
    hook.refresh_from_db()
    assert hook.active is True
    assert Event.objects.filter(verb__in=["webhook_deactivated", "webhook_activated"]).count() == 2


@pytest.mark.django_db
def test_webhook_with_a_bad_url_shows_the_message_and_keeps_the_input(cast, client):
    client.force_login(cast.office)
    response = client.post(
        hooks_url(cast), {"preset": WebhookPreset.DINGTALK, "url": "ftp://robot.example/x"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert shown(errors.WEBHOOK_URL, value="ftp://robot.example/x") in html
    assert 'value="ftp://robot.example/x"' in html
    assert re.search(r'<input[^>]*value="dingtalk"[^>]*checked', html)  # the preset chosen is kept
    assert not UnionWebhook.objects.exists()


@pytest.mark.django_db
def test_generic_webhook_template_must_give_json(cast, client, dns):
    # an intranet gateway the administrator allows: plain http, its internal network named
    WebhookAllowedHost.objects.create(host="gw.intranet", allow_http=True, address="10.1.2.0/24")
    dns["gw.intranet"] = ["10.1.2.3"]
    client.force_login(cast.office)
    bad = client.post(
        hooks_url(cast),
        {"preset": WebhookPreset.GENERIC, "url": "http://gw.intranet/msg", "template": '{"text": {title}}'},
    )
    assert bad.status_code == 400
    assert "{&quot;text&quot;: {title}}" in bad.content.decode()
    assert not UnionWebhook.objects.exists()
    good = client.post(
        hooks_url(cast),
        {
            "preset": WebhookPreset.GENERIC,
            "url": "http://gw.intranet/msg",
            "template": '{"msg": "{title}", "link": "{url}"}',
        },
    )
    assert good.status_code == 302
    assert UnionWebhook.objects.get().template == '{"msg": "{title}", "link": "{url}"}'
    again = client.post(hooks_url(cast), {"preset": WebhookPreset.GENERIC, "url": "http://gw.intranet/msg"})
    assert again.status_code == 400
    assert shown(WEBHOOK_DUPLICATE) in again.content.decode()


@pytest.mark.django_db
def test_webhooks_outsider_404_participant_404_supervisor_403(cast, tree, supervisor_of, client):
    hook = UnionWebhook.objects.create(
        union=cast.union, url="https://oapi.dingtalk.com/robot/send?access_token=t"
    )
    toggle = reverse("union_webhook_toggle", args=[cast.union.pk, hook.pk])
    for person in (cast.outsider, cast.representatives[0]):
        client.force_login(person)
        assert client.get(hooks_url(cast)).status_code == 404
        assert (
            client.post(hooks_url(cast), {"preset": "wecom", "url": "https://x.example/"}).status_code == 404
        )
        assert client.post(toggle, {"active": "0"}).status_code == 404
    client.force_login(supervisor_of(tree["dept_a"]))
    assert client.get(hooks_url(cast)).status_code == 403
    assert client.post(toggle, {"active": "0"}).status_code == 403
    # an officer who does not manage the union (the audit director) may not either
    client.force_login(cast.audit_director)
    assert client.get(hooks_url(cast)).status_code == 403
    hook.refresh_from_db()
    assert hook.active is True
    assert UnionWebhook.objects.count() == 1
