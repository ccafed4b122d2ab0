"""Statutory calendar, working days and reminders through services (issue 6)."""

from __future__ import annotations

import datetime
import threading
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from core.models import Role
from core.services.statutory import obligation_meet, obligations_generate, obligations_refresh_status
from core.statutory import (
    CalendarDay,
    Obligation,
    ObligationRule,
    ObligationStatus,
    WorkingCalendar,
    is_working_day,
)
from notifications.models import Notification, Reminder, ReminderKind, ReminderRule, ReminderState
from notifications.services.reminders import occasions, reminders_send_due
from tests.factories import UserFactory, give_seat
from workflows.models import WorkItem

SH = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, h=9, minute=0):
    return datetime.datetime(y, m, d, h, minute, tzinfo=SH)


@pytest.mark.django_db
@pytest.mark.parametrize("year, last_day", [(2027, 28), (2028, 29)])
def test_s3_5_due_end_of_february_in_common_and_leap_years(tree, year, last_day):
    """S3.5: the final accounts of year Y are due on the last day of February of Y+1."""
    obligations_generate(fiscal_year=year - 1)
    report = Obligation.objects.get(union=tree["a1"], code="S3.5", fiscal_year=year - 1)
    assert report.due_date == datetime.date(year, 2, last_day)


@pytest.mark.django_db
def test_generation_covers_department_and_grassroots_not_groups_and_is_idempotent(tree):
    first = obligations_generate(fiscal_year=2027)
    assert first > 0
    assert obligations_generate(fiscal_year=2027) == 0
    assert not Obligation.objects.filter(union=tree["a1g"]).exists()
    assert not Obligation.objects.filter(union=tree["prov"]).exists()
    analysis = Obligation.objects.filter(union=tree["a1"], code="S3.4-analysis", fiscal_year=2027)
    assert sorted(analysis.values_list("period", "due_date")) == [
        ("H1", datetime.date(2027, 7, 31)),
        ("H2", datetime.date(2028, 1, 31)),
    ]
    assert (
        Obligation.objects.filter(union=tree["a1"], code="S4.1-union_committee", fiscal_year=2027).count()
        == 4
    )


@pytest.mark.django_db
def test_nearest_rule_wins(tree):
    """A department union's rule applies to its unions; a union's own rule beats it."""
    ObligationRule.objects.create(union=tree["dept_a"], code="S2.2", periods=[{"month": 3, "day": 15}])
    ObligationRule.objects.create(union=tree["a2"], code="S2.2", periods=[{"month": 1, "day": 20}])
    obligations_generate(fiscal_year=2027)
    due = dict(Obligation.objects.filter(code="S2.2", fiscal_year=2027).values_list("union_id", "due_date"))
    assert due[tree["a1"].pk] == datetime.date(2027, 3, 15)
    assert due[tree["a2"].pk] == datetime.date(2027, 1, 20)
    assert due[tree["b1"].pk] == datetime.date(2027, 2, 28)


@pytest.mark.django_db
def test_status_moves_pending_late_missed_and_met(tree):
    obligations_generate(fiscal_year=2026)
    study = Obligation.objects.get(union=tree["a1"], code="S4.3-study", fiscal_year=2026)
    obligations_refresh_status(on=datetime.date(2026, 12, 31))
    study.refresh_from_db()
    assert study.status == ObligationStatus.PENDING
    obligations_refresh_status(on=datetime.date(2027, 1, 1))
    study.refresh_from_db()
    assert study.status == ObligationStatus.LATE
    obligations_refresh_status(on=datetime.date(2027, 4, 1))
    study.refresh_from_db()
    assert study.status == ObligationStatus.MISSED
    assert obligation_meet(
        union=tree["a1"], code="S4.3-study", fiscal_year=2026, on=datetime.date(2027, 4, 2)
    )
    study.refresh_from_db()
    assert study.status == ObligationStatus.MET


@pytest.mark.django_db
def test_working_days_2026_know_the_swapped_saturdays():
    assert is_working_day(datetime.date(2026, 2, 14))  # 调休 Saturday before the Spring Festival
    assert not is_working_day(datetime.date(2026, 2, 17))  # Spring Festival weekday
    assert not is_working_day(datetime.date(2026, 10, 1))


@pytest.mark.django_db
def test_unknown_year_falls_back_to_monday_to_friday():
    assert not CalendarDay.objects.filter(date__year=2031).exists()
    assert is_working_day(datetime.date(2031, 1, 1))  # a Wednesday: New Year unknown without the notice
    assert not is_working_day(datetime.date(2031, 1, 4))  # Saturday


