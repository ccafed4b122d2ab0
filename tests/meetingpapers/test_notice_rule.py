"""REG congress notice (issue 33; domain.md's regulation notes: representatives are notified at least 5
working days before a congress): refused at 4 working days, accepted at 5, holidays not counted; the rule is
data and the nearest union up the tree wins."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import BodyKind
from tests.meetingpapers.conftest import known_year
from workflows.meetingpapers.models import MeetingNotice, NoticeRule
from workflows.meetingpapers.selectors import latest_issue_day, rule_for

pytestmark = pytest.mark.django_db
D = datetime.date


def test_reg_congress_notice_refused_at_four_working_days_accepted_at_five(issue):
    # given a congress on Tuesday 2030-03-19: Mon 18, Fri 15, Thu 14, Wed 13, Tue 12 are the five
    known_year(2030)
    meets_on = D(2030, 3, 19)
    assert latest_issue_day(meets_on, 5) == D(2030, 3, 12)

    # when the office issues it on Wednesday the 13th: four working days are left
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        issue(meets_on, today=D(2030, 3, 13))

    # then it is refused, in Chinese, naming the last day it could have gone out
    message = refused.value.message_dict["meets_on"][0]
    assert "至少5个工作日" in message and "2030年3月12日" in message, message
    assert not MeetingNotice.objects.exists()
    assert issue(meets_on, today=D(2030, 3, 12)).output.sha256  # five: accepted


def test_reg_congress_notice_counts_working_days_over_a_holiday(issue):
    # Wednesday 2030-03-13 a holiday: the fifth working day before Tuesday the 19th is Monday the 11th
    known_year(2030, holidays=(D(2030, 3, 13),))
    meets_on = D(2030, 3, 19)
    assert latest_issue_day(meets_on, 5) == D(2030, 3, 11)

    with pytest.raises(ValidationError):
        issue(meets_on, today=D(2030, 3, 12))  # five calendar weekdays, four working days

    assert issue(meets_on, today=D(2030, 3, 11)).meets_on == meets_on


def test_reg_congress_notice_issued_on_a_weekend_counts_from_the_next_working_day(issue):
    known_year(2030)
    # Sunday the 10th: Mon 11 … Fri 15 are five working days before Monday the 18th
    assert issue(D(2030, 3, 18), today=D(2030, 3, 10)).issued_on == D(2030, 3, 10)


def test_reg_notice_rule_nearest_union_up_the_tree_wins(tree):
    kind = BodyKind.CONGRESS
    # the provincial default (migration data) and the built-in value agree: 5
    assert rule_for(union=tree["a1"], body_kind=kind).notice_working_days == 5
    NoticeRule.objects.update_or_create(
        union=None, body_kind=kind, defaults={"notice_working_days": 6, "remind_working_days": 2}
    )
    NoticeRule.objects.create(union=tree["dept_a"], body_kind=kind, notice_working_days=8)
    NoticeRule.objects.create(union=tree["prov"], body_kind=kind, notice_working_days=7)
    NoticeRule.objects.create(union=tree["a2"], body_kind=kind, notice_working_days=10)

    assert rule_for(union=tree["a1"], body_kind=kind).notice_working_days == 8  # its department's
    assert rule_for(union=tree["a2"], body_kind=kind).notice_working_days == 10  # its own
    assert rule_for(union=tree["b1"], body_kind=kind).notice_working_days == 7  # the provincial union's
    assert rule_for(union=tree["a1g"], body_kind=kind).notice_working_days == 8  # two levels up
    NoticeRule.objects.filter(union__isnull=False).delete()
    assert rule_for(union=tree["b1"], body_kind=kind).remind_working_days == 2  # the default row


def test_reg_notice_rule_built_in_without_rows(tree):
    NoticeRule.objects.all().delete()
    assert rule_for(union=tree["a1"], body_kind=BodyKind.CONGRESS).notice_working_days == 5
    assert rule_for(union=tree["a1"], body_kind=BodyKind.UNION_COMMITTEE).notice_working_days == 0


def test_committee_meeting_may_be_noticed_the_day_before(issue, cast):
    known_year(2030)
    notice = issue(D(2030, 3, 19), today=D(2030, 3, 18), body=cast.body("union_committee"))
    assert notice.body.kind == BodyKind.UNION_COMMITTEE
