from __future__ import annotations

import pytest

from core.models import Role, UnionKind
from tests import scenarios
from tests.factories import (
    BALANCED_LINES,
    CARRYOVER,
    PASSWORD,
    Cast,
    ensure_chart_of_accounts,
    make_budget,
    make_tree,
    seated,
)
from tests.scenarios import at, submit_draft, travel
from workflows.services.drafting import Recipient


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    """A test's rolled-back rows must not outlive it in core.refcache's process memory."""
    from core import refcache

    refcache.reset()
    yield
    refcache.reset()


@pytest.fixture(autouse=True)
def _site_language():
    """Each test ends with no language active, as the next one expects: Django's LocaleMiddleware leaves the
    language of the last request it served active in the thread (an English page would otherwise make the
    next test English); without one active, the site's language applies."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _chart_of_accounts(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    transactional = marker.kwargs.get("transaction", False)
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_chart_of_accounts()


@pytest.fixture
def tree(db):
    return make_tree()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def supervisor_of(db):
    def _make(union):
        assert union.kind in (UnionKind.PROVINCIAL, UnionKind.DEPARTMENT)
        return seated(union, Role.SUPERVISOR)

    return _make


@pytest.fixture
def cast(tree):
    """The people of union a1 (tests.factories.Cast)."""
    return Cast(tree)


@pytest.fixture
def audit_secretary(cast):
    """A second recorder of a1's fund audit committee."""
    return seated(cast.union, Role.SECRETARY, "audit_committee", username="a1-audit-secretary")


@pytest.fixture
def sibling(tree):
    """The chair of a2, a1's sibling below the same department."""
    return seated(tree["a2"], Role.CHAIR, "union_committee", username="a2-chair")


@pytest.fixture
def draft_budget(cast):
    def _make(year=2027, lines=BALANCED_LINES, carryover=CARRYOVER):
        return make_budget(cast, year=year, lines=lines, carryover=carryover)

    return _make


@pytest.fixture
def submitted_budget(cast, draft_budget):
    """A draft budget sent out for opinions (to the union group a1g and a representative by default)."""

    def _make(recipients=None, **kwargs):
        people = recipients or [Recipient(cast.group_leader, cast.group), Recipient(cast.representatives[0])]
        return submit_draft(draft_budget(**kwargs), cast, people)

    return _make


@pytest.fixture
def budget_in_force(cast):
    """a1's 2026 budget, its carryover audited, put in force through the S3.3 chain on 1 March 2026."""
    with travel(at(2026, 3, 1, 10, 0)):
        return scenarios.budget_in_force(cast, year=2026, carryover_is_estimate=False)


@pytest.fixture(scope="session")
def shared_browser():
    """The one chromium of the run, launched by the first test that opens a page (tests/e2e/session.py)."""
    from tests.e2e.session import SharedBrowser

    shared = SharedBrowser()
    yield shared
    shared.close()


@pytest.fixture
def new_page(shared_browser):
    """new_page(viewport=..., mobile=..., **context options): a page in a fresh context of the shared
    chromium; the test's contexts are closed after it."""
    yield shared_browser.new_page
    shared_browser.release()
