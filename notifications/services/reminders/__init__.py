"""Reminders before due dates and escalation after them.

Only the next occasion of each subject is stored (``Reminder``); sending it schedules the one after.
Three parts, each writing its own rows:

- ``scheduling``: the occasions of a due date by the union's rules, and the next one stored;
- ``sweep`` (with ``writes``): every minute, due reminders become notifications and deliveries;
- ``compose`` (with ``recipients``): what a reminder says and to whom, by the source of its subject.
  Obligations are composed here; work items by the workflows app, which registers their source.
"""

from notifications.services.reminders.compose import (
    Message,
    ObligationActors,
    SubjectSource,
    register_obligation_actors,
    register_source,
)
from notifications.services.reminders.scheduling import (
    Occasion,
    RuleBook,
    occasions,
    reminders_schedule,
    reminders_schedule_obligations,
    reminders_schedule_work_item,
)
from notifications.services.reminders.sweep import BATCH, reminders_send_due

__all__ = [
    "BATCH",
    "Message",
    "ObligationActors",
    "Occasion",
    "RuleBook",
    "SubjectSource",
    "occasions",
    "register_obligation_actors",
    "register_source",
    "reminders_schedule",
    "reminders_schedule_obligations",
    "reminders_schedule_work_item",
    "reminders_send_due",
]
