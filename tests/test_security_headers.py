"""Content-Security-Policy and Permissions-Policy on every response, and templates the policy can serve.

The policy forbids inline script and style ('unsafe-inline' nowhere), so a page only works if its
templates carry no inline <script>, on<event>= handler, style= attribute or javascript: URL: the
grep below keeps it that way (static/js/wuyi.js and static/css/wuyi.css do the work instead). Every
page in a real browser, with violations caught as they happen: tests/e2e/test_csp.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from core.models import Role
from tests.factories import UserFactory, give_seat

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# An e-mail, not a page: mail clients ignore <style> sheets, so its styles are inline by necessity.
NOT_PAGES = {"notifications/email.html"}

# What a browser under the policy refuses (or, for the last two, what the policy exists to stop).
FORBIDDEN = {
    "inline <script> (no src=)": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.I),
    "on<event>= handler": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S),
    "style= attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S),
    "<style> element": re.compile(r"<style\b", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_policies(response) -> None:
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    policy = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy.split(", ")


def offences(text: str) -> list[str]:
    return [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]


def test_no_template_has_inline_script_handler_or_style():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in NOT_PAGES:
            continue
        found += [f"{name}: {what}" for what in offences(path.read_text(encoding="utf-8"))]
    assert found == [], "move these to static/js/wuyi.js or static/css/wuyi.css:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        '<form method="post" onsubmit="return confirm(\'?\')">',
        '<select id="v"\n  onchange="this.form.submit()">',
        '<div class="x" style="min-width: 0">',
        "<style>.a{}</style>",
        '<a href="javascript:void(0)">',
    ],
)
def test_the_template_grep_catches_each_kind(snippet):
    assert offences(snippet)


def test_the_template_grep_lets_through_what_the_policy_allows():
    allowed = (
        "<script src=\"{% static 'js/wuyi.js' %}\" defer></script>"
        '<form method="post" data-confirm="撤回？"><select data-autosubmit name="version">'
        "<p>Based on the plan, one=two is not an attribute.</p>"
    )
    assert offences(allowed) == []


def test_server_drawn_charts_use_presentation_attributes_not_style():
    from oversight.svg import bar_chart, line_chart

    charts = bar_chart([("预算", 3), ("计划", 1)], title="卡点") + line_chart(
        ["1月", "2月"], [("待办", [1, 2]), ("逾期", [0, 1])], title="趋势"
    )
    assert "style=" not in charts and "<style" not in charts


@pytest.mark.django_db
def test_signed_out_pages_and_refusals_carry_both_policies(client):
    for url in (reverse("login"), reverse("home"), "/no-such-page/"):
        assert_policies(client.get(url))


@pytest.mark.django_db
def test_signed_in_pages_exports_and_refusals_carry_both_policies(client, tree):
    chair = UserFactory()
    give_seat(chair, tree["a1"], Role.CHAIR, "union_committee")
    client.force_login(chair)
    pages = [
        reverse("home"),
        reverse("union_list"),
        reverse("union_detail", args=[tree["a1"].pk]),
        reverse("budget:list", args=[tree["a1"].pk]),
        reverse("workflows:my_work"),
        reverse("notifications:list"),
        reverse("notifications:preferences"),
        reverse("oversight:stuck"),
        reverse("oversight:stuck_export"),
        reverse("union_detail", args=[tree["b1"].pk]),  # another union's: 404
    ]
    statuses = set()
    for url in pages:
        response = client.get(url)
        statuses.add(response.status_code)
        assert_policies(response)
    redirect = client.post(reverse("notifications:mark_read"))
    assert_policies(redirect)
    assert {200, 404} <= statuses


def test_permissions_policy_header_is_built_from_the_setting():
    from config.middleware import permissions_policy_header

    assert permissions_policy_header({"camera": [], "fullscreen": ["self"]}) == "camera=(), fullscreen=(self)"
