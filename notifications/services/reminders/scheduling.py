"""Scheduling: only the next occasion of each subject is stored (a ``Reminder`` row); the sweep that
sends it schedules the one after. PostgreSQL is the truth: no ETA or countdown task is ever used."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core import refcache
from core.models import Union
from core.statutory import Obligation, WorkingCalendar
from notifications.models import Reminder, ReminderKind, ReminderRule, ReminderState, SubjectKind


@dataclass(frozen=True)
class Occasion:
    kind: str
    offset_days: int
    fire_at: datetime.datetime


class RuleBook:
    """Reminder rules by scope, read once: the union's own, its parent's, else the default."""

    def __init__(self):
        self.rules = refcache.cached(
            "reminder-rules", lambda: {(r.union_id, r.subject_kind): r for r in ReminderRule.objects.all()}
        )

    def for_union(self, union: Union, subject_kind: str) -> ReminderRule:
        for scope in (union.pk, union.parent_id, None):
            rule = self.rules.get((scope, subject_kind))
            if rule is not None:
                return rule
        return ReminderRule(subject_kind=subject_kind, offsets=[30, 14, 7, 3, 1, 0])


def occasions(*, due_on: datetime.date, rule: ReminderRule, tz, calendar: WorkingCalendar) -> list[Occasion]:
    """Every occasion of a due date in time order. Before-reminders that fall on a non-working day
    go out on the previous working day; the deadline itself never moves."""
    result = []
    for offset in sorted(set(rule.offsets), reverse=True):
        day = calendar.on_or_before(due_on - datetime.timedelta(days=offset))
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rule.send_hour)), tz)
        result.append(Occasion(ReminderKind.BEFORE, offset, at))
    for kind, days in (
        (ReminderKind.ESCALATE_CHAIR, rule.escalate_chair_after_days),
        (ReminderKind.ESCALATE_SUPERVISORS, rule.escalate_supervisors_after_days),
    ):
        day = due_on + datetime.timedelta(days=days)
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rule.send_hour)), tz)
        result.append(Occasion(kind, -days, at))
    result.sort(key=lambda o: (o.fire_at, o.kind))
    return result


def calendar_for(due_dates: list[datetime.date]) -> WorkingCalendar:
    """The working days around these due dates: before-reminders move back by up to a month."""
    if not due_dates:
        today = timezone.localdate()
        return WorkingCalendar(today, today)
    return WorkingCalendar(
        min(due_dates) - datetime.timedelta(days=40), max(due_dates) + datetime.timedelta(days=40)
    )


def next_occasion(due_on, rule, union, calendar, after, memo=None) -> Occasion | None:
    """The first occasion after ``after``. A sweep batch passes its memo: the reminders of one
    deadline share their occasions (same rule, same time zone)."""
    if memo is None:
        every = occasions(due_on=due_on, rule=rule, tz=union.tz, calendar=calendar)
    else:
        key = (
            "occasions",
            (due_on, tuple(rule.offsets), rule.send_hour, rule.escalate_chair_after_days),
            (rule.escalate_supervisors_after_days, union.time_zone),
        )
        every = memo.values.get(key)
        if every is None:
            every = memo.values[key] = occasions(due_on=due_on, rule=rule, tz=union.tz, calendar=calendar)
    for occasion in every:
        if occasion.fire_at > after:
            return occasion
    return None


def reminders_schedule(*, subjects: list[tuple[str, int, Union, datetime.date]], after=None) -> int:
    """Schedule the next occasion of each (kind, id, union, due date); idempotent (unique occasion)."""
    if not subjects:
        return 0
    book = RuleBook()
    calendar = calendar_for([s[3] for s in subjects])
    moment = after or timezone.now()
    rows = []
    for subject_kind, subject_id, union, due_on in subjects:
        occasion = next_occasion(due_on, book.for_union(union, subject_kind), union, calendar, moment)
        if occasion is not None:
            rows.append(
                Reminder(
                    subject_kind=subject_kind,
                    subject_id=subject_id,
                    union=union,
                    kind=occasion.kind,
                    offset_days=occasion.offset_days,
                    due_on=due_on,
                    fire_at=occasion.fire_at,
                )
            )
    Reminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def reminders_schedule_work_item(*, item) -> None:
    """A work item's next occasion: ``item`` has a due moment (``due_at``) and a union."""
    if item.due_at is None:
        return
    due_on = timezone.localtime(item.due_at, item.union.tz).date()
    reminders_schedule(subjects=[(SubjectKind.WORK_ITEM, item.pk, item.union, due_on)])


def reminders_schedule_obligations(*, fiscal_year: int | None = None) -> int:
    """The next occasion of every unmet obligation (of a year) that has no pending reminder."""
    qs = Obligation.objects.filter(met_on__isnull=True).select_related("union__parent")
    if fiscal_year is not None:
        qs = qs.filter(fiscal_year=fiscal_year)
    pending = set(
        Reminder.objects.filter(subject_kind=SubjectKind.OBLIGATION, state=ReminderState.PENDING).values_list(
            "subject_id", flat=True
        )
    )
    subjects = [(SubjectKind.OBLIGATION, o.pk, o.union, o.due_date) for o in qs if o.pk not in pending]
    return reminders_schedule(subjects=subjects)
