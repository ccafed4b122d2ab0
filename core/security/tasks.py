"""Celery tasks of the security part: thin wrappers around idempotent services."""

from celery import shared_task

from core.security.partitions import partitions_maintain


@shared_task(name="core.security.tasks.audit_partitions")
def audit_partitions() -> dict:
    """Daily: next month's audit partition exists; months past retention are exported and dropped."""
    return partitions_maintain()
