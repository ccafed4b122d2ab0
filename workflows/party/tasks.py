from celery import shared_task

from .reminders import action_items_remind


@shared_task
def remind_action_items() -> int:
    """Daily: reminders of the hearings' action items before their due dates and while overdue (S1.2)."""
    return action_items_remind()
