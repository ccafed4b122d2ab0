"""Uploads are accepted by what they are, not by their name, and the size limit holds while the
request streams (the security review, issue 21)."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from core.statutory import Obligation, ObligationCode, ObligationRecord
from core.uploads import validate_upload
from workflows.models import Attachment

PDF = b"%PDF-1.4\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data",
    [
        ("报告.pdf", PDF),
        ("照片.png", PNG),
        ("公文.ofd", _zip("OFD.xml", "Doc_0/Document.xml")),
        ("说明.docx", _zip("[Content_Types].xml", "word/document.xml")),
        ("决算.xlsx", _xlsx()),
        ("旧版.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
        ("说明.txt", "会议说明".encode()),
        ("说明.txt", "会议说明".encode("gb18030")),
    ],
)
def test_allowed_kinds_are_recognised_by_their_content(name, data):
    validate_upload(SimpleUploadedFile(name, data))


@pytest.mark.parametrize(
    "name, data",
    [
        ("报告.pdf", EXE),  # a Windows program renamed .pdf
        ("报告.pdf", ELF),  # a Linux program renamed .pdf
        ("报告.pdf", PNG),  # a picture with another kind's name
        ("说明.docx", _zip("payload.exe")),  # a zip that is not a Word document
        ("说明.txt", b"\x00\x01\x02binary"),
        ("空.pdf", b""),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(name, data):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, data))
    assert name in refused.value.messages[0]


@pytest.mark.django_db
def test_executable_renamed_pdf_is_refused_on_the_page_with_a_clear_message(cast, draft_budget):
    budget = draft_budget()
    client = Client()
    client.force_login(cast.office)
    upload = SimpleUploadedFile("预算说明.pdf", EXE, content_type="application/pdf")
    response = client.post(reverse("budget:attach", args=[budget.pk]), {"file": upload}, follow=True)
    html = response.content.decode()
    assert "预算说明.pdf" in html and "内容与文件名不符" in html
    assert not Attachment.objects.exists()


@override_settings(WUYI_UPLOAD_MAX_BYTES=4096)
def test_the_upload_handler_stops_keeping_a_file_at_the_limit():
    body = PDF + b"0" * 100_000
    request = RequestFactory().post(
        "/", {"note": "学习会", "attachment": SimpleUploadedFile("大文件.pdf", body), "after": "kept"}
    )
    upload = request.FILES["attachment"]
    assert upload.too_large and upload.size > 4096
    assert upload.read() == b""  # nothing past the limit was kept, in memory or on disk
    assert request.POST["note"] == "学习会" and request.POST["after"] == "kept"
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload)
    assert refused.value.messages[0] == "文件超过 0 MB 的大小限制。"


@pytest.mark.django_db
@override_settings(WUYI_UPLOAD_MAX_BYTES=4096)
def test_a_file_over_the_limit_is_refused_and_the_typed_note_is_kept(cast):
    from core.services.statutory import obligations_generate

    obligations_generate(unions=[cast.union], fiscal_year=2026)
    obligation = Obligation.objects.get(
        union=cast.union, fiscal_year=2026, code=ObligationCode.SATISFACTION_SURVEY
    )
    client = Client()
    client.force_login(cast.office)
    response = client.post(
        reverse("obligation_record", args=[obligation.pk]),
        {
            "held_on": "2026-07-01",
            "note": "十月份理论学习会，二十人参加",
            "attachment": SimpleUploadedFile("签到表.pdf", PDF + b"0" * 50_000),
        },
    )
    html = response.content.decode()
    assert "文件超过 0 MB 的大小限制" in html
    assert "十月份理论学习会，二十人参加" in html
    assert not ObligationRecord.objects.exists()
