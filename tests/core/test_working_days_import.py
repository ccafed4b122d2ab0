"""Next year's working days (issue 25): the State Council notice typed into a short text file, imported
by a management command or on the admin's calendar page (all or nothing, each wrong line named), and
the administrator told on the home page when next year's calendar is still missing after 1 November."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from core import errors
from core.models import Event
from core.services.calendar import calendar_import
from core.statutory import CalendarDay, CalendarYear, is_working_day
from tests.factories import UserFactory
from tests.scenarios import at, travel

NOTICE_2026 = Path(__file__).resolve().parents[2] / "core" / "fixtures" / "holidays" / "2026.txt"
NOTICE_2027 = """# a made-up notice, for the tests
年度 2027
来源 国务院办公厅关于2027年部分节假日安排的通知
放假 2027-01-01 至 2027-01-03 元旦
上班 2027-01-04、2027-02-06 调休上班
放假 2027-02-08..2027-02-12 春节
"""
HOME = "/"


def zh(message, **params) -> str:
    with translation.override("zh-hans"):
        return str(message) % params if params else str(message)


def exceptions(year: int) -> set[tuple[datetime.date, bool]]:
    return set(CalendarDay.objects.filter(date__year=year).values_list("date", "is_working"))


@pytest.fixture
def admin_user(db):
    return UserFactory(username="site-admin", is_staff=True, is_superuser=True)


# --- the file and the command ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_shipped_2026_notice_gives_the_calendar_the_holidays_package_seeded():
    """core/fixtures/holidays/2026.txt is the 2026 notice: importing it changes none of 2026's days."""
    seeded = exceptions(2026)
    assert seeded, "the 2026 calendar is seeded by migration"
    out = StringIO()
    call_command("import_holidays", str(NOTICE_2026), stdout=out)
    assert exceptions(2026) == seeded
    assert "2026" in out.getvalue()
    assert not is_working_day(datetime.date(2026, 10, 7)) and is_working_day(datetime.date(2026, 10, 10))


@pytest.mark.django_db
def test_importing_next_years_notice_twice_gives_the_same_calendar():
    calendar_import(text=NOTICE_2027)
    first = exceptions(2027)
    calendar_import(text=NOTICE_2027)
    assert exceptions(2027) == first
    # weekdays off and weekend days worked only: 1 Jan (Fri), 8–12 Feb (Mon–Fri); 4 Jan is a Monday
    # (a working day anyway), 6 Feb a Saturday worked; 2–3 Jan are a weekend
    assert first == {
        (datetime.date(2027, 1, 1), False),
        *((datetime.date(2027, 2, d), False) for d in range(8, 13)),
        (datetime.date(2027, 2, 6), True),
    }
    assert CalendarYear.objects.get(year=2027).source == "国务院办公厅关于2027年部分节假日安排的通知"
    assert Event.objects.filter(verb="calendar_imported").count() == 2
    assert is_working_day(datetime.date(2027, 2, 6)) and not is_working_day(datetime.date(2027, 2, 8))


@pytest.mark.django_db
def test_a_wrong_file_names_each_wrong_line_and_stores_nothing(tmp_path):
    bad = tmp_path / "2027.txt"
    lines = ["年度 2027", "放假 2027-02-30 春节", "调休 2027-02-06", "放假 2026-12-31 元旦"]
    bad.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_holidays", str(bad))
    text = str(exc.value)
    assert zh(errors.NOTICE_DATE, line=2, value="2027-02-30") in text
    assert zh(errors.NOTICE_KEYWORD, line=3, value="调休") in text
    assert zh(errors.NOTICE_OUTSIDE_YEAR, line=4, date=datetime.date(2026, 12, 31), year=2027) in text
    assert not CalendarYear.objects.filter(year=2027).exists() and not exceptions(2027)


@pytest.mark.django_db
def test_check_reads_the_file_and_stores_nothing(tmp_path):
    notice = tmp_path / "2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    out = StringIO()
    call_command("import_holidays", str(notice), "--check", stdout=out)
    assert "7" in out.getvalue() and not exceptions(2027)


# --- the admin's import page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_administrator_imports_the_notice_on_the_calendar_page(admin_user, client):
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:core_calendaryear_changelist")).content.decode()
    url = reverse("admin:core_calendaryear_import")
    assert url in changelist
    upload = SimpleUploadedFile("2027.txt", NOTICE_2027.encode(), content_type="text/plain")
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    assert len(exceptions(2027)) == 7
    assert Event.objects.get(verb="calendar_imported").actor == admin_user


@pytest.mark.django_db
def test_a_wrong_upload_is_refused_in_chinese_with_its_lines(admin_user, client):
    client.force_login(admin_user)
    content = "来源 通知\n放假 2027-01-01\n".encode()
    upload = SimpleUploadedFile("2027.txt", content, content_type="text/plain")
    response = client.post(reverse("admin:core_calendaryear_import"), {"file": upload})
    assert response.status_code == 400
    assert zh(errors.NOTICE_NO_YEAR) in response.content.decode()
    assert not exceptions(2027)


@pytest.mark.django_db
def test_the_import_page_is_for_administrators_only(cast, client):
    url = reverse("admin:core_calendaryear_import")
    client.force_login(cast.chair)  # an officer, not staff: the admin's sign-in page
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(is_staff=True))  # staff without the calendar's permissions
    assert client.get(url).status_code == 403


# --- the home page tells the administrator --------------------------------------------------------------


@pytest.mark.django_db
def test_after_1_november_the_administrator_is_told_next_years_calendar_is_missing(admin_user, client):
    with travel(at(2026, 10, 31, 9, 0)):
        client.force_login(admin_user)
        assert 'data-testid="wb-calendar-missing"' not in client.get(HOME).content.decode()
    with travel(at(2026, 11, 2, 9, 0)):
        client.force_login(admin_user)  # a new session: the last one idled out two days ago
        html = client.get(HOME).content.decode()
        assert 'data-testid="wb-calendar-missing"' in html and "2027年工作日历尚未导入" in html
        assert reverse("admin:core_calendaryear_import") in html
        calendar_import(text=NOTICE_2027)
        assert 'data-testid="wb-calendar-missing"' not in client.get(HOME).content.decode()


@pytest.mark.django_db
def test_nobody_else_is_told_about_the_calendar(cast, client):
    with travel(at(2026, 11, 2, 9, 0)):
        client.force_login(cast.chair)
        assert 'data-testid="wb-calendar-missing"' not in client.get(HOME).content.decode()
