"""Attachments are downloaded only through the view that checks the right to their document (the
security review, issue 21): stored under random names, sent with their original name, PDF and images
inline, everything else as a download; no URL serves the media folder in any mode."""

from __future__ import annotations

import importlib
import re
from urllib.parse import quote

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from core.models import Role
from core.statutory import Obligation, ObligationCode, ObligationRecord
from tests.factories import UserFactory, give_seat
from tests.pages import meeting_data, meeting_url
from tests.scenarios import answer_all, consolidate, open_items
from workflows.models import Attachment, Resolution

PDF_BYTES = b"%PDF-1.4\n%%EOF\n"
RANDOM_NAME = re.compile(r"^attachments/\d+/\d{4}/\d{2}/[0-9a-f]{32}$")


def attach(client, budget, name="审查报告（草案）.pdf", data=PDF_BYTES):
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(reverse("budget:attach", args=[budget.pk]), {"file": upload, "note": "说明"})


def url_of(attachment) -> str:
    return reverse("workflows:attachment", args=[attachment.pk])


@pytest.fixture
def budget_file(cast, draft_budget):
    budget = draft_budget()
    client = Client()
    client.force_login(cast.office)
    assert attach(client, budget).status_code == 302
    return budget, Attachment.objects.get(document_id=budget.pk)


@pytest.mark.django_db
def test_stored_name_is_random_and_the_original_name_goes_out_in_content_disposition(cast, budget_file):
    budget, attachment = budget_file
    assert RANDOM_NAME.match(attachment.file.name), attachment.file.name
    assert "审查报告" not in attachment.file.name and attachment.name == "审查报告（草案）.pdf"
    client = Client()
    client.force_login(cast.office)  # the drafter
    response = client.get(url_of(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    # PDF opens in the browser; RFC 5987 keeps the Chinese name
    assert response["Content-Disposition"].startswith("inline;")
    assert f"filename*=utf-8''{quote('审查报告（草案）.pdf')}" in response["Content-Disposition"]
    # the document page links to the view, never to the stored path
    page = client.get(reverse("budget:detail", args=[budget.pk])).content.decode()
    assert url_of(attachment) in page and attachment.file.name not in page


@pytest.mark.django_db
def test_each_viewer_gets_the_answer_of_the_document_page(cast, tree, sibling, budget_file):
    _, attachment = budget_file
    supervisor = UserFactory(username="dept-a-supervisor")
    give_seat(supervisor, tree["dept_a"], Role.SUPERVISOR)
    expected = {
        "drafter": (cast.office, 200),
        "chair of the union": (cast.chair, 200),
        "supervisor above": (supervisor, 200),
        "sibling chair": (sibling, 404),
        "chair of another department's union": (cast.outsider, 404),
        "leader of the union group below": (cast.group_leader, 404),
    }
    for who, (person, status) in expected.items():
        client = Client()
        client.force_login(person)
        assert client.get(url_of(attachment)).status_code == status, who
    anonymous = Client().get(url_of(attachment))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_no_route_serves_the_media_folder(cast, budget_file):
    _, attachment = budget_file
    client = Client()
    client.force_login(cast.office)
    for prefix in ("/media/", settings.MEDIA_URL):
        assert client.get(prefix + attachment.file.name).status_code == 404, prefix
    assert client.get("/media/attachments/").status_code == 404


@pytest.mark.django_db
def test_a_text_file_downloads_instead_of_opening(cast, draft_budget):
    budget = draft_budget()
    client = Client()
    client.force_login(cast.office)
    attach(client, budget, name="说明.txt", data=b"<script>alert(1)</script>")
    response = client.get(url_of(Attachment.objects.get()))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "mode, header, expected",
    [
        ("x-accel-redirect", "X-Accel-Redirect", "/protected-media/attachments/"),
        ("x-sendfile", "X-Sendfile", str(settings.MEDIA_ROOT)),
    ],
)
def test_the_front_server_may_send_the_file(cast, budget_file, mode, header, expected):
    _, attachment = budget_file
    client = Client()
    client.force_login(cast.office)
    with override_settings(FILE_SENDING=mode):
        response = client.get(url_of(attachment))
    assert response.status_code == 200 and response.content == b""
    assert response[header].startswith(expected) and response[header].endswith(attachment.file.name)
    assert response["Content-Disposition"].startswith("inline;")
    with override_settings(FILE_SENDING=mode):
        outsider = Client()
        outsider.force_login(cast.outsider)
        assert header not in outsider.get(url_of(attachment)).headers


@pytest.mark.django_db
def test_meeting_files_follow_the_documents_on_its_agenda(cast, submitted_budget):
    budget = submitted_budget()
    answer_all(budget, cast)
    consolidate(budget, cast)
    (item,) = open_items(budget)
    client = Client()
    client.force_login(cast.audit_director)
    minutes = SimpleUploadedFile("会议纪要.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        meeting_url(cast.body("audit_committee")),
        {
            **meeting_data(attendees=cast.audit_committee, rows=[(item.pk, Resolution.APPROVE, 3, 0, 0, "")]),
            "files": [minutes],
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get(meeting__isnull=False)
    assert RANDOM_NAME.match(attachment.file.name)
    # the document page lists the minutes under the decision
    client.force_login(cast.chair)
    assert url_of(attachment) in client.get(reverse("budget:detail", args=[budget.pk])).content.decode()
    assert client.get(url_of(attachment)).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(url_of(attachment)).status_code == 404


@pytest.mark.django_db
def test_obligation_record_file_is_for_the_unions_officers_only(cast, tree):
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
            "note": "学习会",
            "attachment": SimpleUploadedFile("签到表.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = ObligationRecord.objects.get()
    assert record.attachment_name == "签到表.pdf"
    assert re.match(r"^obligations/\d+/\d{4}/\d{2}/[0-9a-f]{32}$", record.attachment.name)
    file_url = reverse("obligation_record_file", args=[record.pk])
    assert file_url in client.get(reverse("obligation_record", args=[obligation.pk])).content.decode()
    assert client.get(file_url).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(file_url).status_code == 404
    assert Client().get(file_url).status_code == 302


@pytest.mark.django_db
def test_migration_moves_files_already_stored_to_random_names_and_keeps_them_downloadable(cast, draft_budget):
    budget = draft_budget()
    old = default_storage.save("attachments/1/2026/11/审计报告.pdf", ContentFile(PDF_BYTES))
    attachment = Attachment.objects.create(
        union=cast.union,
        document_type="budget",
        document_id=budget.pk,
        file=old,
        name="审计报告.pdf",
        size=len(PDF_BYTES),
        uploaded_by=cast.office,
    )
    migration = importlib.import_module("workflows.migrations.0011_attachment_random_names")
    migration.move(apps, None)
    attachment.refresh_from_db()
    assert RANDOM_NAME.match(attachment.file.name) and not default_storage.exists(old)
    client = Client()
    client.force_login(cast.office)
    response = client.get(url_of(attachment))
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert quote("审计报告.pdf") in response["Content-Disposition"]
