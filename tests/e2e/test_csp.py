"""Playwright: every page of the scope crawler's list under the Content-Security-Policy, in one chromium.

The scope crawler (tests/test_scope_crawler.py) builds union a1 with an object of every kind and
fills every URL pattern from it. Here each address is opened by a person of a1 (or its supervisor)
who may see it — the first of ``ROLE_ORDER`` whose GET is a 200 HTML page — signed in by session
cookie, one browser context per person. Any policy violation fails the run: the browser's console
message and a ``securitypolicyviolation`` listener installed before the page's own scripts. So do
errors of the page's scripts and Permissions-Policy errors (a feature name Chromium does not know).
Then the page behaviour that moved to static/js/wuyi.js is used: a version chooser that submits on
change, a withdrawal behind a confirm dialog (cancelled, then accepted) and an htmx request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.models import Role
from tests.e2e.session import screenshot
from tests.factories import UserFactory, give_seat, make_tree
from tests.test_scope_crawler import ALSO, DOCUMENTS, World, crawled_routes, world_key

# Who opens a page: the first person of the victim union (or above it) whose GET answers 200 HTML.
ROLE_ORDER = [
    "office",
    "chair",
    "audit director",
    "party secretary",
    "congress chair",
    "representative",
    "group leader",
    "supervisor",
]
# Oversight pages are the supervisors' (a chair sees only the own union there).
SUPERVISOR_FIRST = ("oversight:", "reports:received", "execution:received")

# Installed before any script of the page: records what the policy blocked, with where and why.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(
    e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " at " + e.sourceFile + ":" +
    e.lineNumber + (e.sample ? " (" + e.sample + ")" : "")
  );
});
"""
READ_VIOLATIONS = "() => new Promise(r => setTimeout(() => r(window.__cspViolations || []), 30))"
# Console messages that mean a policy problem (CSP refusals, unknown Permissions-Policy features).
POLICY_WORDS = (
    "Content Security Policy",
    "Content-Security-Policy",
    "Permissions-Policy",
    "Permissions policy",
)


@dataclass(frozen=True)
class Visit:
    role: str | None  # None: signed out
    name: str
    url: str


def own_people(world: World) -> dict[str, object]:
    """People of the victim union a1 itself, and a supervisor of its department union."""
    cast = world.cast
    supervisor = UserFactory(username="dept-a-supervisor")
    give_seat(supervisor, world.tree["dept_a"], Role.SUPERVISOR)
    return {
        "office": cast.office,
        "chair": cast.chair,
        "audit director": cast.audit_director,
        "party secretary": cast.party_secretary,
        "congress chair": cast.congress_chair,
        "representative": cast.representatives[0],
        "group leader": cast.group_leader,
        "supervisor": supervisor,
    }


def addresses(world: World) -> list[tuple[str, str]]:
    """(URL name, address) of every crawled pattern, its kwargs filled from the world as the crawler
    does (one address per document type, the ALSO variants); pages without kwargs also filtered by
    the victim union."""
    victim = world.get("union")
    found = []
    for route in crawled_routes():
        if {"document_type", "document_id"} <= set(route.kwargs):
            variants = [{"document_type": t, "document_id": world.get(key)} for t, key in DOCUMENTS.items()]
        else:
            variants = [{}] + [
                {k: world.get(v) for k, v in extra.items()} for extra in ALSO.get(route.name, [])
            ]
        for fixed in variants:
            keys = {k: world_key(route, k) for k in route.kwargs if k not in fixed}
            if not all(hasattr(world, f"make_{key}") for key in keys.values()):
                continue  # a pattern the crawler cannot fill yet: tests/test_scope_crawler.py fails on it
            kwargs = {**fixed, **{k: world.get(key) for k, key in keys.items()}}
            url = reverse(route.name, kwargs=kwargs)
            found.append((route.name, url))
            if not route.kwargs:
                found.append((route.name, f"{url}?union={victim}"))
    return found


def choose_visits(world: World, clients: dict[str, Client]) -> tuple[list[Visit], list[str]]:
    """One role per address: the first whose GET is a 200 HTML page. Addresses no one gets as a page
    (POST-only actions, .xlsx downloads, pages of a document in another state) are returned apart."""
    visits, not_pages = [], []
    for name, url in addresses(world):
        order = ROLE_ORDER
        if name.startswith(SUPERVISOR_FIRST):
            order = ["supervisor"] + [r for r in ROLE_ORDER if r != "supervisor"]
        for role in order:
            response = clients[role].get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                visits.append(Visit(role, name, url))
                break
            if response.status_code in (200, 405):  # a download or a POST-only action, for anyone
                not_pages.append(f"{name} {url}")
                break
        else:
            not_pages.append(f"{name} {url}")
    return visits, not_pages


def budget_with_two_versions(world: World):
    """A budget back at its drafter after the opinions, edited into version 2: its page has the
    version chooser (data-autosubmit) and the withdrawal (data-confirm)."""
    from tests.factories import BALANCED_LINES
    from tests.scenarios import answer_all
    from workflows.budget.services import LineInput, budget_save_lines

    budget = world._budget(2030, "give_opinion")
    answer_all(budget, world.cast)
    lines = [*BALANCED_LINES[:-1], LineInput("50502", Decimal("55000.00"))]
    budget_save_lines(
        actor=world.cast.office,
        budget=budget,
        lines=lines,
        carryover=Decimal("20000.00"),
        carryover_is_estimate=True,
    )
    assert budget.versions.count() == 2
    return budget


