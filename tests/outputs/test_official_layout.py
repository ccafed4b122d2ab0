"""Official documents in the GB/T 9704-2012 layout (issue 33), accepted from the text positions pdftotext
reads: the text area 156 × 225 mm from 28 mm left and 37 mm top, 22 lines a full page, 28 characters a full
line, the page numbers "— 1 —" 7 mm under the text area, odd pages right and even pages left, one
character in; the words from the records (S1.3's request as the chair signed it); the same bytes again."""

from __future__ import annotations

import hashlib
import re

import pytest

from tests.outputs.official_helpers import CODE, ORGAN, PLAIN, organ, sent_request, stored
from tests.pdf import flat, pdf_lines, pdf_text, screenshot
from workflows.outputs.models import OfficialOutput
from workflows.outputs.numbers import issue_day
from workflows.outputs.official import issue_official
from workflows.outputs.services import rebuild

pytestmark = pytest.mark.django_db

LEFT, TOP, WIDTH, HEIGHT = 28.0, 37.0, 156.0, 225.0
RIGHT, BOTTOM = LEFT + WIDTH, TOP + HEIGHT
PITCH = 10.22  # mm between lines: 22 × 10.22 ≤ 225 < 23 × 10.22
CHAR_14PT = 14 * 25.4 / 72  # one character of 4号, the page numbers' indent
TOLERANCE = 0.3
HEADING = re.compile(r"^[一二三四五六七八九十]+、|^（")


@pytest.fixture
def long_request(cast):
    organ(cast.union)
    text = "\n".join(
        ["一、大会筹备情况", PLAIN, "（一）代表选举", PLAIN, PLAIN, "二、拟议事项", PLAIN, PLAIN]
    )
    request = sent_request(cast, text=text)
    issued = issue_official(actor=cast.chair, document_type="instruction", document=request)
    return request, issued


def test_gb9704_text_area_lines_characters_and_page_numbers(cast, long_request):
    _request, issued = long_request
    content = stored(issued)
    screenshot(content, "official-request")
    pages = pdf_lines(content)
    assert len(pages) >= 4
    for n, lines in enumerate(pages, start=1):
        *text, number = lines
        # every line inside the text area
        for line in text:
            assert line.x0 >= LEFT - TOLERANCE and line.x1 <= RIGHT + TOLERANCE, line
            assert line.y0 >= TOP - TOLERANCE and line.y1 <= BOTTOM + TOLERANCE, line
        # the page number, 4号, "— n —", 7 mm under the text area; odd right, even left, one character in
        assert number.text == f"— {n} —"
        assert number.y0 == pytest.approx(BOTTOM + 7, abs=TOLERANCE)
        if n % 2:
            assert number.x1 == pytest.approx(RIGHT - CHAR_14PT, abs=TOLERANCE)
        else:
            assert number.x0 == pytest.approx(LEFT + CHAR_14PT, abs=TOLERANCE)
    full_pages = pages[1:-1]  # the first carries the head, the last ends the text
    for lines in full_pages:
        text = lines[:-1]
        assert len(text) == 22
        # the body's lines on the grid: the first line's box at the top of the text area (the font's
        # ascent reaches 1.05 mm above the em box), then one every 10.22 mm (headings in 黑体 and 楷体
        # keep the grid but their fonts' boxes differ)
        for line in text:
            if not HEADING.match(line.text):
                steps = (line.y0 - TOP - 1.05) / PITCH
                assert steps == pytest.approx(round(steps), abs=0.01), line
        assert text[-1].y1 <= BOTTOM
    full_lines = [
        line
        for lines in pages
        for line in lines[:-1]
        if line.x0 == pytest.approx(LEFT, abs=TOLERANCE) and line.x1 == pytest.approx(RIGHT, abs=TOLERANCE)
    ]
    assert len(full_lines) >= 40
    assert {len(line.text.replace(" ", "")) for line in full_lines} == {28}
    # a paragraph's first line is two characters in: 26 characters
    indented = [
        line for lines in full_pages for line in lines if line.x0 == pytest.approx(LEFT + 11.13, abs=0.3)
    ]
    assert indented and all(len(line.text) == 26 for line in indented if line.text.startswith("工会"))


def test_s1_3_request_prints_its_records_and_rebuilds_byte_for_byte(cast, long_request):
    request, issued = long_request
    year = issue_day(cast.union).year
    assert issued.number == f"{CODE}〔{year}〕1号"
    output = OfficialOutput.objects.get(pk=issued.output_id)
    content = stored(issued)
    text = flat(pdf_text(content))
    day = issue_day(cast.union)
    for words in (
        ORGAN,
        issued.number,
        "关于召开第三次会员代表大会的请示",
        f"{cast.body('party_organization').display_name}：",  # 主送: the Party organisation
        f"签发人：{cast.chair.full_name}",  # up-going: the signer beside the number
        "一、大会筹备情况",
        "妥否，请批示。",  # a request's closing words
        f"{day.year}年{day.month}月{day.day}日",
    ):
        assert words in text, words
    assert hashlib.sha256(content).hexdigest() == output.sha256
    assert hashlib.sha256(rebuild(output)).hexdigest() == output.sha256
    # later changes to the document do not change the issued document
    request.text = "改过的文字"
    request.save(update_fields=["text"])
    assert rebuild(output) == content
