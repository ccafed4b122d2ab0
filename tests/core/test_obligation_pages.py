"""The union's obligations page, the record that meets an obligation, the iCal feed and the
calendar admin (issue 6)."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy
from icalendar import Calendar

from core.admin import CALENDAR_YEARS_MISSING
from core.errors import RULE_PERIODS
from core.forms_calendar import RECORD_DATE_FUTURE, RECORD_NOTE_EMPTY
from core.models import Event, Role
from core.services.statutory import obligations_generate
from core.statutory import CalendarYear, Obligation, ObligationRecord, ObligationRule, ObligationStatus
from notifications.models import ChannelPreference
from tests.factories import UserFactory, give_seat
from workflows.errors import ATTACHMENT_TYPE
from workflows.models import WorkItem, WorkItemState

SH = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR = 2026
# mid-year: S1.2 (due 31 Dec) is pending, S4.1 Q1 (due 31 March) is late
MID_2026 = datetime.datetime(2026, 6, 15, 10, 0, tzinfo=SH)


def shown(message, **params) -> str:
    """A message as the page shows it: in the default language (Chinese), HTML-escaped."""
    with translation.override(settings.LANGUAGE_CODE):
        text = str(message) % params if params else str(message)
    return escape(text)


def page_url(union, year=YEAR) -> str:
    return f"{reverse('obligations', args=[union.pk])}?year={year}"


def obligation(cast, code="S5.2", period="") -> Obligation:
    """One of a1's obligations of the year; by default one a record meets (S5.2's survey, whose own flow
    comes later). S1.2 is met only by the Party organisation's hearing, never by a record."""
    return Obligation.objects.get(union=cast.union, code=code, fiscal_year=YEAR, period=period)


@pytest.fixture
def year_generated(cast):
    obligations_generate(fiscal_year=YEAR)
    return Obligation.objects.filter(union=cast.union, fiscal_year=YEAR)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="minutes.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


# --- the obligations page -------------------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(MID_2026, tick=False)
def test_officer_sees_the_years_obligations_with_status_and_record_links(cast, year_generated, client):
    # given the chair of a1 and a met, a pending and a late obligation
    Obligation.objects.filter(pk=obligation(cast, "S4.1-audit_committee", "H1").pk).update(
        met_on=datetime.date(2026, 5, 20), met_by="meeting:1", status=ObligationStatus.MET
    )
    client.force_login(cast.chair)
    # when
    response = client.get(reverse("obligations", args=[cast.union.pk]))  # default: this year
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="obligation-') == year_generated.count()
    s52, q1 = obligation(cast), obligation(cast, "S4.1-union_committee", "Q1")
    s12, audit = obligation(cast, "S1.2"), obligation(cast, "S4.1-audit_committee", "H1")
    assert f'data-testid="obligation-{s52.pk}" data-code="S5.2" data-status="pending"' in html
    assert f'data-testid="obligation-{s12.pk}" data-code="S1.2" data-status="pending"' in html
    assert f'data-testid="obligation-{q1.pk}" data-code="S4.1-union_committee" data-status="late"' in html
    assert f'data-testid="obligation-{audit.pk}" data-code="S4.1-audit_committee" data-status="met"' in html
    assert "2026-05-20" in html
    # record links for the obligations met by a record, none for those met by their own flow
    assert reverse("obligation_record", args=[s52.pk]) in html
    assert reverse("obligation_record", args=[q1.pk]) not in html
    # S1.2: only the Party organisation's hearing meets it, nobody ticks it off
    assert reverse("obligation_record", args=[s12.pk]) not in html
    assert 'data-testid="year-switcher"' in html and "?year=2027" in html and "?year=2025" in html


@pytest.mark.django_db
def test_year_switcher_shows_another_year(cast, year_generated, client):
    obligations_generate(fiscal_year=YEAR + 1)
    client.force_login(cast.office)
    response = client.get(page_url(cast.union, YEAR + 1))
    assert response.status_code == 200
    assert response.context["year"] == YEAR + 1
    assert {r["obligation"].fiscal_year for r in response.context["rows"]} == {YEAR + 1}