@pytest.fixture
def csp_setup(transactional_db):
    """Everything the browser needs, read before Playwright's event loop starts."""
    from tests.factories import ensure_chart_of_accounts

    started = time.monotonic()
    ensure_chart_of_accounts()  # an earlier transactional test's flush removed it
    world = World(make_tree())
    people = own_people(world)
    clients = {}
    for role, person in people.items():
        clients[role] = Client()
        clients[role].force_login(person)
    visits, not_pages = choose_visits(world, clients)
    budget = budget_with_two_versions(world)
    visits += [
        # the budget form: the drafter may edit again once the opinions are in
        Visit("office", "budget:edit", reverse("budget:edit", args=[budget.pk])),
        Visit(None, "login", reverse("login")),
        Visit("chair", "404", "/no-such-page/"),
        Visit("office", "403", reverse("oversight:stuck")),  # office staff are no supervisors
    ]
    return {
        "visits": visits,
        "not_pages": not_pages,
        "cookies": {role: c.cookies[settings.SESSION_COOKIE_NAME].value for role, c in clients.items()},
        "budget": budget,
        "started": started,
    }


class Watcher:
    """Policy problems and script errors of one page, with the address they happened on."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: script error {error}"))

    def _console(self, message) -> None:
        if any(word in message.text for word in POLICY_WORDS):
            self.problems.append(f"{self.page.url}: console {message.type}: {message.text}")

    def check(self) -> list[str]:
        """Violations the listener saw on the current page, plus console ones; then forget them."""
        found = [f"{self.page.url}: {v}" for v in self.page.evaluate(READ_VIOLATIONS)] + self.problems
        self.page.evaluate("() => { window.__cspViolations = []; }")
        self.problems = []
        return found


def open_page(new_page, base: str, cookie: str | None):
    page = new_page()
    if cookie:
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    return page, Watcher(page)


def the_watcher_sees_violations(page, watcher: Watcher) -> None:
    """Control: what the policy must block is blocked and reported (else a silent listener would pass)."""
    page.evaluate(
        """() => document.body.insertAdjacentHTML('beforeend',
        '<div style="color: red"></div><img src="data:," onerror="window.__ran = 1">')"""
    )
    seen = " ".join(watcher.check())
    assert "style-src-attr" in seen and "script-src-attr" in seen, seen
    assert page.evaluate("() => window.__ran") is None


def visit_all(new_page, base: str, setup: dict) -> tuple[int, list[str]]:
    problems: list[str] = []
    visited = 0
    by_role: dict[str | None, list[Visit]] = {}
    for visit in setup["visits"]:
        by_role.setdefault(visit.role, []).append(visit)
    for role, visits in by_role.items():
        page, watcher = open_page(new_page, base, setup["cookies"].get(role))
        for visit in visits:
            response = page.goto(base + visit.url)
            headers = response.headers
            if "content-security-policy" not in headers or "permissions-policy" not in headers:
                problems.append(f"{visit.url} ({visit.name}): no CSP or Permissions-Policy header")
            problems += [f"[{role}] {p}" for p in watcher.check()]
            if visited == 0:
                the_watcher_sees_violations(page, watcher)
            visited += 1
        page.context.close()
    return visited, problems


def use_the_budget_page(new_page, base: str, setup: dict) -> list[str]:
    """The version chooser, the confirm dialog (cancel, then accept) and htmx, under the policy."""
    page, watcher = open_page(new_page, base, setup["cookies"]["office"])
    url = f"{base}{reverse('budget:detail', args=[setup['budget'].pk])}"
    page.goto(url)
    assert page.evaluate("() => htmx.config.includeIndicatorStyles") is False
    assert page.locator("head style").count() == 0  # htmx injected no inline <style>
    # data-autosubmit: choosing version 1 reloads the page with it
    page.select_option("select#version", "1")
    page.wait_for_url("**/?version=1")
    assert page.locator("select#version").input_value() == "1"
    # data-confirm: Cancel keeps the page, OK posts the withdrawal
    answers = []

    def answer(dialog, accept):
        answers.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, accept=False))
    page.get_by_test_id("withdraw").click()
    page.wait_for_timeout(300)
    assert page.url.endswith("?version=1") and page.get_by_test_id("withdraw").is_visible()
    page.once("dialog", lambda d: answer(d, accept=True))
    with page.expect_navigation():
        page.get_by_test_id("withdraw").click()
    assert len(answers) == 2 and answers[0] == answers[1] and answers[0]
    assert page.get_by_test_id("withdraw").count() == 0
    # htmx: a request swaps the inbox into the page, with the indicator class from wuyi.css
    page.evaluate("() => htmx.ajax('GET', '/work/', {target: 'main', select: 'main', swap: 'outerHTML'})")
    page.locator("[data-testid=my-work]").wait_for()
    assert page.evaluate("() => getComputedStyle(document.body).opacity") == "1"
    screenshot(page, "csp-inbox-after-htmx")
    return watcher.check()


def test_every_page_loads_without_a_content_security_policy_violation(live_server, csp_setup, new_page):
    visited, problems = visit_all(new_page, live_server.url, csp_setup)
    problems += use_the_budget_page(new_page, live_server.url, csp_setup)
    roles = sorted({v.role or "signed out" for v in csp_setup["visits"]})
    print(
        f"\nCSP: {visited} pages visited in chromium as {len(roles)} roles ({', '.join(roles)}) in "
        f"{time.monotonic() - csp_setup['started']:.1f} s; {len(csp_setup['not_pages'])} addresses are "
        "not pages for anyone (POST-only actions, downloads, a document in another state)"
    )
    assert problems == [], f"{len(problems)} policy problems:\n" + "\n".join(problems[:40])
    assert visited >= 60  # the crawler's list really was walked
    csp_setup["budget"].refresh_from_db()
    assert csp_setup["budget"].status == "withdrawn"
