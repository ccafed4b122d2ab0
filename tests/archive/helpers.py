"""Archive records made directly (as filing makes them), for the search, page and retention tests."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from workflows.archive import rules
from workflows.archive.filing import search_vector
from workflows.archive.models import ArchiveRecord, Category, Retention, Source

_ids = iter(range(1, 10**9))


def record(
    union,
    *,
    title: str,
    year: int = 2026,
    category: str = Category.PLANS_REPORTS,
    retention: str = Retention.PERMANENT,
    number: str = "",
    text: str = "",
    content: bytes | None = None,
) -> ArchiveRecord:
    file_name = ""
    if content is not None:
        file_name = default_storage.save(f"attachments/{union.pk}/archive-test.pdf", ContentFile(content))
    return ArchiveRecord.objects.create(
        union=union,
        category=category,
        year=year,
        title=title,
        number=number,
        source=Source.ATTACHMENT if content is not None else Source.MINUTES,
        source_id=next(_ids),
        file=file_name,
        file_name=f"{title}.pdf" if content is not None else "",
        retention=retention,
        retention_ends_on=rules.retention_ends_on(year, retention),
        search_vector=search_vector(title=title, number=number, text=text),
    )
