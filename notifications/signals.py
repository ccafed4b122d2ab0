"""Receivers of the signals core sends: notifications follow new obligations without core knowing."""

from __future__ import annotations

from django.dispatch import receiver

from core.signals import obligations_created
from notifications.services.reminders import reminders_schedule_obligations


@receiver(obligations_created, dispatch_uid="notifications.obligation_reminders")
def obligations_created_schedule_reminders(sender, *, fiscal_year: int, **kwargs) -> None:
    reminders_schedule_obligations(fiscal_year=fiscal_year)
