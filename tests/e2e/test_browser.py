"""Playwright on Debian's chromium: a demo grassroots chair signs in and sees the Chinese home page."""

import pytest
from django.core.management import call_command

from core.demo import DEMO_PASSWORD
from tests.e2e.session import screenshot


@pytest.fixture
def seed(transactional_db):
    """Seeds the demo through the named seeder (all of it without one): a test seeds what it looks at."""
    from tests.factories import ensure_chart_of_accounts

    def seed(through: str | None = None) -> None:
        ensure_chart_of_accounts()
        call_command("seed_demo", **({"through": through} if through else {}))

    return seed


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit]")


def test_grassroots_chair_sees_chinese_home_with_seats(live_server, seed, new_page):
    from notifications.models import Notification

    seed(through="budgets")
    unread = Notification.objects.filter(recipient__username="fin-office-chair", read_at__isnull=True)
    # the welcome, and the outcomes of the union's documents the demo drove (the chair is told them)
    assert unread.filter(dedupe_key__startswith="outcome:").exists()
    expected = str(unread.count())
    page = new_page()
    sign_in(page, live_server.url, "fin-office-chair")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    seats = page.get_by_test_id("my-seats")
    assert "我的任职" in page.content()
    assert "省财政厅综合处室基层工会" in seats.inner_text()
    assert "工会委员会" in seats.inner_text()
    assert "主席" in seats.inner_text()
    assert page.get_by_test_id("bell-count").inner_text() == expected
    screenshot(page, "home-grassroots-chair")


def test_no_horizontal_scroll_at_375px(live_server, seed, new_page):
    seed()  # the whole demo: every kind's rows must fit the narrow screen
    page = new_page(viewport={"width": 375, "height": 740}, mobile=True)
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
    screenshot(page, "union-detail-375px")


@pytest.fixture
def other_union_pk(seed):
    # Read before the browser starts: ORM calls inside Playwright's event loop get their own
    # connection, which the test database teardown would then find still open.
    from core.models import Union

    seed(through="tree")
    return Union.objects.get(code="edu-office").pk


def test_outsider_in_browser_gets_not_found(live_server, other_union_pk, new_page):
    page = new_page()
    sign_in(page, live_server.url, "fin-office-chair")
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}/unions/{other_union_pk}/")
    assert response.status == 404
    assert "省教育厅机关处室基层工会" not in page.content()
