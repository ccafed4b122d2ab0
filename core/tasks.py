"""Celery tasks of the core app: thin wrappers around idempotent services."""

from celery import shared_task

from core.services.permissions import permissions_sync_due


@shared_task(name="core.tasks.sync_seat_permissions")
def sync_seat_permissions(days_back: int = 7) -> int:
    """Nightly: terms that started or ended lately change access with no edit."""
    return permissions_sync_due(days_back=days_back)
