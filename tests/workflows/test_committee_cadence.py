"""S4.1: the three committees meet regularly. A quorate meeting — with documents on its agenda or only
its topics — meets the obligation of the period it falls in; the cadence is the nearest obligation
rule's; the meeting page shows the year's attendance; a single-person body meets it by a record."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from core.models import Body
from core.services.statutory import obligations_generate, obligations_refresh_status
from core.statutory import Obligation, ObligationRule, ObligationStatus
from tests.scenarios import at, travel
from workflows import errors
from workflows.services.decisions import meeting_record

YEAR = 2026


def words(message) -> str:
    """A message as the page says it, in the default language (Chinese)."""
    with translation.override(settings.LANGUAGE_CODE):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def regular_meeting(cast, *, on: datetime.date, attendees=None, minutes="研究第二季度工会工作"):
    return meeting_record(
        body=cast.body("union_committee"),
        recorder=cast.chair,
        held_on=on,
        place="会议室",
        attendee_ids=[p.pk for p in (cast.committee if attendees is None else attendees)],
        votes=[],
        minutes=minutes,
    )


def obligation(cast, code: str, period: str) -> Obligation:
    return Obligation.objects.get(union=cast.union, code=code, fiscal_year=YEAR, period=period)


@pytest.mark.django_db
def test_S4_1_a_regular_meeting_without_documents_meets_its_quarter_and_a_missed_one_turns_late(cast):
    obligations_generate(fiscal_year=YEAR, unions=[cast.union])
    with travel(at(2026, 5, 20, 10)):
        regular_meeting(cast, on=datetime.date(2026, 5, 18))
    q1, q2 = obligation(cast, "S4.1-union_committee", "Q1"), obligation(cast, "S4.1-union_committee", "Q2")
    assert q2.status == ObligationStatus.MET and q2.met_on == datetime.date(2026, 5, 18)
    assert q2.met_by.startswith("meeting:")
    # time moved past the first quarter with no meeting in it: late
    obligations_refresh_status(on=datetime.date(2026, 5, 20))
    q1.refresh_from_db()
    assert q1.met_on is None and q1.status == ObligationStatus.LATE


@pytest.mark.django_db
def test_S4_1_a_meeting_without_quorum_or_topics_does_not_count(cast):
    obligations_generate(fiscal_year=YEAR, unions=[cast.union])
    with travel(at(2026, 5, 20, 10)):
        with pytest.raises(ValidationError) as refused:
            regular_meeting(cast, on=datetime.date(2026, 5, 18), minutes="  ")
        assert refused.value.messages == [words(errors.MEETING_NO_TOPICS)]
        result = regular_meeting(cast, on=datetime.date(2026, 5, 18), attendees=[cast.chair])
    assert result.meeting.has_quorum is False
    assert obligation(cast, "S4.1-union_committee", "Q2").met_on is None
    # the congress has no regular meetings to record: it still needs a document on its agenda
    with travel(at(2026, 5, 20, 10)), pytest.raises(ValidationError) as refused:
        meeting_record(
            body=cast.body("congress"),
            recorder=cast.congress_chair,
            held_on=datetime.date(2026, 5, 18),
            place="礼堂",
            attendee_ids=[p.pk for p in cast.congress],
            votes=[],
            minutes="座谈",
        )
    assert refused.value.messages == [words(errors.MEETING_NO_ITEMS)]


@pytest.mark.django_db
def test_S4_1_the_cadence_is_the_unions_own_rule_nearest_wins(cast):
    # the union meets monthly: its own rule's periods decide which obligation a meeting meets
    ObligationRule.objects.create(
        union=cast.union,
        code="S4.1-union_committee",
        periods=[{"period": f"M{m:02d}", "month": m, "day": 0, "year_offset": 0} for m in range(1, 13)],
    )
    obligations_generate(fiscal_year=YEAR, unions=[cast.union])
    assert (
        Obligation.objects.filter(union=cast.union, code="S4.1-union_committee", fiscal_year=YEAR).count()
        == 12
    )
    with travel(at(2026, 3, 2, 10)):
        regular_meeting(cast, on=datetime.date(2026, 2, 27))
    met = Obligation.objects.filter(union=cast.union, code="S4.1-union_committee", met_on__isnull=False)
    assert list(met.values_list("period", flat=True)) == ["M02"]


@pytest.mark.django_db
def test_S4_1_the_meeting_page_shows_the_years_attendance_and_says_a_short_meeting_does_not_count(
    cast, client
):
    obligations_generate(fiscal_year=YEAR, unions=[cast.union])
    absent = cast.committee_members[0]
    body = cast.body("union_committee")
    url = reverse("workflows:meeting_new", args=[body.pk])
    client.force_login(cast.chair)
    with travel(at(2026, 6, 20, 10)):
        regular_meeting(cast, on=datetime.date(2026, 3, 10))
        # recorded from the page: no document, its topics, one member absent
        response = client.post(
            url,
            {
                "held_on": "2026-06-18",
                "place": "三楼会议室",
                "attendees": [p.pk for p in cast.committee if p != absent],
                "minutes": "研究职工之家建设",
            },
        )
        assert response.status_code == 302 and response["Location"] == url
        assert [str(m) for m in get_messages(response.wsgi_request)] == [
            words("The meeting was recorded: it counts as the period's regular meeting.")
        ]
        page = client.get(url).content.decode()
    assert obligation(cast, "S4.1-union_committee", "Q2").met_on == datetime.date(2026, 6, 18)
    assert 'data-testid="attendance"' in page and "2026-03-10" in page and "2026-06-18" in page
    rows = page.count('data-testid="attendance-row"')
    assert rows == len(cast.committee)
    assert f"{absent}</td>" in page and "1 / 2" in page and "2 / 2" in page
    # a meeting short of quorum is asked about first and told it does not count
    with travel(at(2026, 9, 20, 10)):
        client.force_login(cast.chair)  # a new sign-in three months on
        asked = client.post(
            url, {"held_on": "2026-09-18", "place": "会议室", "attendees": [cast.chair.pk], "minutes": "通报"}
        )
    assert asked.status_code == 200
    assert escape(words(errors.MEETING_NO_QUORUM_CADENCE)) in asked.content.decode()
    assert obligation(cast, "S4.1-union_committee", "Q3").met_on is None


@pytest.mark.django_db
def test_S4_1_a_single_person_body_meets_its_cadence_by_a_record_not_a_meeting(
    cast, client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    obligations_generate(fiscal_year=YEAR, unions=[cast.union])
    audit_h1 = obligation(cast, "S4.1-audit_committee", "H1")
    union_q1 = obligation(cast, "S4.1-union_committee", "Q1")
    client.force_login(cast.office)
    with travel(at(2026, 5, 20, 10)):
        # a committee of several members: met by its meetings only
        assert client.get(reverse("obligation_record", args=[audit_h1.pk])).status_code == 404
        Body.objects.filter(pk=cast.body("audit_committee").pk).update(is_single_person=True)
        page = client.get(f"{reverse('obligations', args=[cast.union.pk])}?year={YEAR}").content.decode()
        assert reverse("obligation_record", args=[audit_h1.pk]) in page
        assert reverse("obligation_record", args=[union_q1.pk]) not in page
        response = client.post(
            reverse("obligation_record", args=[audit_h1.pk]),
            {"held_on": "2026-05-19", "note": "经费审查委员审阅上半年收支情况"},
        )
    assert response.status_code == 302
    audit_h1.refresh_from_db()
    assert audit_h1.met_on == datetime.date(2026, 5, 19) and audit_h1.met_by.startswith("record:")
    # the outsider of another union reads nothing of it
    client.force_login(cast.outsider)
    assert client.get(reverse("obligation_record", args=[audit_h1.pk])).status_code in (403, 404)