@pytest.mark.django_db
def test_supervisor_above_reads_without_record_links_and_cannot_record(
    cast, tree, year_generated, supervisor_of, client
):
    supervisor = supervisor_of(tree["dept_a"])
    client.force_login(supervisor)
    response = client.get(page_url(cast.union))
    assert response.status_code == 200
    assert 'data-testid="record-' not in response.content.decode()
    target = obligation(cast)
    record_page = client.get(reverse("obligation_record", args=[target.pk]))
    assert record_page.status_code == 200
    assert 'data-testid="record-form"' not in record_page.content.decode()
    posted = client.post(
        reverse("obligation_record", args=[target.pk]),
        {"held_on": "2026-03-01", "note": "党组听取工会工作汇报"},
    )
    assert posted.status_code == 403
    target.refresh_from_db()
    assert target.met_on is None
    assert Event.objects.filter(verb="access_denied", actor=supervisor, union=cast.union).exists()


@pytest.mark.django_db
def test_outsider_gets_404_everywhere(cast, year_generated, client):
    client.force_login(cast.outsider)
    assert client.get(page_url(cast.union)).status_code == 404
    target = obligation(cast)
    assert client.get(reverse("obligation_record", args=[target.pk])).status_code == 404
    posted = client.post(
        reverse("obligation_record", args=[target.pk]), {"held_on": "2026-03-01", "note": "x"}
    )
    assert posted.status_code == 404
    target.refresh_from_db()
    assert target.met_on is None


