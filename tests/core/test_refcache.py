"""The reference tables kept in process memory (core/refcache.py, issue 10 P6): edits are seen."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from core import refcache
from core.statutory import CalendarDay, WorkingCalendar, is_working_day
from notifications.models import ReminderRule, SubjectKind
from notifications.services.reminders import RuleBook
from tests.factories import UserFactory

# A Wednesday of 2026 with no holiday: a working day until someone says otherwise.
PLAIN_WEDNESDAY = datetime.date(2026, 6, 3)


@pytest.mark.django_db
def test_an_exception_day_added_in_the_admin_counts_at_once(client):
    assert is_working_day(PLAIN_WEDNESDAY)  # read, and now kept in memory
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:core_calendarday_add"),
        {"date": PLAIN_WEDNESDAY.isoformat(), "is_working": "", "name": "防汛停工日"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert not is_working_day(PLAIN_WEDNESDAY)
    CalendarDay.objects.get(date=PLAIN_WEDNESDAY).delete()
    assert is_working_day(PLAIN_WEDNESDAY)


@pytest.mark.django_db
def test_a_rolled_back_edit_leaves_nothing_behind():
    assert is_working_day(PLAIN_WEDNESDAY)
    with pytest.raises(RuntimeError), transaction.atomic():
        CalendarDay.objects.create(date=PLAIN_WEDNESDAY, is_working=False)
        assert not is_working_day(PLAIN_WEDNESDAY)  # the transaction sees its own row
        raise RuntimeError("the officer's save failed")
    assert not CalendarDay.objects.filter(date=PLAIN_WEDNESDAY).exists()
    assert is_working_day(PLAIN_WEDNESDAY)


@pytest.mark.django_db
def test_another_process_edit_is_seen_after_the_time_to_live(settings):
    """A write this process did not make (another worker's, here a signal-less UPDATE) waits for the
    time to live: with REFERENCE_CACHE_SECONDS=0 every read goes to PostgreSQL."""
    CalendarDay.objects.create(date=PLAIN_WEDNESDAY, is_working=True, name="")
    refcache.reset()  # as if the row had been there before this process started
    assert is_working_day(PLAIN_WEDNESDAY)
    CalendarDay.objects.filter(date=PLAIN_WEDNESDAY).update(is_working=False)
    assert WorkingCalendar(PLAIN_WEDNESDAY, PLAIN_WEDNESDAY).is_working(PLAIN_WEDNESDAY)  # kept
    settings.REFERENCE_CACHE_SECONDS = 0
    assert not is_working_day(PLAIN_WEDNESDAY)


@pytest.mark.django_db
def test_a_changed_reminder_rule_applies_to_the_next_schedule(tree):
    default = RuleBook().for_union(tree["a1"], SubjectKind.WORK_ITEM)
    own = ReminderRule.objects.create(union=tree["a1"], subject_kind=SubjectKind.WORK_ITEM, offsets=[2, 0])
    assert RuleBook().for_union(tree["a1"], SubjectKind.WORK_ITEM).pk == own.pk
    own.delete()
    assert RuleBook().for_union(tree["a1"], SubjectKind.WORK_ITEM).pk == default.pk
