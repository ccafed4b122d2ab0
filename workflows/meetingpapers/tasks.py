from celery import shared_task

from .services import notices_remind


@shared_task
def remind_meeting_notices() -> int:
    """Daily: the seat holders of a noticed meeting are reminded once, the rule's working days before it."""
    return notices_remind()
