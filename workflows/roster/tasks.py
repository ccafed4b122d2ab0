from celery import shared_task

from .reminders import contract_ends_remind


@shared_task
def remind_contract_ends() -> int:
    """Daily: the chair is told of social workers' contracts ending in 30, 7 and 1 days (S4.2)."""
    return contract_ends_remind()