@pytest.mark.django_db
def test_participant_without_officer_seat_gets_404(cast, year_generated, client):
    """A congress representative sees the union page but not its statutory calendar."""
    client.force_login(cast.representatives[0])
    assert client.get(reverse("union_detail", args=[cast.union.pk])).status_code == 200
    assert client.get(page_url(cast.union)).status_code == 404
    assert client.get(reverse("obligation_record", args=[obligation(cast).pk])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("unions", [1, 3])
def test_obligations_page_query_count_does_not_grow(
    cast, tree, unions, client, django_assert_max_num_queries
):
    obligations_generate(fiscal_year=YEAR)
    for ob in Obligation.objects.filter(union=cast.union, fiscal_year=YEAR, code__in=["S1.2", "S5.2"])[
        :unions
    ]:
        ObligationRecord.objects.create(
            obligation=ob, held_on=datetime.date(2026, 3, 1), note="n", recorded_by=cast.office
        )
        Obligation.objects.filter(pk=ob.pk).update(met_on=datetime.date(2026, 3, 1), met_by=f"record:{ob.pk}")
    client.force_login(cast.office)
    client.get(page_url(cast.union))  # the first request stamps the session
    with django_assert_max_num_queries(8):
        response = client.get(page_url(cast.union))
    assert response.status_code == 200


@pytest.mark.django_db
@time_machine.travel(MID_2026, tick=False)
def test_a_record_by_someone_without_a_name_shows_no_username(cast, year_generated, client):
    nameless = UserFactory(username="a1-office-nameless", full_name="")
    give_seat(nameless, cast.union, Role.OFFICE_STAFF)
    target = obligation(cast)
    ObligationRecord.objects.create(
        obligation=target, held_on=datetime.date(2026, 3, 1), note="n", recorded_by=nameless
    )
    Obligation.objects.filter(pk=target.pk).update(
        met_on=datetime.date(2026, 3, 1), met_by=f"record:{target.pk}"
    )
    client.force_login(cast.office)
    html = client.get(page_url(cast.union)).content.decode()
    assert shown(gettext_lazy("record by %(person)s"), person="（未登记姓名）") in html
    assert "a1-office-nameless" not in html


# --- recording what met an obligation -------------------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(MID_2026, tick=False)
def test_record_meets_the_obligation_and_writes_an_event(cast, year_generated, client):
    # given
    target = obligation(cast)
    client.force_login(cast.office)
    form_page = client.get(reverse("obligation_record", args=[target.pk]))
    assert form_page.status_code == 200
    assert 'data-testid="record-form"' in form_page.content.decode()
    # when
    response = client.post(
        reverse("obligation_record", args=[target.pk]),
        {"held_on": "2026-06-10", "note": "机关党组听取工会工作汇报。", "attachment": pdf()},
    )
    # then
    assert response.status_code == 302
    assert response.url == page_url(cast.union)
    target.refresh_from_db()
    assert target.met_on == datetime.date(2026, 6, 10)
    assert target.status_on() == ObligationStatus.MET
    assert target.status == ObligationStatus.MET
    record = ObligationRecord.objects.get(obligation=target)
    assert record.recorded_by == cast.office
    assert record.note == "机关党组听取工会工作汇报。"
    assert record.attachment_name.endswith(".pdf") and not record.attachment.name.endswith(
        ".pdf"
    )  # stored at random
    assert target.met_by == f"record:{record.pk}"
    assert Event.objects.filter(
        verb="obligation_met", union=cast.union, detail__by=f"record:{record.pk}"
    ).exists()
    # the page now shows it met, by whom, and no record link
    html = client.get(page_url(cast.union)).content.decode()
    assert f'data-testid="obligation-{target.pk}" data-code="S5.2" data-status="met"' in html
    assert escape(str(cast.office)) in html
    assert f'data-testid="record-{target.pk}"' not in html


@pytest.mark.django_db
@time_machine.travel(MID_2026, tick=False)
def test_bad_record_input_is_kept_with_the_messages(cast, year_generated, client):
    target = obligation(cast, "S5.2")
    client.force_login(cast.chair)
    response = client.post(
        reverse("obligation_record", args=[target.pk]),
        {"held_on": "2026-07-01", "note": "   ", "attachment": SimpleUploadedFile("virus.exe", b"MZ")},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert shown(RECORD_DATE_FUTURE) in html
    assert shown(RECORD_NOTE_EMPTY) in html
    assert ".exe" in html and shown(ATTACHMENT_TYPE, suffix=".exe", allowed="x").split(".exe")[0] in html
    assert 'value="2026-07-01"' in html  # the date typed is kept
    kept = client.post(
        reverse("obligation_record", args=[target.pk]), {"held_on": "2026-07-01", "note": "全体会员集中学习"}
    )
    assert kept.status_code == 400
    assert "全体会员集中学习" in kept.content.decode()
    target.refresh_from_db()
    assert target.met_on is None
    assert not ObligationRecord.objects.exists()


@pytest.mark.django_db
def test_obligation_met_by_its_own_flow_has_no_record_page(cast, year_generated, client):
    client.force_login(cast.office)
    budget_obligation = obligation(cast, "S3.3")
    assert client.get(reverse("obligation_record", args=[budget_obligation.pk])).status_code == 404


# --- the iCal feed --------------------------------------------------------------------------------


def _feed_person(cast, submitted_budget):
    """A congress representative with an opinion to give, who also works in the union office."""
    person = cast.representatives[0]
    give_seat(person, cast.union, Role.OFFICE_STAFF)
    submitted_budget()
    return person


@pytest.mark.django_db
def test_ical_feed_has_due_work_items_and_unmet_obligations(cast, submitted_budget, client):
    # given
    person = _feed_person(cast, submitted_budget)
    this_year = datetime.date.today().year
    obligations_generate(fiscal_year=this_year)
    obligations_generate(fiscal_year=this_year + 1)
    met = Obligation.objects.filter(union=cast.union, fiscal_year=this_year, code="S5.2").get()
    Obligation.objects.filter(pk=met.pk).update(met_on=datetime.date(this_year, 1, 5), met_by="record:0")
    token = ChannelPreference.objects.create(user=person).ical_token
    # when (no login: the token is the key)
    response = client.get(reverse("ical_feed", args=[token]))
    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    by_uid = {str(e["UID"]): e for e in events}
    (item,) = WorkItem.objects.filter(assignee=person, state=WorkItemState.OPEN)
    with translation.override(settings.LANGUAGE_CODE):
        expected = f"{item.document_title} · {translation.gettext(item.step_title)}"
    work_event = by_uid[f"work-item-{item.pk}@wuyi"]
    assert str(work_event["SUMMARY"]) == expected
    assert work_event.decoded("DTSTART") == item.due_at.astimezone(SH).date()
    assert str(work_event["URL"]).startswith("http://testserver/")
    unmet = Obligation.objects.filter(
        union=cast.union, fiscal_year__in=[this_year, this_year + 1], met_on__isnull=True
    )
    assert {f"obligation-{o.pk}@wuyi" for o in unmet} <= set(by_uid)
    assert f"obligation-{met.pk}@wuyi" not in by_uid
    s12 = unmet.get(code="S1.2", fiscal_year=this_year)
    assert by_uid[f"obligation-{s12.pk}@wuyi"].decoded("DTSTART") == s12.due_date
    assert len(events) == unmet.count() + 1


@pytest.mark.django_db
def test_ical_feed_of_another_union_is_not_mixed_in(cast, submitted_budget, client):
    obligations_generate(fiscal_year=datetime.date.today().year)
    token = ChannelPreference.objects.create(user=cast.outsider).ical_token
    calendar = Calendar.from_ical(client.get(reverse("ical_feed", args=[token])).content)
    unions = {str(e["SUMMARY"]).split(":")[0] for e in calendar.walk("VEVENT")}
    assert unions == {str(cast.outsider.seats.get().union)}


@pytest.mark.django_db
def test_ical_feed_with_a_wrong_token_is_404(cast, client):
    ChannelPreference.objects.create(user=cast.office)
    assert client.get(reverse("ical_feed", args=["not-the-token"])).status_code == 404
    assert client.get("/calendar/../admin/.ics").status_code == 404


@pytest.mark.django_db
def test_ical_feed_of_a_deactivated_person_is_404(cast, client):
    token = ChannelPreference.objects.create(user=cast.office).ical_token
    cast.office.is_active = False
    cast.office.save(update_fields=["is_active"])
    assert client.get(reverse("ical_feed", args=[token])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("budgets", [1, 2])
def test_ical_feed_query_count_is_bounded(
    cast, submitted_budget, budgets, client, django_assert_max_num_queries
):
    person = _feed_person(cast, submitted_budget)
    for extra in range(1, budgets):
        submitted_budget(year=2027 + extra)
    this_year = datetime.date.today().year
    obligations_generate(fiscal_year=this_year)
    obligations_generate(fiscal_year=this_year + 1)
    token = ChannelPreference.objects.create(user=person).ical_token
    with django_assert_max_num_queries(6):
        response = client.get(reverse("ical_feed", args=[token]))
    assert response.status_code == 200
    work_events = [
        e for e in Calendar.from_ical(response.content).walk("VEVENT") if "work-item" in str(e["UID"])
    ]
    assert len(work_events) == budgets


# --- the calendar admin ---------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def flash(response) -> list[str]:
    return [str(m.message) for m in get_messages(response.wsgi_request)]


@pytest.mark.django_db
@time_machine.travel(MID_2026, tick=False)
def test_calendar_admin_warns_about_years_without_a_notice(admin_client):
    # given the holidays package seeded 2024–2026; 2027 and 2028 have no State Council notice yet
    assert set(CalendarYear.objects.values_list("year", flat=True)) >= {2025, 2026}
    CalendarYear.objects.filter(year__in=[2027, 2028]).delete()
    # when
    response = admin_client.get(reverse("admin:core_calendarday_changelist"))
    # then
    assert response.status_code == 200
    with translation.override(settings.LANGUAGE_CODE):
        expected = str(CALENDAR_YEARS_MISSING % {"years": "2027、2028"})
    assert flash(response) == [expected]
    assert escape(expected) in response.content.decode()


@pytest.mark.django_db
@time_machine.travel(MID_2026, tick=False)
def test_calendar_admin_is_quiet_when_every_near_year_is_known(admin_client):
    for year in (2027, 2028):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "国务院办公厅通知"})
    response = admin_client.get(reverse("admin:core_calendarday_changelist"))
    assert response.status_code == 200
    assert flash(response) == []


@pytest.mark.django_db
def test_obligation_rule_admin_shows_bad_periods(admin_client, tree):
    response = admin_client.post(
        reverse("admin:core_obligationrule_add"),
        {
            "union": tree["a1"].pk,
            "code": "S1.2",
            "periods": '[{"month": 13, "day": 1}]',
            "missed_after_days": 90,
            "kinds": "department,grassroots",
            "active": "on",
            "generated": "on",
        },
    )
    assert response.status_code == 200
    assert shown(RULE_PERIODS) in response.content.decode()
    assert not ObligationRule.objects.filter(union=tree["a1"]).exists()
