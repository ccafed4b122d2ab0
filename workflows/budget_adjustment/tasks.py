"""Celery tasks of the budget adjustment: the idempotent lapse sweep enqueued by beat (S3.4)."""

from celery import shared_task

from .services import adjustments_lapse_due


@shared_task(name="workflows.budget_adjustment.tasks.lapse_adjustments")
def lapse_adjustments() -> int:
    """Adjustments still open after 30 September (union's time zone) lapse: process and tasks cancelled."""
    return adjustments_lapse_due()
