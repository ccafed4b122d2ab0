from __future__ import annotations

import pytest
from django.db import connection

from core.models import Role, UnionKind
from tests.factories import PASSWORD, UserFactory, give_seat, make_tree


@pytest.fixture(autouse=True)
def _on_postgresql(request):
    """The suite runs against PostgreSQL (make test sets DATABASE_URL); fail loudly otherwise."""
    if "django_db_setup" in request.fixturenames or request.node.get_closest_marker("django_db"):
        assert connection.vendor == "postgresql", "tests must run on PostgreSQL: use `make test`"


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
