"""Celery tasks of the approval spine: idempotent sweeps enqueued by beat."""

from celery import shared_task

from workflows.inbox_cache import prune
from workflows.services.opinions import opinions_close_overdue


@shared_task(name="workflows.tasks.close_overdue_opinions")
def close_overdue_opinions() -> int:
    """Recipients who did not answer by the due date are recorded as "no reply" (S2.2, S3.3)."""
    return opinions_close_overdue()


@shared_task(name="workflows.tasks.prune_inbox_changes")
def prune_inbox_changes() -> int:
    """The inbox change log's rows that no cached to-do page can still need (workflows/inbox_cache.py)."""
    return prune()
