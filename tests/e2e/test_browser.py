"""Playwright on Debian's chromium: a demo grassroots chair signs in and sees the Chinese home page."""

import pytest
from django.core.management import call_command

from core.demo import DEMO_PASSWORD


@pytest.fixture
def demo(transactional_db):
    from tests.factories import ensure_chart_of_accounts

    ensure_chart_of_accounts()
    call_command("seed_demo")


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")


def test_grassroots_chair_sees_chinese_home_with_seats(live_server, demo, browser):
    page = browser.new_page()
    sign_in(page, live_server.url, "fin-office-chair")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    seats = page.get_by_test_id("my-seats")
    assert "我的任职" in page.content()
    assert "省财政厅综合处室基层工会" in seats.inner_text()
    assert "工会委员会" in seats.inner_text()
    assert "主席" in seats.inner_text()
    # the bell shows the unread welcome notification
    assert page.get_by_test_id("bell-count").inner_text() == "1"


def test_no_horizontal_scroll_at_375px(live_server, demo, browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    sign_in(page, live_server.url, "fin-office-chair")
    page.wait_for_url(f"{live_server.url}/")
    for path in ["/", "/unions/", "/notifications/", "/work/"]:
        page.goto(live_server.url + path)
        # Bootstrap really loaded (served by WhiteNoise from the vendored files)
        assert page.evaluate("getComputedStyle(document.querySelector('nav.navbar')).display") == "flex"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (path, width)
    page.goto(live_server.url + "/unions/")
    page.get_by_role("link", name="省财政厅综合处室基层工会").first.click()
    page.wait_for_url("**/unions/*/")
    assert page.get_by_test_id("body-union_committee").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, ("union detail", width)
    context.close()


@pytest.fixture
def other_union_pk(demo):
    # Read before the browser starts: ORM calls inside Playwright's event loop get their own
    # connection, which the test database teardown would then find still open.
    from core.models import Union

    return Union.objects.get(code="edu-office").pk


def test_outsider_in_browser_gets_not_found(live_server, other_union_pk, browser):
    page = browser.new_page()
    sign_in(page, live_server.url, "fin-office-chair")
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}/unions/{other_union_pk}/")
    assert response.status == 404
    assert "省教育厅机关处室基层工会" not in page.content()
