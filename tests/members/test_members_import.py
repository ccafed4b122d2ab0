"""S5.3 membership: the register's .xlsx export and import — all or nothing, every bad row named with its
row number, the file's rows kept on the page to correct and upload again."""

from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from core.models import Event, Role, Union
from tests.factories import make_union, seated
from workflows.members import errors, services, xlsx
from workflows.members.imports import MembersImportError, members_import
from workflows.members.models import Member

pytestmark = pytest.mark.django_db


def shown(message) -> str:
    """A message as a page shows it (HTML-escaped)."""
    return escape(str(message))


HEADERS = ["会员编号", "姓名", "工会小组", "入会日期（年-月-日）", "联系电话", "电子邮箱"]


def _xlsx(rows: list[list], *, title="某工会会员名册", name="名册.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def _post(client, union, upload):
    return client.post(reverse("members:import", args=[union.pk]), {"file": upload})


def test_S5_3_import_adds_and_updates_then_export_gives_the_active_members(cast, client):
    group = cast.group
    existing = services.member_join(
        actor=cast.office,
        union=cast.union,
        name="旧名",
        member_number="A0001",
        joined_on=datetime.date(2019, 1, 1),
    )
    upload = _xlsx(
        [
            ["A0001", "王芳", group.name, datetime.datetime(2019, 1, 1), 13800001111, "wf@example.cn"],
            [2, "李强", None, "2021/3/5", None, None],  # a number typed as a number, a date typed as text
            [None, None, None, None, None, None],  # an empty row is skipped
            ["A0003", "张伟", group.name, "2022年11月30日", "010-6666", ""],
        ]
    )
    client.force_login(cast.office)

    response = _post(client, cast.union, upload)

    assert response.status_code == 302, response.content.decode()[:2000]
    rows = {m.member_number: m for m in Member.objects.filter(union=cast.union, left_on__isnull=True)}
    assert set(rows) == {"A0001", "2", "A0003"}
    assert rows["A0001"].pk == existing.pk and rows["A0001"].name == "王芳"
    assert (rows["A0001"].group, rows["A0001"].phone, rows["A0001"].email) == (
        group,
        "13800001111",
        "wf@example.cn",
    )
    assert rows["2"].joined_on == datetime.date(2021, 3, 5)
    assert rows["A0003"].joined_on == datetime.date(2022, 11, 30)
    cast.union.refresh_from_db()
    group.refresh_from_db()
    assert (cast.union.member_count, cast.union.member_count_from_register, group.member_count) == (
        3,
        True,
        2,
    )
    event = Event.objects.get(verb="members_imported")
    assert event.detail == {"added": 2, "updated": 1, "rows": 3}

    services.member_leave(actor=cast.office, member=rows["2"], left_on=timezone.localdate())
    export = client.get(reverse("members:export", args=[cast.union.pk]))
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    ws = load_workbook(BytesIO(export.content)).active
    assert [c.value for c in ws[2]] == ["会员编号", "姓名", "工会小组", "入会日期", "联系电话", "电子邮箱"]
    assert [(r[0], r[1], r[2]) for r in ws.iter_rows(min_row=3, values_only=True)] == [
        ("A0001", "王芳", group.name),
        ("A0003", "张伟", group.name),
    ]
    # the export goes back in unchanged
    assert (
        members_import(
            actor=cast.office, union=cast.union, rows=xlsx.read_rows(BytesIO(export.content))
        ).unchanged
        == 2
    )


def test_S5_3_every_bad_row_is_named_and_nothing_is_imported(cast, tree, client):
    b1_office = seated(tree["b1"], Role.OFFICE_STAFF)
    services.member_join(
        actor=b1_office,
        union=tree["b1"],
        name="赵六",
        member_number="B0001",
        joined_on=datetime.date(2020, 1, 1),
    )
    foreign_group = make_union("group", tree["a2"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Union.objects.filter(pk=cast.union.pk).update(member_count=180)
    upload = _xlsx(
        [
            ["A0001", "王芳", None, "2020-01-01", None, None],  # row 3: right
            ["A0001", "王芳芳", None, "2020-01-01", None, None],  # row 4: number twice
            ["B0001", "赵六", None, "2020-01-01", None, None],  # row 5: active in b1
            ["A0005", "钱七", foreign_group.name, "2020-01-01", None, None],  # row 6: a2's group
            ["A0006", "孙八", None, tomorrow, None, None],  # row 7: in the future
            ["A0007", "周九", None, "去年三月", None, "not-an-address"],  # row 8: no date, bad e-mail
            [None, None, None, "2020-01-01", "13800000000", None],  # row 9: no number, no name
            ["A0010", "吴十", None, None, None, None],  # row 10: no date
        ]
    )
    client.force_login(cast.chair)

    response = _post(client, cast.union, upload)

    assert response.status_code == 400
    html = response.content.decode()
    expected = {
        4: errors.IMPORT_NUMBER_TWICE % {"number": "A0001", "first": 3},
        5: errors.IMPORT_NUMBER_ELSEWHERE % {"number": "B0001", "union": tree["b1"].name},
        6: errors.IMPORT_GROUP_NOT_OURS % {"group": foreign_group.name},
        7: errors.IMPORT_JOINED_IN_FUTURE % {"date": tomorrow.isoformat()},
        8: errors.IMPORT_JOINED_BAD % {"value": "去年三月"},
        9: errors.IMPORT_NUMBER_MISSING,
        10: errors.IMPORT_JOINED_MISSING,
    }
    for row, message in expected.items():
        assert shown(message) in html, (row, str(message))
        assert f'data-testid="row-{row}"' in html
    assert "not-an-address" in html and "王芳芳" in html  # the file's data stay on the page
    assert shown(errors.IMPORT_NAME_MISSING) in html
    assert 'data-testid="row-3"' in html  # the right rows too
    assert not Member.objects.filter(union=cast.union).exists()  # nothing half-imported
    cast.union.refresh_from_db()
    assert (cast.union.member_count, cast.union.member_count_from_register) == (180, False)
    with pytest.raises(MembersImportError) as exc:
        members_import(actor=cast.office, union=cast.union, rows=xlsx.read_rows(upload))
    assert [r.row for r in exc.value.bad_rows] == [4, 5, 6, 7, 8, 9, 10]


def test_S5_3_a_file_that_is_no_register_is_refused_clearly(cast, client):
    client.force_login(cast.office)
    junk = SimpleUploadedFile("名册.xlsx", b"not a workbook")
    assert shown(errors.NOT_XLSX) in _post(client, cast.union, junk).content.decode()
    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    out = BytesIO()
    wb.save(out)
    response = _post(client, cast.union, SimpleUploadedFile("x.xlsx", out.getvalue()))
    assert response.status_code == 400
    assert shown(errors.NO_HEADER % {"rows": 10}) in response.content.decode()
    assert shown(errors.NO_ROWS) in _post(client, cast.union, _xlsx([])).content.decode()
    assert not Member.objects.exists()
    assert xlsx.cell_date("2024-02-30") == (None, "2024-02-30")
    assert xlsx.cell_date("２０２４．３．１")[0] == datetime.date(2024, 3, 1)
    assert xlsx.cell_date(20240301)[0] == datetime.date(2024, 3, 1)
