"""A year's dossier (S5.3): one .zip with an index of every kept record and the stored files beside it.

The zip is streamed as it is written (``zipfile`` writes to an unseekable stream with data descriptors),
so a dossier of many files starts downloading at once and is never held whole in memory or on disk. The
index (``目录.csv``, UTF-8 with a byte-order mark so that spreadsheet programs read the Chinese) lists
every record, and for those with a file the name it has inside the zip (``文件/0001-…``); the files are
read from their stored paths, never copied elsewhere first.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator

from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import ArchiveRecord

CHUNK = 64 * 1024
INDEX_NAME = "目录.csv"
FILES_DIR = "文件"
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class _Pipe(io.RawIOBase):
    """A write-only stream whose bytes are taken out as they come (the zip's output)."""

    def __init__(self):
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def inner_name(seq: int, record: ArchiveRecord) -> str:
    name = UNSAFE.sub("_", record.file_name or record.title).strip() or "file"
    return f"{FILES_DIR}/{seq:04d}-{name[:120]}"


def index_rows(records: list[ArchiveRecord]) -> tuple[list[str], list[list[str]], dict[int, str]]:
    """The index's header and rows, and the name inside the zip of each record with a stored file."""
    header = [
        _("No."),
        _("category"),
        _("year"),
        _("title"),
        _("document number"),
        _("source"),
        _("retention period"),
        _("kept until"),
        _("filed in the archive at"),
        _("transferred to"),
        _("file in the dossier"),
    ]
    rows, names = [], {}
    for seq, record in enumerate(records, start=1):
        if record.file:
            names[record.pk] = inner_name(seq, record)
        rows.append(
            [
                str(seq),
                record.get_category_display(),
                str(record.year),
                record.title,
                record.number,
                record.get_source_display(),
                record.get_retention_display(),
                f"{record.retention_ends_on:%Y-%m-%d}" if record.retention_ends_on else "",
                f"{timezone.localtime(record.filed_at):%Y-%m-%d %H:%M}",
                str(record.transferred_to or ""),
                names.get(record.pk, ""),
            ]
        )
    return header, rows, names


def index_csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def stream(records: list[ArchiveRecord]) -> Iterator[bytes]:
    """The dossier's bytes, piece by piece: the index first, then each stored file in chunks."""
    with translation.override("zh-hans"):
        header, rows, names = index_rows(records)
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(INDEX_NAME, index_csv(header, rows))
        yield pipe.take()
        for record in records:
            name = names.get(record.pk)
            if name is None or not default_storage.exists(record.file.name):
                continue
            with default_storage.open(record.file.name, "rb") as source, archive.open(name, "w") as target:
                while chunk := source.read(CHUNK):
                    target.write(chunk)
                    yield pipe.take()
    yield pipe.take()
