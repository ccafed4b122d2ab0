from celery import shared_task

from .reminders import overdue_contacts_remind


@shared_task
def remind_overdue_contacts() -> int:
    """Daily: committee members are told of contacts a whole period without contact and of follow-ups
    past due (S4.4)."""
    return overdue_contacts_remind()
