"""Schemathesis against the live OpenAPI schema (issue 32): every operation, read and action, with a
fixed number of derandomized examples, authenticated with the token of a person who has work; no
answer may be a 5xx or break the schema. The whole run is capped at 2 minutes."""

from __future__ import annotations

import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.services import token_create
from tests.factories import pile_up

EXAMPLES = 10
CAP_SECONDS = 120
_started: list[float] = []


# The schema view needs neither the database nor a sign-in, so the live schema is read at collection.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def auth(cast, budget_in_force, settings):
    """A person with work in every box of the inbox, an obligation calendar and a budget in force."""
    settings.API_RATE_PER_MINUTE = 100_000  # the fuzzer's hundreds of requests are not what the limit is for
    pile_up(cast.audit_director, union=cast.union, n=3, acting_for=cast.chair)
    _token, raw = token_create(user=cast.audit_director, name="schemathesis")
    # as django.test.Client does: the request must not close the test's connection (its transaction)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {raw}"}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_no_answer_outside_the_schema(case, auth):
    _started.append(_started[0] if _started else time.monotonic())
    assert time.monotonic() - _started[0] < CAP_SECONDS, "the schemathesis run took over 2 minutes"
    case.call_and_validate(headers=auth, checks=[not_a_server_error, response_schema_conformance])
