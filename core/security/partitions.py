"""The audit log's monthly partitions (PostgreSQL declarative partitioning on ``at``).

Months are calendar months in TIME_ZONE. The current and next month's partitions exist ahead of their
rows (migration 0001, then the ``audit-partitions`` beat task daily); a row of a month without one
lands in the default partition, so a missed beat never loses an entry. A month that ended more than
AUDIT_RETENTION_DAYS ago is detached, exported whole (COPY … TO STDOUT, gzip, under
AUDIT_ARCHIVE_DIR) and then dropped, in one transaction: nothing leaves before it is on disk.
The append-only trigger sits on the partitioned table, so PostgreSQL clones it onto every partition.
"""

from __future__ import annotations

import datetime
import gzip
import os
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

TABLE = "security_auditentry"
DEFAULT_PARTITION = f"{TABLE}_default"
_NAME = re.compile(rf"^{TABLE}_y(\d{{4}})m(\d{{2}})$")


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, moment: datetime.datetime) -> Month:
        local = moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
        return cls(local.year, local.month)

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def start(self) -> datetime.datetime:
        return datetime.datetime(self.year, self.month, 1, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))

    @property
    def end(self) -> datetime.datetime:
        return self.next().start

    @property
    def table(self) -> str:
        return f"{TABLE}_y{self.year:04d}m{self.month:02d}"


def partitions(cursor=None) -> list[Month]:
    """The monthly partitions attached now, oldest first (the default partition is not one)."""
    sql = (
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass"
    )
    if cursor is None:
        with connection.cursor() as own:
            own.execute(sql, [TABLE])
            names = [row[0] for row in own.fetchall()]
    else:
        cursor.execute(sql, [TABLE])
        names = [row[0] for row in cursor.fetchall()]
    months = [Month(int(m[1]), int(m[2])) for m in map(_NAME.match, names) if m]
    return sorted(months, key=lambda m: (m.year, m.month))


def partition_ensure(month: Month, cursor) -> bool:
    """Create the month's partition unless it exists. When rows of that month already sit in the default
    partition (the beat was down for a month), they stay there and so do the month's later rows:
    PostgreSQL refuses a partition that the default's rows would belong to. True when created."""
    cursor.execute("SELECT to_regclass(%s)", [month.table])
    if cursor.fetchone()[0] is not None:
        return False
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {DEFAULT_PARTITION} WHERE at >= %s AND at < %s)",
        [month.start, month.end],
    )
    if cursor.fetchone()[0]:
        return False
    # bounds are timestamps this module formats itself (no user input reaches the DDL)
    cursor.execute(
        f"CREATE TABLE {month.table} PARTITION OF {TABLE} "
        f"FOR VALUES FROM ('{month.start.isoformat()}') TO ('{month.end.isoformat()}')"
    )
    return True


def partitions_ahead_ensure(now: datetime.datetime | None = None, cursor=None) -> list[str]:
    """The current and the next month's partitions (idempotent). Returns the tables created."""
    month = Month.of(now or timezone.now())
    created = []
    if cursor is None:
        with connection.cursor() as own:
            return partitions_ahead_ensure(now, own)
    for wanted in (month, month.next()):
        if partition_ensure(wanted, cursor):
            created.append(wanted.table)
    return created


def archive_path(month: Month) -> Path:
    return Path(settings.AUDIT_ARCHIVE_DIR) / f"audit-{month.year:04d}-{month.month:02d}.csv.gz"


def partition_archive(month: Month) -> tuple[Path, int]:
    """Detach the month, write it whole to its gzip file, drop it, and log that it left. One
    transaction: if the file cannot be written the partition stays attached."""
    from core.security.audit import audit_record
    from core.security.models import AuditKind

    path = archive_path(month)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {month.table}")
        cursor.execute(f"SELECT count(*) FROM {month.table}")
        rows = cursor.fetchone()[0]
        with gzip.open(partial, "wb") as out:
            copy_sql = (
                f"COPY (SELECT * FROM {month.table} ORDER BY at, id) TO STDOUT WITH (FORMAT csv, HEADER)"
            )
            with cursor.cursor.copy(copy_sql) as copy:
                for chunk in copy:
                    out.write(chunk)
        with open(partial, "rb") as written:
            os.fsync(written.fileno())
        os.replace(partial, path)
        cursor.execute(f"DROP TABLE {month.table}")
        audit_record(
            kind=AuditKind.EVENT,
            object=f"audit log {month.year:04d}-{month.month:02d}",
            detail={"action": "partition archived", "rows": rows, "file": str(path)},
            actor_name="Wuyi",
        )
    return path, rows


def partitions_maintain(now: datetime.datetime | None = None) -> dict[str, list[str]]:
    """The beat task's work: partitions ahead, and months past retention archived."""
    now = now or timezone.now()
    created = partitions_ahead_ensure(now)
    cutoff = now - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    archived = []
    for month in partitions():
        if month.end <= cutoff:
            path, _rows = partition_archive(month)
            archived.append(str(path))
    return {"created": created, "archived": archived}
