"""Playwright on Debian's chromium: the one browser of a test run, screenshots, and signing in as a user
of the tests."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from django.db import connections
from playwright.sync_api import sync_playwright

from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "build" / "screenshots"


class SharedBrowser:
    """The one chromium of a test run (the `new_page` fixture in tests/conftest.py), started by the first
    test that opens a page and stopped when the run ends.

    Between its calls Playwright's sync API marks its event loop as running in the test thread. That mark
    is kept only from a test's first page to the test's end; the other tests run without it, as if no
    browser existed (asyncio.run() and async_to_sync() keep working in them). Under the mark Django allows
    the ORM (DJANGO_ALLOW_ASYNC_UNSAFE, tests/env_defaults.py) but keeps its database connections apart
    from the thread's own (asgiref's thread-critical Local): the ORM calls of a test after its first page
    neither see its uncommitted rows (a `db` test reads everything before it opens a page) nor reach the
    end of the run, because release() closes their connection before the test database is flushed.
    """

    def __init__(self):
        self._playwright = None
        self._browser = None
        self._loop = None

    def _enter(self):
        if self._browser is None:
            self._playwright = sync_playwright().start()
            self._loop = asyncio.get_running_loop()
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        else:
            asyncio._set_running_loop(self._loop)  # back as Playwright left it after its last call
        return self._browser

    def new_page(self, viewport: dict | None = None, mobile: bool = False, **options):
        """A page in a fresh context; `mobile`: a touch screen that reports itself as a phone."""
        if viewport is not None:
            options["viewport"] = viewport
        if mobile:
            options.update(is_mobile=True, has_touch=True)
        return self._enter().new_context(**options).new_page()

    def release(self) -> None:
        """After a test: close the contexts it left open and the database connections it used under the
        running mark, then take the mark off the loop."""
        if self._browser is None:
            return
        try:
            for context in self._browser.contexts:
                context.close()
        finally:
            asyncio._set_running_loop(self._loop)  # so that close_all() reaches the connections made under it
            connections.close_all()
            asyncio._set_running_loop(None)

    def close(self) -> None:
        if self._browser is None:
            return
        self._enter()
        try:
            self._browser.close()
        finally:
            self._playwright.stop()  # ends the loop, which clears the running mark
            self._browser = None


def screenshot(page, name: str) -> None:
    """build/screenshots/<name>.png of the whole page, only when SCREENSHOTS=1: a normal run writes none."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / f"{name}.png", full_page=True)


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def status_of(page) -> str:
    return page.get_by_test_id("status").inner_text()


class Session:
    """One browser switching users: each user in a fresh phone-sized context (`new_page`: the fixture)."""

    def __init__(self, new_page, base_url):
        self.new_page = new_page
        self.base = base_url
        self.page = None

    def as_user(self, username: str):
        if self.page is not None:
            self.page.context.close()
        self.page = self.new_page(viewport={"width": 390, "height": 844})
        sign_in(self.page, self.base, username)
        return self.page

    def open_first_work_item(self):
        page = self.page
        page.goto(f"{self.base}/work/")
        page.locator("[data-testid=my-work] a.btn").first.click()
        return page


def page_problems(page, usernames) -> list[str]:
    """What no page may have, as "<url>: <problem>": a horizontal scroll (the page wider than its
    window, at 375 px as at 1280) and a username in its visible text (people are shown by name)."""
    found = page.evaluate(
        """(names) => {
            const root = document.documentElement;
            const text = document.body.innerText;
            const problems = [];
            if (root.scrollWidth > root.clientWidth) {
                problems.push(`horizontal scroll: ${root.scrollWidth} px wide in ${root.clientWidth} px`);
            }
            for (const name of names) {
                if (text.includes(name)) problems.push(`username shown: ${name}`);
            }
            return problems;
        }""",
        list(usernames),
    )
    return [f"{page.url}: {problem}" for problem in found]