@pytest.mark.django_db
def test_reminder_on_a_holiday_goes_out_the_previous_working_day():
    """Due 2026-10-08: the 7-day reminder (1 Oct, National Day) goes out on 30 Sep, 09:00."""
    rule = ReminderRule(subject_kind="work_item", offsets=[7, 0])
    calendar = WorkingCalendar(datetime.date(2026, 9, 1), datetime.date(2026, 10, 31))
    result = occasions(due_on=datetime.date(2026, 10, 8), rule=rule, tz=SH, calendar=calendar)
    assert [(o.kind, o.offset_days, o.fire_at) for o in result][:2] == [
        (ReminderKind.BEFORE, 7, at(2026, 9, 30)),
        (ReminderKind.BEFORE, 0, at(2026, 10, 8)),
    ]
    assert result[2].kind == ReminderKind.ESCALATE_CHAIR and result[2].fire_at == at(2026, 10, 9)
    assert result[3].kind == ReminderKind.ESCALATE_SUPERVISORS and result[3].fire_at == at(2026, 10, 15)


@pytest.fixture
def audit_item(cast, submitted_budget):
    """At the audit review, created at 10:00 Shanghai on Wednesday 4 November 2026 whatever the real
    clock says: after the 09:00 send hour, so that day's occasion (14 days before the due date) has
    already passed, and on a date whose due date (Wednesday 18 November) and the 7, 3 and 1 days before
    it fall on distinct working days — on a real "today" a due date on a weekend moves the 0-day
    reminder onto the 1-day one's Friday and the sequence below would depend on the day CI runs."""
    from tests.scenarios import to_audit_review as at_audit

    morning = datetime.datetime(2026, 11, 4, 10, tzinfo=SH)
    with time_machine.travel(morning, tick=True):
        return at_audit(submitted_budget(), cast)


def titles_of(user):
    return list(
        Notification.objects.filter(recipient=user, dedupe_key__startswith="reminder:").values_list(
            "title", flat=True
        )
    )


@pytest.mark.django_db
def test_reminders_at_each_offset_then_escalation(cast, tree, audit_item, supervisor_of):
    """Due in 14 days at audit review: 7, 3, 1, 0 days before to the recorders; at 1 day late the chair,
    and the recorders once more; then above."""
    supervisor = supervisor_of(tree["dept_a"])
    due = timezone.localtime(audit_item.due_at, SH).date()
    reminder = Reminder.objects.get(subject_kind="work_item", subject_id=audit_item.pk, state="pending")
    assert reminder.offset_days == 7  # 30 and 14 already passed when the item was created
    fired = []
    moment = reminder.fire_at
    for _ in range(6):
        pending = (
            Reminder.objects.filter(subject_id=audit_item.pk, state="pending").order_by("fire_at").first()
        )
        if pending is None:
            break
        moment = pending.fire_at + datetime.timedelta(minutes=1)
        with time_machine.travel(moment, tick=False):
            reminders_send_due(now=moment)
        fired.append((pending.kind, pending.offset_days))
    assert fired == [
        ("before", 7),
        ("before", 3),
        ("before", 1),
        ("before", 0),
        ("escalate_chair", -1),
        ("escalate_supervisors", -7),
    ]
    # recorders: four before, and the overdue notice beside the chair's
    assert len(titles_of(cast.audit_director)) == 5 and len(titles_of(cast.office)) == 5
    assert titles_of(cast.audit_director)[0] == titles_of(cast.chair)[0]
    assert len(titles_of(cast.chair)) == 1  # union chair at 1 day late
    assert len(titles_of(supervisor)) == 1  # upper-level union at 7 days late
    assert str(due) in titles_of(supervisor)[0]


@pytest.mark.django_db
def test_recipients_resolved_at_send_time_after_transfer_and_delegation(cast, audit_item):
    from workflows.services.actions import work_item_transfer

    secretary = UserFactory(username="a1-audit-secretary")
    give_seat(secretary, cast.union, Role.SECRETARY, "audit_committee")
    work_item_transfer(item=audit_item, user=cast.audit_director, to=secretary)
    pending = Reminder.objects.get(subject_id=audit_item.pk, state="pending")
    moment = pending.fire_at + datetime.timedelta(minutes=1)
    reminders_send_due(now=moment)
    assert len(titles_of(secretary)) == 1
    assert titles_of(cast.audit_director) == []


