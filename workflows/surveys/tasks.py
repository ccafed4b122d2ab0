from celery import shared_task

from .services import cycles_close_due


@shared_task
def close_due_surveys() -> int:
    """Daily: the satisfaction surveys whose closing day has passed are closed (S5.2)."""
    return cycles_close_due()
