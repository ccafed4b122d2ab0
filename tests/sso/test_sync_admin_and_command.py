"""The people sync's two ways in (issue 31): ``manage.py sync_people`` and the administration's
"从人事导出同步人员" page (upload → dry run's report → confirm), the latter for holders of
``sso.run_people_sync`` only."""

from __future__ import annotations

from html import escape
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import User
from core.sso.models import SyncRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = "employee_number,full_name,phone,email,department_code,status,wecom_userid,dingtalk_userid\n"
GOOD = HEADER + "E2001,赵六,13900000001,,,active,,\n"
BAD = HEADER + "E2001,赵六,139,,,active,,\n"


@pytest.fixture
def sysadmin(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="run_people_sync", content_type__app_label="sso")
    )
    client.force_login(user)
    return user


def upload(client, text: str, name: str = "hr.csv"):
    return client.post(
        reverse("admin:sso_syncrun_sync"), {"file": SimpleUploadedFile(name, text.encode()), "format": ""}
    )


# --- the command ----------------------------------------------------------------------------------------


def test_the_command_dry_run_prints_the_changes_and_changes_nothing(tmp_path):
    path = tmp_path / "hr.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = StringIO()
    call_command("sync_people", str(path), "--dry-run", stdout=out)
    assert "试运行" in out.getvalue() and "E2001 赵六" in out.getvalue()
    assert not User.objects.filter(employee_number="E2001").exists()
    call_command("sync_people", str(path), stdout=StringIO())
    assert User.objects.filter(employee_number="E2001", full_name="赵六").exists()
    assert list(SyncRun.objects.order_by("id").values_list("dry_run", flat=True)) == [True, False]


def test_the_command_refuses_a_file_with_bad_rows(tmp_path):
    path = tmp_path / "hr.json"
    path.write_text('[{"employee_number": "E2001", "full_name": "赵六", "email": "nope"}]', encoding="utf-8")
    with pytest.raises(CommandError, match="第 1 行"):
        call_command("sync_people", str(path), stdout=StringIO())
    assert not User.objects.filter(employee_number="E2001").exists()


# --- the administration -------------------------------------------------------------------------------


def test_upload_shows_the_dry_run_then_confirm_applies_it(client, sysadmin):
    changelist = client.get(reverse("admin:sso_syncrun_changelist"))
    assert changelist.status_code == 200 and 'data-testid="people-sync"' in changelist.content.decode()
    page = upload(client, GOOD)
    assert page.status_code == 200 and 'data-testid="dry-run"' in page.content.decode()
    assert not User.objects.filter(employee_number="E2001").exists()
    applied = client.post(reverse("admin:sso_syncrun_sync"), {"apply": "1", "digest": page.context["digest"]})
    assert applied.status_code == 200 and 'data-testid="applied"' in applied.content.decode()
    assert User.objects.get(employee_number="E2001").full_name == "赵六"
    run = SyncRun.objects.filter(dry_run=False).get()
    assert run.actor == sysadmin and run.created == 1 and run.file_name == "hr.csv"
    # the same confirmation again finds no file kept: nothing is applied twice
    again = client.post(reverse("admin:sso_syncrun_sync"), {"apply": "1", "digest": page.context["digest"]})
    assert again["Location"] == reverse("admin:sso_syncrun_sync")


def test_bad_rows_are_listed_and_no_confirmation_is_offered(client, sysadmin):
    page = upload(client, BAD)
    body = page.content.decode()
    assert page.status_code == 400 and "第 2 行" in body and 'data-testid="apply"' not in body
    unknown = upload(client, "employee_number,salary\nE1,1\n")
    assert unknown.status_code == 400 and "salary" in unknown.content.decode()


def test_a_staff_member_without_the_permission_is_refused(client):
    client.force_login(UserFactory(is_staff=True))
    assert upload(client, GOOD).status_code == 403
    assert client.get(reverse("admin:sso_syncrun_changelist")).status_code == 403
    assert not User.objects.filter(employee_number="E2001").exists()


def test_an_officer_who_is_not_staff_is_sent_to_the_admin_sign_in(client):
    client.force_login(UserFactory())
    assert reverse("admin:login") in upload(client, GOOD)["Location"]
    assert not SyncRun.objects.exists()


def test_the_runs_list_reads_in_a_fixed_number_of_queries(client, sysadmin, django_assert_max_num_queries):
    for _ in range(15):
        SyncRun.objects.create(actor=UserFactory(), file_name="hr.csv", rows=3)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("admin:sso_syncrun_changelist"))
    assert page.status_code == 200 and escape("hr.csv") in page.content.decode()
