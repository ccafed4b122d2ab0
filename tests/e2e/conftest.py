"""The browser of the end-to-end tests."""

from __future__ import annotations

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.session import ARGS, CHROMIUM


@pytest.fixture
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
