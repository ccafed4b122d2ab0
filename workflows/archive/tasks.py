from celery import shared_task

from .filing import collect


@shared_task
def collect_archive() -> int:
    """S5.3: file what every union approved or recorded since the last run (idempotent)."""
    return collect()
