"""Celery tasks of the oversight pages. Beat only enqueues idempotent sweeps; no ETA or countdown."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="oversight.tasks.refresh_rollups")
def refresh_rollups() -> int:
    """Every 5 minutes: the provincial figures of the oversight pages (oversight.rollups)."""
    # imported when the task runs: Celery's autodiscovery may import this module before Django's
    # app registry is ready, and the rollups import the models
    from oversight.rollups import rollups_refresh

    return rollups_refresh()
