"""Uploads: the size limit enforced while the request streams, and the content recognised by what it
is, not by its name.

``LimitedUploadHandler`` comes first in ``FILE_UPLOAD_HANDLERS``. It passes each chunk on to
Django's own handlers until a file passes ``WUYI_UPLOAD_MAX_BYTES``; from then on it swallows that
file's chunks (nothing more is kept in memory or on disk) and, when the file ends, hands the form a
stand-in with no content whose ``size`` is the bytes received. The form's validators refuse it with
the size message, so the user sees why and every other field of the form is kept.
"""

from __future__ import annotations

import io
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils import timezone

from core import errors

# What a name may end with; the content must then be one of the kinds below as well.


class LimitedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.WUYI_UPLOAD_MAX_BYTES:
            self.too_large = True
            return None  # the next handlers never see the rest
        return raw_data

    def file_complete(self, file_size):
        if not self.too_large:
            return None  # Django's memory or temporary-file handler gives the file
        stand_in = InMemoryUploadedFile(
            io.BytesIO(b""),
            self.field_name,
            self.file_name,
            self.content_type,
            self.received,
            self.charset,
            self.content_type_extra,
        )
        stand_in.too_large = True
        return stand_in


def too_large(upload) -> bool:
    return getattr(upload, "too_large", False) or upload.size > settings.WUYI_UPLOAD_MAX_BYTES


@dataclass(frozen=True)
class Kind:
    """What an upload is, recognised from its first bytes."""

    label: str
    content_type: str
    inline: bool  # shown in the browser (PDF, images); everything else downloads


PDF = Kind("PDF", "application/pdf", True)
JPEG = Kind("JPEG", "image/jpeg", True)
PNG = Kind("PNG", "image/png", True)
OFD = Kind("OFD", "application/ofd", False)
DOC = Kind("Word", "application/msword", False)
XLS = Kind("Excel", "application/vnd.ms-excel", False)
DOCX = Kind("Word", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", False)
XLSX = Kind("Excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False)
TEXT = Kind("text", "text/plain; charset=utf-8", False)

_BY_MIME = {
    "application/pdf": PDF,
    "image/jpeg": JPEG,
    "image/png": PNG,
    "application/msword": DOC,
    "application/vnd.ms-excel": XLS,
    DOCX.content_type: DOCX,
    XLSX.content_type: XLSX,
}
# What each allowed name may hold: a PNG named .pdf is refused like a program named .pdf.
KINDS_BY_SUFFIX = {
    ".pdf": {PDF},
    ".jpg": {JPEG},
    ".jpeg": {JPEG},
    ".png": {PNG},
    ".ofd": {OFD},
    ".doc": {DOC},
    ".xls": {XLS},
    ".docx": {DOCX},
    ".xlsx": {XLSX},
    ".txt": {TEXT},
}
ALLOWED_SUFFIXES = frozenset(KINDS_BY_SUFFIX)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and Excel 97-2003 share this container
_HEAD = 8192


def kind_of(upload) -> Kind | None:
    """The allowed kind this upload's content is, or None (an executable renamed .pdf, say)."""
    upload.seek(0)
    head = upload.read(_HEAD)
    upload.seek(0)
    if not head:
        return None
    guessed = filetype.guess_mime(head)
    if guessed in _BY_MIME:
        return _BY_MIME[guessed]
    if head.startswith(_OLE2):
        return XLS if upload.name.lower().endswith(".xls") else DOC
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if guessed is None and _is_text(head):
        return TEXT
    return None


def _zip_kind(upload) -> Kind | None:
    """Office Open XML and OFD are zip archives told apart by the parts they hold."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "OFD.xml" in names:
        return OFD
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return DOCX
        if any(n.startswith("xl/") for n in names):
            return XLSX
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.start >= len(head) - 3:
                return True  # a multi-byte character cut by the end of the sample
    return False


def validate_upload(upload) -> None:
    """An attachment's checks, in the order a user can act on: its name, its size, its content."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(
            errors.UPLOAD_TYPE,
            params={"suffix": suffix or "—", "allowed": ", ".join(sorted(ALLOWED_SUFFIXES))},
        )
    validate_size(upload)
    if kind_of(upload) not in KINDS_BY_SUFFIX[suffix]:
        raise ValidationError(errors.UPLOAD_CONTENT, params={"name": Path(upload.name).name})


def validate_size(upload) -> None:
    if too_large(upload):
        raise ValidationError(
            errors.UPLOAD_SIZE, params={"limit": settings.WUYI_UPLOAD_MAX_BYTES // (1024 * 1024)}
        )


def random_path(folder: str) -> str:
    """Where an upload is stored: a random name, so that no path can be guessed; the original name
    stays in the row and goes out in Content-Disposition."""
    return f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}"
