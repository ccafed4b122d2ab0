"""Issue 33 demo: at fin-office a congress notice issued in time, its PDF and sign-in sheet; idempotent."""

from __future__ import annotations

import pytest

from core.demo import seed_demo
from core.models import Union
from workflows.meetingpapers.demo import seed_demo_meeting_papers
from workflows.meetingpapers.models import MeetingNotice

pytestmark = pytest.mark.django_db


def test_demo_issues_a_congress_notice_in_time_with_its_sign_in_sheet():
    seed_demo()

    lines = seed_demo_meeting_papers(write=None)

    notice = MeetingNotice.objects.get(union=Union.objects.get(code="fin-office"))
    assert "congress notice" in lines[0]
    assert notice.output.sha256 and notice.sign_in_output.sha256
    assert seed_demo_meeting_papers(write=None) == []  # idempotent
