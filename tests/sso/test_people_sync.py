"""The people sync from the organ's HR/OA export (issue 31): new people without any right, changed names,
phones and ids, people who left deactivated with their seats ended and their claimed tasks handed back as
at a term's end; a dry run that changes nothing; bad rows named with their row, nothing applied."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone, translation

from core.models import Event, Role, Seat, UnionUserObjectPermission, User
from core.sso.export_format import SyncFileError, read_export
from core.sso.models import SyncRun
from core.sso.services import people_sync
from notifications.models import Notification
from tests.factories import UserFactory, seated
from tests.scenarios import to_audit_review
from workflows.models import WorkItemState
from workflows.services.actions import work_item_claim

pytestmark = pytest.mark.django_db

HEADER = "employee_number,full_name,phone,email,department_code,status,wecom_userid,dingtalk_userid\n"


def csv_rows(*lines: str):
    return read_export((HEADER + "\n".join(lines) + "\n").encode(), "csv")


def sync(rows, *, dry_run=False, actor=None):
    return people_sync(rows, dry_run=dry_run, actor=actor, file_name="hr.csv")


def test_new_people_come_without_seat_right_or_password(tree):
    report = sync(
        csv_rows("E2001,赵六,13900000001,zhao@organ.example,,active,zhaoliu,ding-zhao", "E2002,钱七,,,,,,")
    )
    assert report.applied and [c.employee_number for c in report.created] == ["E2001", "E2002"]
    zhao = User.objects.get(employee_number="E2001")
    assert (zhao.full_name, zhao.phone, zhao.email, zhao.wecom_userid, zhao.dingtalk_userid) == (
        "赵六",
        "13900000001",
        "zhao@organ.example",
        "zhaoliu",
        "ding-zhao",
    )
    assert zhao.username == "emp-e2001" and not zhao.has_usable_password()
    assert (zhao.is_staff, zhao.is_superuser, zhao.is_active) == (False, False, True)
    assert not Seat.objects.filter(person=zhao).exists()
    assert not UnionUserObjectPermission.objects.filter(user=zhao).exists()
    assert Event.objects.filter(verb="person_synced", subject_id=str(zhao.pk), to_state="created").exists()
    run = SyncRun.objects.get()
    assert (run.dry_run, run.refused, run.created, run.rows) == (False, False, 2, 2)
    assert Event.objects.filter(verb="people_synced", subject_id=str(run.pk)).exists()


def test_changed_names_phones_and_ids_are_updated_and_empty_cells_keep_values(tree):
    person = seated(
        tree["a1"], Role.OFFICE_STAFF, employee_number="E1001", full_name="张三", email="z@organ.example"
    )
    with translation.override("en"):
        report = sync(csv_rows(f"E1001,张叁,+86 138-0000-0011,,{tree['a1'].code},active,zhangsan,"))
    person.refresh_from_db()
    assert (person.full_name, person.phone, person.email, person.wecom_userid) == (
        "张叁",
        "13800000011",
        "z@organ.example",
        "zhangsan",
    )
    assert person.home_union == tree["a1"]
    (line,) = report.updated
    assert {name for name, _before, _after in line.changes} == {
        "full name",
        "phone",
        "WeCom user id",
        "home union",
    }
    assert ("full name", "张三", "张叁") in line.changes
    assert Seat.objects.filter(person=person).count() == 1  # rights untouched


def test_a_person_without_an_employee_number_is_found_by_email_and_given_it(tree):
    person = seated(tree["a1"], Role.OFFICE_STAFF, email="Sun@Organ.example", full_name="孙八")
    report = sync(csv_rows("E3001,孙八,,sun@organ.example,,active,,"))
    assert not report.created and report.updated[0].person_id == person.pk
    person.refresh_from_db()
    assert person.employee_number == "E3001"


def test_s4_people_who_left_lose_their_seats_as_at_term_end_and_hand_back_claimed_tasks(
    cast, submitted_budget, audit_secretary
):
    # given the audit committee's secretary has claimed the committee's task
    audit_secretary.employee_number = "E4001"
    audit_secretary.save()
    item = to_audit_review(submitted_budget(), cast)
    work_item_claim(item=item, user=audit_secretary)
    # when the HR export says they left
    report = sync(csv_rows("E4001,,,,,left,,"))
    # then their seat ended yesterday, they are disabled, and the task is back in the committee's queue
    (line,) = report.deactivated
    assert line.seats == 1 and report.seats_ended == 1
    audit_secretary.refresh_from_db()
    assert not audit_secretary.is_active
    seat = Seat.objects.get(person=audit_secretary)
    assert seat.end_date == timezone.localdate() - datetime.timedelta(days=1)
    assert Event.objects.filter(verb="seat_ended", subject_id=str(seat.pk)).exists()
    item.refresh_from_db()
    assert item.assignee is None and item.state == WorkItemState.OPEN
    assert Notification.objects.filter(
        recipient=cast.audit_director, dedupe_key__startswith="handover:"
    ).exists()
    assert not UnionUserObjectPermission.objects.filter(user=audit_secretary).exists()
    assert SyncRun.objects.get().seats_ended == 1


def test_a_dry_run_shows_the_same_changes_and_writes_nothing(tree):
    leaving = seated(tree["a1"], Role.OFFICE_STAFF, employee_number="E5002")
    seated(tree["a1"], Role.FINANCE_OFFICER, employee_number="E5003", full_name="旧名")
    lines = ("E5001,新人,,,,,,", "E5002,,,,,left,,", "E5003,新名,,,,,,")
    people, events = User.objects.count(), Event.objects.count()
    dry = sync(csv_rows(*lines), dry_run=True)
    assert (User.objects.count(), Event.objects.count()) == (people, events)
    leaving.refresh_from_db()
    assert leaving.is_active and Seat.objects.get(person=leaving).end_date is None
    applied = sync(csv_rows(*lines))
    for report in (dry, applied):
        assert [len(report.created), len(report.updated), len(report.deactivated), report.seats_ended] == [
            1,
            1,
            1,
            1,
        ]
    assert list(SyncRun.objects.order_by("id").values_list("dry_run", flat=True)) == [True, False]


def test_bad_rows_are_named_with_their_row_and_nothing_is_applied(tree):
    seated(tree["a1"], Role.OFFICE_STAFF, employee_number="E6001", full_name="原名")
    rows = csv_rows(
        "E6001,改名,,,,,,",
        ",无工号,,,,,,",
        "E6002,甲,12345,,,,,",
        "E6002,乙,,not-an-email,,,,",
        "E6003,,,,,,,",
        "E6004,丁,,,no-such-union,gone,,",
    )
    with translation.override("zh-hans"):
        report = sync(rows)
    assert not report.ok and not report.applied
    assert User.objects.get(employee_number="E6001").full_name == "原名"
    assert not User.objects.filter(employee_number__in=["E6002", "E6003", "E6004"]).exists()
    assert report.problems[0] == "第 3 行：缺少工号。"
    text = "\n".join(report.problems)
    for expected in (
        "第 4 行",
        "第 5 行：工号 E6002 与第 4 行重复",
        "not-an-email",
        "第 6 行",
        "no-such-union",
        "gone",
    ):
        assert expected in text
    assert SyncRun.objects.get().refused


def test_the_json_format_is_the_same_keys_as_a_list():
    rows = read_export(
        json.dumps([{"employee_number": 7001, "full_name": "周九", "status": "active"}]).encode(), "json"
    )
    assert (rows[0].row, rows[0].employee_number, rows[0].full_name) == (1, "7001", "周九")
    with pytest.raises(SyncFileError):
        read_export(b'{"employee_number": "1"}', "json")
    with pytest.raises(SyncFileError, match="salary"):
        read_export(json.dumps([{"employee_number": "1", "salary": 1}]).encode(), "json")


def test_a_csv_saved_by_excel_in_gb18030_or_with_a_bom_is_read():
    for content in (
        (HEADER + "E8001,吴十,,,,,,\n").encode("gb18030"),
        ("\ufeff" + HEADER + "E8001,吴十,,,,,,\n").encode(),
    ):
        assert read_export(content, "csv")[0].full_name == "吴十"


def test_a_person_disabled_in_wuyi_is_listed_not_reactivated(tree):
    person = UserFactory(employee_number="E9001", is_active=False)
    report = sync(csv_rows("E9001,,,,,active,,"))
    assert [line.person_id for line in report.disabled_in_wuyi] == [person.pk]
    person.refresh_from_db()
    assert not person.is_active
