"""Playwright on Debian's chromium: the browser's arguments and signing in as a user of the tests."""

from __future__ import annotations

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def status_of(page) -> str:
    return page.get_by_test_id("status").inner_text()


class Session:
    """One browser switching users: each user in a fresh phone-sized context."""

    def __init__(self, browser, base_url):
        self.browser = browser
        self.base = base_url
        self.context = None
        self.page = None

    def as_user(self, username: str):
        if self.context is not None:
            self.context.close()
        self.context = self.browser.new_context(viewport={"width": 390, "height": 844})
        self.page = self.context.new_page()
        sign_in(self.page, self.base, username)
        return self.page

    def open_first_work_item(self):
        page = self.page
        page.goto(f"{self.base}/work/")
        page.locator("[data-testid=my-work] a.btn").first.click()
        return page
