"""The sweep: beat enqueues ``reminders_send_due`` every minute. It claims due rows with
``SELECT … FOR UPDATE SKIP LOCKED`` (concurrent sweeps never take the same row), writes one
notification per recipient and occasion (the unique ``dedupe_key`` is the last line of defence), one
delivery per chosen channel, the following occasions, and enqueues the deliveries after commit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from notifications.models import Reminder, ReminderState
from notifications.services.delivery import enqueue
from notifications.services.reminders import compose
from notifications.services.reminders.recipients import BatchMemo, share_unions
from notifications.services.reminders.scheduling import RuleBook, calendar_for, next_occasion
from notifications.services.reminders.writes import (
    insert_notifications_with_email,
    insert_reminders,
    insert_webhook_deliveries,
    mark,
)

# Reminders claimed per transaction. Each batch pays fixed costs (the claim, the recipient reads,
# the commit); at full scale two workers wrote 4,996 notifications/s with 500, 7,706 with 2,000 and
# 8,391 with 5,000 (bench P4). 2,000 keeps a batch's transaction (and a rollback) under a second.
BATCH = 2000


def _claim_due(now: datetime.datetime, batch: int) -> list[Reminder]:
    qs = Reminder.objects.filter(state=ReminderState.PENDING, fire_at__lte=now).order_by("fire_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs[:batch])  # their unions: share_unions


def reminders_send_due(
    *, now: datetime.datetime | None = None, batch: int = BATCH, max_batches: int = 1000
) -> int:
    """The sweep. Returns the number of notifications written. Safe to run concurrently and twice."""
    moment = now or timezone.now()
    written = 0
    memo = BatchMemo()  # recipients read once per sweep, shared by its batches
    for _round in range(max_batches):
        with transaction.atomic():
            due = _claim_due(moment, batch)
            if not due:
                break
            written += _send_batch(due, moment, memo)
    return written


def _subjects(due: list[Reminder], memo: BatchMemo) -> dict[tuple[str, int], object]:
    """The batch's subjects by (kind, id), loaded by their sources; then what composing them needs."""
    by_kind: dict[str, list[int]] = {}
    for reminder in due:
        by_kind.setdefault(reminder.subject_kind, []).append(reminder.subject_id)
    found: dict[tuple[str, int], object] = {}
    for kind, ids in by_kind.items():
        source = compose.source(kind)
        if source is not None:
            found.update(((kind, subject.pk), subject) for subject in source.load(ids))
    share_unions([*due, *found.values()], memo)
    batches: dict[str, list[tuple[Reminder, object]]] = {}
    for reminder in due:
        memo.want_union(reminder.union)
        subject = found.get((reminder.subject_kind, reminder.subject_id))
        if subject is not None:
            batches.setdefault(reminder.subject_kind, []).append((reminder, subject))
    for kind, pairs in batches.items():
        compose.source(kind).prepare(memo, pairs)
    memo.load_people()
    return found


@dataclass
class _Batch:
    """What a batch writes: notification rows (recipient, union, title, body, url, key), the reminders
    sent or skipped, the following occasions, and the keys of reminders that go to robots too."""

    rows: list[tuple] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    following: list[tuple] = field(default_factory=list)
    webhook_keys: dict[str, int] = field(default_factory=dict)  # dedupe key -> union id


def _send_batch(due: list[Reminder], moment: datetime.datetime, memo: BatchMemo) -> int:
    """Compose every reminder of the batch from recipients read in a few set-based queries (the
    memo), then write notifications, deliveries and the following occasions with one statement
    each, and enqueue the deliveries in batches after commit."""
    subjects = _subjects(due, memo)
    book = RuleBook()
    calendar = calendar_for([r.due_on for r in due])
    out = _Batch()
    for reminder in due:
        subject = subjects.get((reminder.subject_kind, reminder.subject_id))
        source = compose.source(reminder.subject_kind)
        message = source.compose(reminder, subject, memo) if subject is not None else None
        if message is None:
            out.skipped.append(reminder.pk)
            continue
        out.sent.append(reminder.pk)
        key = f"reminder:{reminder.pk}"
        title = message.title[:200]
        for person_id in {p.pk for p in message.recipients}:
            out.rows.append((person_id, reminder.union_id, title, message.body, message.url, key))
        if message.webhook:
            out.webhook_keys[key] = reminder.union_id
        rule = book.for_union(reminder.union, reminder.subject_kind)
        nxt = next_occasion(reminder.due_on, rule, reminder.union, calendar, reminder.fire_at, memo)
        if nxt is not None:
            out.following.append(
                (reminder.subject_kind, reminder.subject_id, reminder.union_id)
                + (nxt.kind, nxt.offset_days, reminder.due_on, nxt.fire_at)
            )
    return _write(out, moment)


def _write(out: _Batch, moment: datetime.datetime) -> int:
    created, delivery_ids = insert_notifications_with_email(out.rows, moment)
    if out.webhook_keys:
        delivery_ids += insert_webhook_deliveries(created, out.webhook_keys, moment)
    mark(out.sent, ReminderState.SENT, moment)
    mark(out.skipped, ReminderState.SKIPPED, moment)
    insert_reminders(out.following)
    if delivery_ids:
        transaction.on_commit(lambda: enqueue(delivery_ids), robust=True)
    return len(created)
