"""Issue 33: the minutes, the resolution and the sign-in sheet of a recorded meeting, from its record:
the text names the title, the items, the votes and the decisions; each rebuilds byte for byte."""

from __future__ import annotations

import pytest

from tests.pdf import flat, pdf_text, screenshot
from workflows.meetingpapers.services import meeting_paper_make
from workflows.outputs.models import OutputKind
from workflows.outputs.services import rebuild

pytestmark = pytest.mark.django_db


def test_minutes_and_resolution_name_the_items_votes_and_decisions(cast, congress_met):
    meeting, budget = congress_met
    minutes = meeting_paper_make(actor=cast.office, meeting=meeting, kind=OutputKind.MINUTES)
    resolution = meeting_paper_make(actor=cast.congress_chair, meeting=meeting, kind=OutputKind.RESOLUTION)

    texts = {}
    for output, name in ((minutes, "meeting-minutes"), (resolution, "meeting-resolution")):
        content = output.file.read()
        text = flat(pdf_text(content))
        assert output.meeting_id == meeting.pk
        assert flat(output.title) in text, (output.title, text)
        assert flat(budget.title) in text
        assert "6票赞成" in text or "赞成6票" in text, text  # the six present voted for
        assert "审议通过" in text
        assert rebuild(output) == content
        screenshot(content, name)
        texts[output.kind] = text
    assert "会议纪要" in minutes.title and "决议" in resolution.title
    text = texts[OutputKind.MINUTES]
    assert "应到6人" in text or "6人中" in text, text
    assert str(cast.representatives[0]) in text  # who attended


def test_a_paper_of_a_meeting_is_made_once(cast, congress_met):
    meeting, _budget = congress_met
    first = meeting_paper_make(actor=cast.office, meeting=meeting, kind=OutputKind.MINUTES)
    assert meeting_paper_make(actor=cast.office, meeting=meeting, kind=OutputKind.MINUTES).pk == first.pk


def test_sign_in_sheet_after_the_meeting_marks_who_attended(cast, congress_met):
    meeting, _budget = congress_met
    output = meeting_paper_make(actor=cast.office, meeting=meeting, kind=OutputKind.SIGN_IN_SHEET)
    content = output.file.read()
    text = pdf_text(content)
    assert output.meeting_id == meeting.pk
    assert all(str(p) in text for p in cast.congress) and "出席" in text
    assert rebuild(output) == content