@pytest.mark.django_db
def test_reminder_reaches_the_delegate(cast, draft_budget):
    from workflows.budget.services import Recipient, budget_submit
    from workflows.models import Delegation

    today = timezone.localdate()
    Delegation.objects.create(
        person=cast.representatives[0],
        substitute=cast.representatives[1],
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
    )
    budget = draft_budget()
    budget_submit(
        actor=cast.office,
        budget=budget,
        recipients=[Recipient(cast.representatives[0])],
        due_at=timezone.now() + datetime.timedelta(days=5),
    )
    (item,) = WorkItem.objects.filter(process=budget.process, step="give_opinion")
    pending = Reminder.objects.get(subject_id=item.pk, state="pending")
    reminders_send_due(now=pending.fire_at + datetime.timedelta(minutes=1))
    assert len(titles_of(cast.representatives[1])) == 1
    assert titles_of(cast.representatives[0]) == []


@pytest.mark.django_db
def test_done_item_reminder_is_skipped(cast, audit_item):
    WorkItem.objects.filter(pk=audit_item.pk).update(state="done")
    pending = Reminder.objects.get(subject_id=audit_item.pk, state="pending")
    assert reminders_send_due(now=pending.fire_at + datetime.timedelta(minutes=1)) == 0
    pending.refresh_from_db()
    assert pending.state == ReminderState.SKIPPED


@pytest.mark.django_db
def test_sweep_twice_changes_nothing(cast, audit_item):
    pending = Reminder.objects.get(subject_id=audit_item.pk, state="pending")
    moment = pending.fire_at + datetime.timedelta(minutes=1)
    first = reminders_send_due(now=moment)
    assert first == 2  # audit director and office staff record for the committee
    assert reminders_send_due(now=moment) == 0
    assert Notification.objects.filter(dedupe_key=f"reminder:{pending.pk}").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_write_each_notification_once(tree):
    """200 obligations fall due at once; two sweeps on two connections share them without duplicates."""
    chair = UserFactory(username="a1-chair-race")
    give_seat(chair, tree["a1"], Role.CHAIR, "union_committee")
    obligations_generate(fiscal_year=2026)
    moment = timezone.now() + datetime.timedelta(days=800)  # everything due, escalations included
    Reminder.objects.filter(state="pending").update(fire_at=timezone.now() - datetime.timedelta(minutes=1))
    due_rows = Reminder.objects.filter(state="pending").count()
    assert due_rows > 10
    barrier = threading.Barrier(2)
    results = []

    def sweep():
        barrier.wait()
        try:
            results.append(reminders_send_due(now=moment, batch=7, max_batches=1))
        finally:
            connection.close()

    for _round in range(3):
        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
    keys = list(
        Notification.objects.exclude(dedupe_key="demo-welcome").values_list("recipient_id", "dedupe_key")
    )
    assert len(keys) == len(set(keys)) > 0
    # six sweeps of seven rows each: 42 distinct reminders processed, none taken twice
    assert due_rows >= 42
    assert Reminder.objects.filter(state__in=["sent", "skipped"]).count() == 42


@pytest.mark.django_db
def test_step_due_date_leaves_room_before_the_obligation(cast, submitted_budget):
    """S3.3 2027 is due 2027-02-28; at audit review the Party (14 d) and congress (30 d) still need
    44 days, so on 10 January the audit review is due 15 January, not 24 January."""
    from tests.scenarios import to_audit_review as at_audit
    from workflows.models import StepDuration

    obligations_generate(fiscal_year=2027)
    with time_machine.travel(at(2027, 1, 10), tick=False):
        item = at_audit(submitted_budget(year=2027), cast)
    assert timezone.localtime(item.due_at, SH).date() == datetime.date(2027, 1, 15)
    # durations are data: a union that gives its congress 10 days leaves its audit review 14 days
    from workflows.budget.services import budget_withdraw

    StepDuration.objects.create(
        union=cast.union, document_type="budget", step="congress_ratification", days=10
    )
    with time_machine.travel(at(2027, 1, 10), tick=False):
        budget_withdraw(actor=cast.office, budget=item.process.budget)
        item = at_audit(submitted_budget(year=2027), cast)
    # 14 + 10 days after the audit review leave room until 4 February: the full 14 days fit
    assert timezone.localtime(item.due_at, SH).date() == datetime.date(2027, 1, 24)
