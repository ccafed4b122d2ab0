"""Document numbers (文号, issue 33): given at 签发, never at draft; per union, series and year, gap-free
even with two chairs' issues racing on real PostgreSQL connections; a revoked document keeps its number
and nobody gets it again; one number a document and kind; the series' codes are data."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from core.models import Role
from tests.factories import give_seat, seated
from tests.outputs.official_helpers import CODE, draft_request, organ, sent_request
from workflows.outputs.models import IssuedNumber, NumberCounter, NumberSeries, OutputKind, SeriesCode
from workflows.outputs.numbers import issue_day
from workflows.outputs.official import (
    ALREADY_ISSUED,
    NO_ORGAN,
    NOT_CHAIR,
    NOT_NOW,
    issue_official,
    revoke_official,
)


def issue(cast, request, actor=None):
    return issue_official(actor=actor or cast.chair, document_type="instruction", document=request)


@pytest.mark.django_db
def test_s1_3_no_number_at_draft_nor_without_the_organ(cast):
    draft = draft_request(cast)
    with pytest.raises(ValidationError) as refused:
        issue(cast, draft)
    assert refused.value.messages == [str(NOT_NOW)]
    sent = sent_request(cast)
    with pytest.raises(ValidationError) as refused:
        issue(cast, sent)  # a1 has no issuing organ yet
    assert refused.value.messages == [str(NO_ORGAN)]
    assert not IssuedNumber.objects.exists()
    assert not NumberCounter.objects.exists()


@pytest.mark.django_db
def test_numbers_follow_on_and_a_revoked_number_stays_and_is_never_given_again(cast):
    organ(cast.union)
    year = issue_day(cast.union).year
    first, second, third = (sent_request(cast, title=f"关于第{n}件事项的请示") for n in (1, 2, 3))
    one = issue(cast, first)
    two = issue(cast, second)
    assert [one.number, two.number] == [f"{CODE}〔{year}〕1号", f"{CODE}〔{year}〕2号"]
    revoke_official(actor=cast.chair, issued=one)
    three = issue(cast, third)
    assert three.number == f"{CODE}〔{year}〕3号"  # 1 is revoked, not free
    one.refresh_from_db()
    assert one.revoked_at is not None and one.number == f"{CODE}〔{year}〕1号"
    assert one.output.number == one.number  # its PDF is kept
    # a document gets one number of a kind, even once revoked
    with pytest.raises(ValidationError) as refused:
        issue(cast, first)
    assert refused.value.messages == [str(ALREADY_ISSUED % {"number": one.number})]
    with pytest.raises(ValidationError):
        revoke_official(actor=cast.chair, issued=one)


@pytest.mark.django_db
def test_only_the_chair_in_office_signs_and_revokes(cast, tree):
    organ(cast.union)
    request = sent_request(cast)
    vice_chair = seated(cast.union, Role.VICE_CHAIR, "union_committee")
    for person in (cast.office, vice_chair, cast.congress_chair, cast.outsider):
        with pytest.raises(PermissionDenied) as refused:
            issue(cast, request, actor=person)
        assert str(refused.value) == str(NOT_CHAIR)
    issued = issue(cast, request)
    with pytest.raises(PermissionDenied):
        revoke_official(actor=cast.outsider, issued=issued)
    # the chair of b1 chairs b1, not a1: a seat in a1 is what counts
    give_seat(cast.outsider, tree["a2"], Role.CHAIR, "union_committee")
    with pytest.raises(PermissionDenied):
        revoke_official(actor=cast.outsider, issued=issued)


@pytest.mark.django_db
def test_series_codes_are_data(cast):
    organ_row = organ(cast.union)
    SeriesCode.objects.create(organ=organ_row, series=NumberSeries.REQUEST, code="机工请")
    year = issue_day(cast.union).year
    issued = issue(cast, sent_request(cast))
    assert issued.number == f"机工请〔{year}〕1号"
    assert organ_row.code_for(NumberSeries.LETTER) == "机工函"  # the default suffix
    assert organ_row.code_for(NumberSeries.DOCUMENT) == CODE


@pytest.mark.django_db(transaction=True)
def test_two_chairs_issuing_at_once_take_consecutive_numbers(cast):
    """Two threads, each on its own PostgreSQL connection, issue two documents of the same series at the
    same moment: the counter's row lock orders them, the numbers are 1 and 2, no gap, no repeat."""
    organ(cast.union)
    requests = [sent_request(cast, title=f"关于第{n}件事项的请示") for n in (1, 2)]
    second_chair = seated(cast.union, Role.CHAIR, "union_committee")  # two chairs in office (a handover)
    start = threading.Barrier(2)
    numbers, failures = [], []

    def run(actor, request):
        try:
            start.wait(timeout=10)
            numbers.append(
                issue_official(actor=actor, document_type="instruction", document=request).sequence
            )
        except Exception as exc:  # noqa: BLE001 (reported by the assertion below)
            failures.append(exc)
        finally:
            connection.close()

    chairs = (cast.chair, second_chair)
    threads = [threading.Thread(target=run, args=pair) for pair in zip(chairs, requests, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(numbers) == [1, 2]
    assert NumberCounter.objects.get(union=cast.union).last == 2
    assert IssuedNumber.objects.filter(kind=OutputKind.OFFICIAL).count() == 2
