"""The audit log (等保 2.0 安全审计): what is recorded, that nothing recorded can be changed, and the monthly
partitions that leave whole, exported, after the retention period."""

from __future__ import annotations

import datetime
import gzip

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from core.models import Role
from core.security.models import AuditEntry, AuditKind
from core.security.partitions import Month, partition_ensure, partitions, partitions_maintain
from tests.factories import UserFactory, seated
from tests.scenarios import at
from tests.security.conftest import sign_in

pytestmark = pytest.mark.django_db


def kinds(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id").values_list("kind", flat=True))


def test_sign_in_failure_and_sign_out_are_recorded(client, password):
    person = UserFactory(username="li", full_name="李四")
    sign_in(client, "li", "wrong-password")
    sign_in(client, "nobody-such", "x")
    sign_in(client, "li", password)
    client.post(reverse("logout"))
    assert kinds(actor=person) == [AuditKind.SIGN_IN_FAILED, AuditKind.SIGN_IN, AuditKind.SIGN_OUT]
    unknown = AuditEntry.objects.get(kind=AuditKind.SIGN_IN_FAILED, actor=None)
    assert unknown.detail["username"] == "nobody-such" and unknown.ip == "198.51.100.9"
    assert AuditEntry.objects.get(kind=AuditKind.SIGN_IN).actor_name == "李四"


def test_a_refusal_is_recorded(client, tree):
    outsider = seated(tree["b1"], Role.CHAIR, "union_committee")
    client.force_login(outsider)
    assert client.get(reverse("union_detail", args=[tree["a1"].pk])).status_code == 404
    refusal = AuditEntry.objects.get(kind=AuditKind.REFUSAL)
    assert refusal.actor == outsider and refusal.path == reverse("union_detail", args=[tree["a1"].pk])


def test_every_request_of_the_installation_account_is_recorded(client, superuser):
    client.force_login(superuser)
    client.get(reverse("admin:index"))
    client.get("/")
    uses = AuditEntry.objects.filter(kind=AuditKind.SUPERUSER_USE, actor=superuser)
    assert sorted(uses.values_list("path", flat=True)) == ["/", reverse("admin:index")]


def test_admin_actions_are_recorded_bulk_ones_too(client, administrators):
    from core.security.roles import SYSTEM

    client.force_login(administrators[SYSTEM])
    response = client.post(
        reverse("admin:core_calendaryear_add"), {"year": 2031, "source": "测试", "note": ""}, follow=False
    )
    assert response.status_code == 302
    added = AuditEntry.objects.get(kind=AuditKind.ADMIN_ACTION, actor=administrators[SYSTEM])
    assert added.detail["action"] == "add" and added.object.startswith("core.calendaryear:2031")


def test_a_members_register_entry_viewed_is_recorded(client, tree):
    from workflows.members.models import Member

    office = seated(tree["a1"], Role.OFFICE_STAFF)
    member = Member.objects.create(
        union=tree["a1"], member_number="A1-0001", name="王五", joined_on=datetime.date(2025, 1, 2)
    )
    client.force_login(office)
    assert client.get(reverse("members:edit", args=[member.pk])).status_code == 200
    entry = AuditEntry.objects.get(kind=AuditKind.PERSONAL_DATA_VIEW)
    assert entry.actor == office and entry.object == f"members.member:{member.pk}"


def _in_partition_sql(verb: str, table: str) -> str:
    return f"{verb} {table} SET object = 'changed'" if verb == "UPDATE" else f"DELETE FROM {table}"


@pytest.mark.parametrize("verb", ["UPDATE", "DELETE"])
def test_entries_cannot_be_changed_or_deleted_even_in_a_partition_directly(verb):
    entry = AuditEntry.objects.create(kind=AuditKind.EVENT, object="kept")
    table = Month.of(entry.at).table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE id = %s", [entry.pk])
        assert cursor.fetchone()[0] == 1  # it is in its month's partition
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(_in_partition_sql(verb, table) + " WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object="changed")
    assert AuditEntry.objects.get(pk=entry.pk).object == "kept"


def test_months_past_retention_are_exported_whole_then_dropped(settings, tmp_path):
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    old = Month(2020, 1)
    with connection.cursor() as cursor:
        assert partition_ensure(old, cursor)
    AuditEntry.objects.create(kind=AuditKind.EVENT, object="old one", at=at(2020, 1, 15, 9, 0))
    AuditEntry.objects.create(kind=AuditKind.EVENT, object="old two", at=at(2020, 1, 31, 23, 59))
    result = partitions_maintain(now=at(2020, 7, 31, 0, 0))  # 182 days after January's end
    assert result["archived"] == [str(tmp_path / "audit-2020-01.csv.gz")]
    assert old not in partitions()
    with gzip.open(tmp_path / "audit-2020-01.csv.gz", "rt") as archived:
        lines = archived.read().splitlines()
    assert lines[0].startswith("id,at,kind") and len(lines) == 3 and "old two" in lines[2]
    assert not AuditEntry.objects.filter(object__startswith="old").exists()
    note = AuditEntry.objects.get(kind=AuditKind.EVENT, detail__action="partition archived")
    assert note.detail["rows"] == 2


def test_nothing_leaves_before_the_retention_period(settings, tmp_path):
    settings.AUDIT_ARCHIVE_DIR = tmp_path
    with connection.cursor() as cursor:
        partition_ensure(Month(2020, 1), cursor)
    result = partitions_maintain(now=at(2020, 7, 29, 0, 0))  # 180 days after January's end: not yet
    assert result["archived"] == [] and Month(2020, 1) in partitions()


def test_the_next_months_partition_is_made_ahead():
    created = partitions_maintain(now=at(2031, 3, 10, 12, 0))["created"]
    assert created == ["security_auditentry_y2031m03", "security_auditentry_y2031m04"]
    assert partitions_maintain(now=at(2031, 3, 10, 12, 0))["created"] == []  # idempotent


def test_a_month_without_its_partition_still_records():
    entry = AuditEntry.objects.create(kind=AuditKind.EVENT, at=at(2040, 5, 1, 0, 0))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM security_auditentry_default WHERE id = %s", [entry.pk])
        assert cursor.fetchone()[0] == 1
