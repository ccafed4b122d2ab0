"""Changing the archive (S5.3): deleting a record after its retention ends, transferring records to the
upper union's archive (移交). Filing is ``filing.py``. Every change writes an event; a deletion also
writes an audit-log entry the security auditor reads at /platform/audit/ (等保 2.0 安全审计)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.models import Union
from core.security.audit import audit_record
from core.security.models import AuditKind
from core.services.events import event_record

from . import errors
from .models import ArchiveRecord, Retention


def union_today(union: Union) -> datetime.date:
    return timezone.localtime(timezone.now(), union.tz).date()


def deletion_problem(*, record: ArchiveRecord, today: datetime.date):
    """S5.3: why the record may not be deleted today (its retention rule, period and end), or None."""
    if record.deleted_at is not None:
        return errors.ALREADY_DELETED
    if record.retention == Retention.PERMANENT or record.retention_ends_on is None:
        return errors.RETENTION_PERMANENT % {"category": record.get_category_display()}
    if today <= record.retention_ends_on:
        return errors.RETENTION_NOT_ENDED % {
            "period": record.get_retention_display(),
            "category": record.get_category_display(),
            "until": f"{record.retention_ends_on:%Y-%m-%d}",
        }
    return None


@transaction.atomic
def record_delete(*, actor, record: ArchiveRecord, request=None) -> ArchiveRecord:
    """S5.3: nothing is deleted before its retention ends; after it the record is marked deleted (the row
    stays as the trace), its stored file is removed once the transaction commits, and the deletion is an
    event and an audit-log entry."""
    record = ArchiveRecord.objects.select_for_update().select_related("union").get(pk=record.pk)
    problem = deletion_problem(record=record, today=union_today(record.union))
    if problem is not None:
        raise ValidationError(problem)
    name, storage = record.file.name, record.file.storage
    record.deleted_at, record.deleted_by, record.file = timezone.now(), actor, ""
    record.save(update_fields=["deleted_at", "deleted_by", "file"])
    detail = {
        "archive_record": record.pk,
        "title": record.title,
        "year": record.year,
        "category": record.category,
        "retention": record.retention,
        "retention_ends_on": f"{record.retention_ends_on:%Y-%m-%d}",
        "file": name,
    }
    event_record(verb="archive_deleted", actor=actor, subject=record, union=record.union, detail=detail)
    audit_record(
        kind=AuditKind.EVENT,
        actor=actor,
        request=request,
        object=f"档案销毁：{record.union} · {record.title}",
        detail={"action": "archive_deletion", **detail},
    )
    if name:
        transaction.on_commit(lambda: storage.delete(name) if storage.exists(name) else None)
    return record


def _upper(union: Union) -> Union:
    if union.parent_id is None:
        raise ValidationError(errors.NO_UPPER_UNION)
    return Union.objects.get(pk=union.parent_id)


@transaction.atomic
def record_transfer(*, actor, record: ArchiveRecord) -> ArchiveRecord:
    """S5.3 移交: the record goes to the upper union's archive, which lists it as received; recorded
    with who and when (the record stays in the union's own list, marked transferred)."""
    record = ArchiveRecord.objects.select_for_update().select_related("union").get(pk=record.pk)
    if record.deleted_at is not None:
        raise ValidationError(errors.DELETED_NOT_TRANSFERRED)
    if record.transferred_to_id is not None:
        raise ValidationError(errors.ALREADY_TRANSFERRED)
    upper = _upper(record.union)
    record.transferred_to, record.transferred_at, record.transferred_by = upper, timezone.now(), actor
    record.save(update_fields=["transferred_to", "transferred_at", "transferred_by"])
    event_record(
        verb="archive_transferred",
        actor=actor,
        subject=record,
        union=record.union,
        detail={"to_union": upper.pk, "records": [record.pk]},
    )
    return record


@transaction.atomic
def year_transfer(*, actor, union: Union, year: int) -> int:
    """S5.3 移交: every record of the year kept and not yet transferred goes to the upper union; one
    statement, one event. Returns how many went."""
    upper = _upper(union)
    pending = ArchiveRecord.objects.filter(
        union=union, year=year, deleted_at__isnull=True, transferred_to__isnull=True
    )
    ids = list(pending.select_for_update().values_list("pk", flat=True))
    moved = ArchiveRecord.objects.filter(pk__in=ids).update(
        transferred_to=upper, transferred_at=timezone.now(), transferred_by=actor
    )
    if moved:
        event_record(
            verb="archive_transferred",
            actor=actor,
            union=union,
            detail={"to_union": upper.pk, "year": year, "records": ids},
        )
    return moved
