"""A step's batched writes (core/writebehind.py, issue 10 P6): sent once, read back whenever read,
never sent after an error or across a rolled-back savepoint. PostgreSQL, real connection."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import writebehind
from core.models import Event, User
from core.services.events import event_record
from tests.factories import UserFactory


def _events(verb: str) -> int:
    with connection.cursor() as cursor:  # a raw read: goes through Django's cursor like any other
        cursor.execute("SELECT count(*) FROM core_event WHERE verb = %s", [verb])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_batch_goes_in_one_round_trip_before_the_block_ends():
    person = UserFactory(full_name="甲")
    with CaptureQueriesContext(connection) as ctx, transaction.atomic(), writebehind.batch():
        for n in range(3):
            event = event_record(verb="wb_one_trip", detail={"n": n})
            assert event.pk is None  # kept, not written yet
        writebehind.update(User, person.pk, full_name="乙")  # an UPDATE joins the same batch
        assert len(ctx.captured_queries) <= 1  # at most the atomic block's savepoint
    sent = [q["sql"] for q in ctx.captured_queries if "core_event" in q["sql"]]
    assert len(sent) == 1, sent
    assert sent[0].count("INSERT INTO") == 3 and sent[0].count("UPDATE") == 1
    assert Event.objects.filter(verb="wb_one_trip").count() == 3
    person.refresh_from_db()
    assert person.full_name == "乙"


@pytest.mark.django_db
def test_a_read_of_a_batched_table_sees_the_batch():
    with transaction.atomic(), writebehind.batch():
        event_record(verb="wb_read_back")
        assert Event.objects.filter(verb="wb_read_back").count() == 1  # ORM read sends the batch
        event_record(verb="wb_read_back")
        assert _events("wb_read_back") == 2  # so does a raw read


@pytest.mark.django_db
def test_a_read_takes_the_kept_writes_with_it_in_one_round_trip():
    person = UserFactory(full_name="甲")
    sent: list[str] = []

    def to_the_server(execute, sql, params, many, context):  # inner: sees what goes on the wire
        sent.append(sql)
        return execute(sql, params, many, context)

    with transaction.atomic(), writebehind.batch(), connection.execute_wrapper(to_the_server):
        event_record(verb="wb_with_read", detail={"n": 1})
        event_record(verb="wb_with_read", detail={"n": 2})
        writebehind.update(User, person.pk, full_name="乙")
        # a read of a kept table: the writes and the read are one text, the result the read's own
        rows = list(Event.objects.filter(verb="wb_with_read").order_by("id").values_list("detail", flat=True))
        assert rows == [{"n": 1}, {"n": 2}]
        assert len(sent) == 1 and sent[0].count("INSERT INTO") == 2 and "UPDATE" in sent[0]
        assert sent[0].rsplit(";", 1)[-1].strip().startswith("SELECT")
        # an UPDATE … WHERE after another kept write: its row count is its own, not the batch's
        event_record(verb="wb_with_read")
        writebehind.update(User, person.pk, full_name="丙")
        assert User.objects.filter(pk=person.pk, full_name="丙").update(is_active=False) == 1
        assert len(sent) == 2 and sent[1].count(";") == 2  # event, user, then the UPDATE … WHERE
        assert _events("wb_with_read") == 3  # nothing kept: a plain read
        assert len(sent) == 3 and "INSERT" not in sent[2]
    person.refresh_from_db()
    assert person.full_name == "丙" and not person.is_active


@pytest.mark.django_db(transaction=True)
def test_a_kept_write_that_fails_fails_the_read_that_carries_it():
    from django.db import IntegrityError

    taken = UserFactory(username="wb_taken")
    with pytest.raises(IntegrityError), transaction.atomic(), writebehind.batch():
        event_record(verb="wb_failed_step")
        writebehind.insert([User(username=taken.username, full_name="重名")])  # unique: fails when sent
        Event.objects.filter(verb="wb_failed_step").count()  # sends the batch with this read
    assert _events("wb_failed_step") == 0  # the step rolled back whole
    assert User.objects.filter(username="wb_taken").count() == 1


@pytest.mark.django_db
def test_an_error_in_the_block_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic(), writebehind.batch():
        event_record(verb="wb_error")
        raise RuntimeError("the step failed")
    assert not Event.objects.filter(verb="wb_error").exists()


@pytest.mark.django_db
def test_a_rolled_back_savepoint_takes_its_own_writes_only():
    with transaction.atomic(), writebehind.batch():
        event_record(verb="wb_before")
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint inside the step
            event_record(verb="wb_inside")
            raise RuntimeError("the gate failed")
        event_record(verb="wb_after")
    assert _events("wb_before") == 1
    assert _events("wb_inside") == 0
    assert _events("wb_after") == 1


@pytest.mark.django_db
def test_outside_a_batch_every_write_runs_at_once():
    event = event_record(verb="wb_unbatched")
    assert event.pk is not None
    assert _events("wb_unbatched") == 1
    person = UserFactory(full_name="甲")
    with CaptureQueriesContext(connection) as ctx:
        writebehind.update(User, person.pk, full_name="丙")
    assert len(ctx.captured_queries) == 1
    person.refresh_from_db()
    assert person.full_name == "丙"


@pytest.mark.django_db
def test_nested_batches_send_once_at_the_outermost():
    with transaction.atomic(), writebehind.batch():
        with writebehind.batch():
            event_record(verb="wb_nested")
        assert writebehind.active()
        assert _events("wb_nested") == 1  # the read sends it
