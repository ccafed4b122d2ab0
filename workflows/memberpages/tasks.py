from celery import shared_task

from .reminders import unanswered_remind


@shared_task
def remind_unanswered() -> int:
    """Daily: the chair is told of members' opinions unanswered after the union's working days (S5.4)."""
    return unanswered_remind()
