from __future__ import annotations

import pytest
from django.db import connection

from core.models import Role, UnionKind
from tests.factories import PASSWORD, UserFactory, give_seat, make_tree


@pytest.fixture(autouse=True)
def _fresh_reference_cache():
    """A test's rolled-back rows must not outlive it in core.refcache's process memory."""
    from core import refcache

    refcache.reset()
    yield
    refcache.reset()


def ensure_chart_of_accounts() -> None:
    """The chart of accounts is migration data: a transactional test's flush removes it, so put it back."""
    import importlib

    from django.apps import apps

    from workflows.budget.models import Account

    if not Account.objects.exists():
        migration = importlib.import_module("workflows.budget.migrations.0002_chart_of_accounts")
        with connection.schema_editor() as editor:
            migration.load_chart(apps, editor)
    from core.statutory import CalendarYear
    from notifications.models import ReminderRule

    if not CalendarYear.objects.exists():
        migration = importlib.import_module("core.migrations.0005_seed_calendar")
        migration.seed(apps, None)
    if not ReminderRule.objects.exists():
        migration = importlib.import_module("notifications.migrations.0003_default_reminder_rules")
        migration.seed(apps, None)


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
        user = UserFactory()
        give_seat(user, union, Role.SUPERVISOR)
        return user

    return _make
