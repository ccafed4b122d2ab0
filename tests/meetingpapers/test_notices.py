"""Issue 33: a notice goes to each seat holder of the body in force on the meeting day, its PDF and the
sign-in sheet come from the notice (re-made byte for byte), and the beat task reminds once."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from core.models import Seat, Union
from notifications.models import Notification
from tests.factories import UserFactory, give_seat, seated
from tests.meetingpapers.conftest import known_year
from tests.pdf import flat, pdf_text, screenshot
from tests.scenarios import at, budget_before_congress, open_item, travel
from workflows.meetingpapers import services
from workflows.meetingpapers.models import MeetingNotice
from workflows.meetingpapers.tasks import remind_meeting_notices
from workflows.members.models import Member
from workflows.outputs.models import OutputKind
from workflows.outputs.services import rebuild

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def ended_rep(cast):
    """A representative whose seat ended before the meeting (2030-03-19)."""
    person = seated(cast.union, "member", "union_committee", full_name="离任代表")
    Seat.objects.filter(person=person).delete()
    give_seat(person, cast.union, "representative", "congress", end=D(2030, 3, 1))
    return person


def test_issuing_notifies_each_seat_holder_of_the_meeting_day(issue, cast, ended_rep):
    known_year(2030)
    notice = issue(D(2030, 3, 19), today=D(2030, 3, 4))

    notified = set(
        Notification.objects.filter(dedupe_key=f"meetingpapers-notice:{notice.pk}").values_list(
            "recipient_id", flat=True
        )
    )
    assert notified == {p.pk for p in cast.congress}  # the chair and five representatives, not the ended seat
    title = Notification.objects.filter(recipient=cast.representatives[0]).latest("pk").title
    assert "2030年3月19日" in title and "机关礼堂" in title


def test_notice_pdf_names_the_title_number_and_agenda_and_rebuilds_byte_for_byte(issue, cast):
    # given a congress with the budget before it
    budget = budget_before_congress(cast)
    known_year(2030)
    notice = issue(
        D(2030, 3, 19),
        today=D(2030, 3, 4),
        agenda_item_ids=[open_item(budget, "congress_ratification").pk],
        agenda_lines="选举经费审查委员会委员",
        number="工通〔2030〕3号",
    )
    output = notice.output
    content = output.file.read()
    text = flat(pdf_text(content))

    assert output.kind == OutputKind.MEETING_NOTICE and output.meeting_id is None
    assert flat(output.title) in text and "工通〔2030〕3号" in text
    assert flat(budget.title) in text and "选举经费审查委员会委员" in text and "2030年3月19日" in text
    assert rebuild(output) == content  # the same bytes from the same records
    screenshot(content, "meeting-notice")


def test_sign_in_sheet_names_the_seats_in_force_that_day_not_an_ended_seat(issue, cast, ended_rep):
    known_year(2030)
    notice = issue(D(2030, 3, 19), today=D(2030, 3, 4))
    late = seated(cast.union, "representative", "congress", full_name="新任代表")
    Seat.objects.filter(person=late).update(start_date=D(2030, 3, 10))

    output = services.notice_sign_in_make(actor=cast.office, notice=notice)
    content = output.file.read()
    text = pdf_text(content)

    assert output.kind == OutputKind.SIGN_IN_SHEET and output.meeting_id is None
    for person in cast.congress:
        assert str(person) in text
    assert "新任代表" in text and "离任代表" not in text
    # 7 seats in force; the congress sits with at least two thirds (S-default: 2/3, not strict) → 5
    assert "7" in text and "签名" in text
    assert rebuild(output) == content
    assert services.notice_sign_in_make(actor=cast.office, notice=notice).pk == output.pk  # made once
    screenshot(content, "sign-in-sheet")


@pytest.fixture
def member_congress(cast):
    """a1 with three members on 2030-03-19 (fewer than its congress body's threshold: a member congress),
    one who left before the meeting and one who joins after it; two of the three have an account, one of
    them a seat holder of the congress."""
    reader = UserFactory(full_name="张会员")

    def member(name, number, joined, left=None, person=None):
        return Member(
            union=cast.union, name=name, member_number=number, joined_on=joined, left_on=left, person=person
        )

    Member.objects.bulk_create(
        [
            member("张会员", "M002", D(2024, 3, 1), person=reader),
            member("李会员", "M001", D(2024, 3, 1)),
            member("王会员", "M003", D(2029, 5, 1), person=cast.congress[0]),
            member("已离会", "M004", D(2024, 3, 1), left=D(2030, 1, 1), person=UserFactory()),
            member("新会员", "M005", D(2030, 3, 20), person=UserFactory()),
        ]
    )
    Union.objects.filter(pk=cast.union.pk).update(member_count=3, member_count_from_register=True)
    return reader


def test_s5_3_a_member_congress_notice_reaches_each_member_with_an_account_once(issue, cast, member_congress):
    known_year(2030)
    notice = issue(D(2030, 3, 19), today=D(2030, 3, 4))

    sent = Notification.objects.filter(dedupe_key=f"meetingpapers-notice:{notice.pk}")
    # the seat holders as before (a member among them once), and the member with an account; not the
    # member who left before the meeting nor the one who joins after it
    seated = {p.pk for p in cast.congress}
    assert set(sent.values_list("recipient_id", flat=True)) == seated | {member_congress.pk}
    assert sent.count() == len(cast.congress) + 1
    # the member reads the day, place and agenda in the notification: the notice's file is the officers'
    to_member = sent.get(recipient=member_congress)
    assert to_member.url == "" and "2030年3月19日" in to_member.title and "审议工会工作报告" in to_member.body
    assert sent.get(recipient=cast.congress[0]).url == reverse("meetingpapers:notice_file", args=[notice.pk])

    with travel(at(2030, 3, 18, 8, 35)):  # one working day before: everyone is reminded once
        assert remind_meeting_notices() == len(cast.congress) + 1
        assert remind_meeting_notices() == 0
    assert Notification.objects.filter(
        recipient=member_congress, dedupe_key=f"meetingpapers-reminder:{notice.pk}"
    ).exists()


def test_s5_3_a_member_congress_sign_in_sheet_names_each_member_of_the_register_that_day(
    issue, cast, member_congress
):
    known_year(2030)
    notice = issue(D(2030, 3, 19), today=D(2030, 3, 4))

    output = services.notice_sign_in_make(actor=cast.office, notice=notice)
    content = output.file.read()
    text = flat(pdf_text(content))

    # every member of the day on their own line, by member number; not the seat holders' positions
    assert text.index("1李会员M001") < text.index("2张会员M002") < text.index("3王会员M003")
    assert "已离会" not in text and "新会员" not in text
    assert "会员姓名" in text and "会员编号" in text and str(cast.representatives[0]) not in text
    assert rebuild(output) == content


def test_reminder_is_sent_once_by_the_beat_task(issue, cast):
    known_year(2030)
    notice = issue(D(2030, 3, 19), today=D(2030, 3, 4))
    key = f"meetingpapers-reminder:{notice.pk}"

    with travel(at(2030, 3, 15, 8, 35)):  # Friday: two working days before, not yet
        assert remind_meeting_notices() == 0
    with travel(at(2030, 3, 18, 8, 35)):  # Monday: one working day before
        assert remind_meeting_notices() == len(cast.congress)
        assert remind_meeting_notices() == 0  # a second beat changes nothing
    with travel(at(2030, 3, 19, 8, 35)):
        assert remind_meeting_notices() == 0

    assert Notification.objects.filter(dedupe_key=key).count() == len(cast.congress)
    notice.refresh_from_db()
    assert notice.reminded_at is not None


def test_a_notice_issued_on_its_reminder_day_is_not_reminded_again(issue, cast):
    known_year(2030)
    notice = issue(D(2030, 3, 19), today=D(2030, 3, 18), body=cast.body("union_committee"))
    with travel(at(2030, 3, 18, 10, 0)):
        assert remind_meeting_notices() == 0
    assert MeetingNotice.objects.get(pk=notice.pk).reminded_at is not None  # claimed: never swept again
    assert not Notification.objects.filter(dedupe_key=f"meetingpapers-reminder:{notice.pk}").exists()
