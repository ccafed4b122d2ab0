"""Hot SELECTs compiled once (core/compiled.py, issue 10 P6): the same objects as the ORM's, the
stated parameters checked, a shape that changes with its values refused. PostgreSQL, real rows."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from core import compiled
from core.models import Event, Seat, User
from core.services.events import event_record
from tests.factories import UserFactory


def _seats_query(person_id):
    return Seat.objects.filter(person_id=person_id).select_related("union", "body").order_by("id")


@pytest.mark.django_db
def test_model_rows_are_the_orms_own_with_related_rows_and_converted_values(cast):
    person = cast.chair
    expected = list(_seats_query(person.pk))
    assert expected, "the cast's chair holds seats"
    for _ in range(2):  # compiled on the first call, from the cache on the second
        with CaptureQueriesContext(connection) as ctx:
            got = compiled.fetch(("test.seats",), lambda: _seats_query(person.pk), (person.pk,))
        assert len(ctx.captured_queries) == 1
        assert [s.pk for s in got] == [s.pk for s in expected]
        for mine, theirs in zip(got, expected, strict=True):
            assert {f.attname: getattr(mine, f.attname) for f in Seat._meta.concrete_fields} == {
                f.attname: getattr(theirs, f.attname) for f in Seat._meta.concrete_fields
            }
            with CaptureQueriesContext(connection) as related:
                assert mine.union.name == theirs.union.name  # select_related: no query
                assert (mine.body.pk if mine.body_id else None) == (
                    theirs.body.pk if theirs.body_id else None
                )
            assert not related.captured_queries
            assert mine._state.adding is False and mine._state.db == "default"
    # a JSON column comes back as Python, as the ORM gives it
    event = event_record(verb="compiled_json", detail={"甲": [1, 2]})
    (row,) = compiled.fetch(
        ("test.event_detail",),
        lambda: Event.objects.filter(pk=event.pk).values_list("detail", "created_at"),
        (event.pk,),
    )
    assert row[0] == {"甲": [1, 2]} and row[1].tzinfo is not None


@pytest.mark.django_db
def test_misstated_parameters_are_refused_in_tests_and_answered_correctly_outside(monkeypatch, caplog):
    person = UserFactory(username="compiled_p")
    build = lambda: User.objects.filter(username="compiled_p", is_active=True).values_list("pk")  # noqa: E731
    with pytest.raises(compiled.ParameterMismatch):
        compiled.fetch(("test.misstated",), build, (True, "compiled_p"))  # the wrong order
    monkeypatch.setattr(compiled, "VERIFY", False)
    for _ in range(2):
        assert compiled.fetch(("test.misstated",), build, (True, "compiled_p")) == [(person.pk,)]
    assert ("test.misstated", "default") not in compiled._cache
    assert sum("not cached" in r.getMessage() for r in caplog.records) == 1  # said once


@pytest.mark.django_db
def test_a_shape_that_changes_with_its_values_is_refused():
    users = UserFactory.create_batch(3)
    ids = [u.pk for u in users]
    assert (
        len(
            compiled.fetch(
                ("test.in_list",), lambda: User.objects.filter(pk__in=ids[:2]).values_list("pk"), ids[:2]
            )
        )
        == 2
    )
    # three values make three placeholders: not the SQL kept for the key
    with pytest.raises(compiled.ParameterMismatch, match="SQL changed"):
        compiled.fetch(("test.in_list",), lambda: User.objects.filter(pk__in=ids).values_list("pk"), ids)


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_needs_a_transaction():
    person = UserFactory()
    build = lambda: User.objects.select_for_update().filter(pk=person.pk)[:1]  # noqa: E731
    compiled._cache.pop((("test.locked",), "default"), None)
    with transaction.atomic():
        assert compiled.first(("test.locked",), build, (person.pk,)).pk == person.pk
    with pytest.raises(TransactionManagementError):
        compiled.first(("test.locked",), build, (person.pk,))  # kept SQL, same rule as the ORM's


@pytest.mark.django_db
def test_dates_bind_as_the_backend_binds_them(cast):
    day = datetime.date(2026, 12, 6)
    person = cast.chair

    def build():
        return Seat.objects.filter(person_id=person.pk, start_date__lte=day).values_list("pk").order_by("pk")

    expected = list(build())
    assert expected
    assert compiled.fetch(("test.date",), build, (person.pk, day)) == expected


def test_only_model_and_plain_values_querysets_are_taken():
    with pytest.raises(ValueError, match="plain values_list"):
        compiled._compile(lambda: User.objects.values("pk"), "default")
    with pytest.raises(ValueError, match="plain values_list"):
        compiled._compile(lambda: User.objects.values_list("pk", flat=True), "default")
