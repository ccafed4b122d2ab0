"""The auditor's page /platform/audit/: search, keyset pages, .xlsx export, every read logged; refused
(403) to everyone else, platform administrators and the installation account included."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Role
from core.security.models import AuditEntry, AuditKind
from core.security.roles import AUDITOR, SECURITY, SYSTEM
from core.security.selectors import PAGE_SIZE
from tests.factories import seated
from tests.scenarios import at

pytestmark = pytest.mark.django_db
PAGE = reverse("security:audit_log")


def test_only_the_auditor_reads_the_audit_log(client, administrators, superuser, tree):
    chair = seated(tree["a1"], Role.CHAIR, "union_committee")
    for person in (administrators[SYSTEM], administrators[SECURITY], superuser, chair):
        client.force_login(person)
        assert client.get(PAGE).status_code == 403, person
        assert client.get(reverse("security:audit_export")).status_code == 403, person
    assert AuditEntry.objects.filter(kind=AuditKind.REFUSAL, actor=chair, path=PAGE).exists()
    client.logout()
    assert client.get(PAGE).status_code == 302  # to the sign-in page


def test_the_auditor_searches_pages_and_each_read_is_logged(
    client, administrators, django_assert_max_num_queries
):
    auditor = administrators[AUDITOR]
    AuditEntry.objects.bulk_create(
        AuditEntry(kind=AuditKind.SIGN_IN_FAILED, actor_name="张三", at=at(2026, 3, 1, 9, n), path=f"/p{n}")
        for n in range(PAGE_SIZE + 5)
    )
    AuditEntry.objects.create(kind=AuditKind.SIGN_IN, actor_name="李四", at=at(2026, 3, 2, 9, 0))
    client.force_login(auditor)
    query = {"date_from": "2026-03-01", "date_to": "2026-03-01", "kind": "sign_in_failed", "actor": "张"}
    # the page 5 (session, person, role, rows, the read logged); the shared header 3; the session write 2
    with django_assert_max_num_queries(10):
        first = client.get(PAGE, query)
    assert first.status_code == 200
    assert len(first.context["rows"]) == PAGE_SIZE and first.context["rows"][0].path == f"/p{PAGE_SIZE + 4}"
    assert first.context["next_query"]
    second = client.get(PAGE + "?" + first.context["next_query"])
    assert [r.path for r in second.context["rows"]] == [f"/p{n}" for n in range(4, -1, -1)]
    assert second.context["next_query"] is None
    reads = AuditEntry.objects.filter(kind=AuditKind.AUDIT_READ, actor=auditor)
    assert reads.count() == 2 and reads.first().detail["filters"]["actor"] == "张"
    assert "李四" not in first.content.decode()


def test_the_auditor_exports_the_search_and_the_export_is_logged(client, administrators):
    auditor = administrators[AUDITOR]
    AuditEntry.objects.create(kind=AuditKind.REFUSAL, actor_name="王五", object="某工会", path="/unions/9/")
    client.force_login(auditor)
    response = client.get(reverse("security:audit_export"), {"kind": "refusal"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "时间" and len(rows) == 2 and rows[1][2] == "王五" and rows[1][1] == "权限拒绝"
    assert AuditEntry.objects.filter(kind=AuditKind.AUDIT_READ, detail__export="xlsx").exists()
