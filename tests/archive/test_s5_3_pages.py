"""S5.3 档案管理: who sees the archive, retention before deletion (audited), the transfer upward, the
year's dossier as one .zip with its index."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from core.models import Event, Role
from core.security.models import AuditEntry, AuditKind
from core.security.roles import AUDITOR, platform_role_grant
from tests.archive.helpers import record
from tests.factories import UserFactory, seated
from tests.scenarios import at, travel
from workflows.archive import dossier
from workflows.archive.models import ArchiveRecord, Category, Retention

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_s5_3_outsiders_are_refused_every_page_file_and_zip(client, cast, media):
    kept = record(cast.union, title="工会经费预算", content=b"%PDF-1.4 budget", retention=Retention.YEARS_10)
    union_pages = ["archive:search", "archive:received", "archive:dossier"]
    record_pages = ["archive:record", "archive:download"]
    posts = [("archive:file_now", cast.union.pk), ("archive:year_transfer", cast.union.pk)]
    posts += [("archive:delete", kept.pk), ("archive:transfer", kept.pk)]
    representative = cast.representatives[0]  # sees the union, not its documents
    for person, status in ((cast.outsider, 404), (representative, 403)):
        client.force_login(person)
        for name in union_pages:
            assert client.get(reverse(name, args=[cast.union.pk]), {"year": 2026}).status_code == status, name
        for name in record_pages:
            assert client.get(reverse(name, args=[kept.pk])).status_code == status, name
        for name, pk in posts:
            assert client.post(reverse(name, args=[pk]), {"year": 2026}).status_code == status, name
    kept.refresh_from_db()
    assert kept.deleted_at is None and kept.transferred_to is None
    # the union's officers and the supervisors above read it, file and zip included
    supervisor = seated(cast.union.parent, Role.SUPERVISOR)
    for person in (cast.audit_director, supervisor):
        client.force_login(person)
        assert client.get(reverse("archive:record", args=[kept.pk])).status_code == 200
        assert b"".join(client.get(reverse("archive:download", args=[kept.pk])).streaming_content) == (
            b"%PDF-1.4 budget"
        )
        zipped = client.get(reverse("archive:dossier", args=[cast.union.pk]), {"year": 2026})
        assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"


def test_s5_3_nothing_is_deleted_before_its_retention_ends(client, cast, media):
    ten_years = record(
        cast.union, title="经费支出凭证", year=2020, retention=Retention.YEARS_10, content=b"x"
    )
    permanent = record(cast.union, title="会员代表大会决议", year=2020, category=Category.MEETINGS)
    with travel(at(2030, 12, 31, 23, 0)):
        client.force_login(cast.office)  # signed in then: a session ages with the clock
        page = client.post(reverse("archive:delete", args=[ten_years.pk]), follow=True)
        said = page.content.decode()
        assert "10年" in said and "2030-12-31" in said and "经费支出" in said  # the rule, its period, its end
        page = client.post(reverse("archive:delete", args=[permanent.pk]), follow=True)
        assert "永久" in page.content.decode()
    assert not ArchiveRecord.objects.filter(deleted_at__isnull=False).exists()
    assert default_storage.exists(ten_years.file.name)


def test_s5_3_deletion_after_retention_is_an_auditor_visible_event(
    client, cast, media, django_capture_on_commit_callbacks
):
    ten_years = record(
        cast.union, title="经费支出凭证", year=2020, retention=Retention.YEARS_10, content=b"x"
    )
    stored = ten_years.file.name
    with travel(at(2031, 1, 1, 9, 0)):
        client.force_login(cast.office)
        with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion commits
            client.post(reverse("archive:delete", args=[ten_years.pk]))
    ten_years.refresh_from_db()
    assert ten_years.deleted_at is not None and ten_years.deleted_by == cast.office
    assert not default_storage.exists(stored) and not ten_years.file  # the file is removed, the trace kept
    assert Event.objects.filter(verb="archive_deleted", subject_id=str(ten_years.pk)).exists()
    entry = AuditEntry.objects.get(kind=AuditKind.EVENT, detail__action="archive_deletion")
    assert entry.actor == cast.office and entry.detail["archive_record"] == ten_years.pk
    auditor = UserFactory(username="auditor-x")
    platform_role_grant(actor=None, user=auditor, role=AUDITOR)
    client.force_login(auditor)
    page = client.get(reverse("security:audit_log"), {"kind": AuditKind.EVENT})
    assert "经费支出凭证" in page.content.decode()
    # gone from the search, the record's page still tells what happened
    client.force_login(cast.chair)
    assert "经费支出凭证" not in client.get(reverse("archive:search", args=[cast.union.pk])).content.decode()
    assert client.get(reverse("archive:record", args=[ten_years.pk])).context["record"].deleted_at


def test_s5_3_a_transfer_is_recorded_and_the_upper_union_lists_it_as_received(client, cast, tree, media):
    one = record(cast.union, title="年度工作报告", year=2025)
    two = record(cast.union, title="工会委员会会议纪要", year=2024)
    three = record(cast.union, title="经费审查报告", year=2024)
    client.force_login(cast.office)
    client.post(reverse("archive:transfer", args=[one.pk]))
    client.post(reverse("archive:year_transfer", args=[cast.union.pk]), {"year": 2024})
    upper = tree["dept_a"]
    for item in (one, two, three):
        item.refresh_from_db()
        assert item.transferred_to == upper and item.transferred_by == cast.office and item.transferred_at
    assert Event.objects.filter(verb="archive_transferred", union=cast.union).count() == 2
    # the upper union's office reads them as received, and opens them
    upper_office = seated(upper, Role.OFFICE_STAFF)
    client.force_login(upper_office)
    page = client.get(reverse("archive:received", args=[upper.pk]))
    assert {r.title for r in page.context["records"]} == {
        "年度工作报告",
        "工会委员会会议纪要",
        "经费审查报告",
    }
    assert client.get(reverse("archive:record", args=[one.pk])).status_code == 200
    assert client.get(reverse("archive:received", args=[tree["dept_b"].pk])).status_code == 404
    # a second transfer is refused with the reason
    client.force_login(cast.office)
    said = client.post(reverse("archive:transfer", args=[one.pk]), follow=True).content.decode()
    assert "已移交" in said


def test_s5_3_the_years_dossier_is_one_zip_with_an_index_of_every_record(client, cast, media):
    with_file = record(cast.union, title="工会经费预算", year=2026, content=b"%PDF-1.4 budget", number="3号")
    record(cast.union, title="工会委员会会议纪要", year=2026, category=Category.MEETINGS)
    record(cast.union, title="去年的总结", year=2025)
    client.force_login(cast.chair)
    response = client.get(reverse("archive:dossier", args=[cast.union.pk]), {"year": 2026})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    index = list(csv.reader(io.StringIO(archive.read(dossier.INDEX_NAME).decode("utf-8-sig"))))
    assert index[0][0] == "序号" and len(index) == 3
    assert {row[3] for row in index[1:]} == {"工会经费预算", "工会委员会会议纪要"}
    listed = next(row for row in index[1:] if row[3] == "工会经费预算")
    assert listed[4] == "3号" and listed[-1].startswith(dossier.FILES_DIR + "/")
    assert archive.read(listed[-1]) == b"%PDF-1.4 budget"
    assert with_file.file.name  # the stored file itself stayed where it was
    assert sorted(archive.namelist()) == sorted([dossier.INDEX_NAME, listed[-1]])
