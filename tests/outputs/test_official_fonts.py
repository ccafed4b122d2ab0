"""Fonts of the official documents (issue 33): Debian's free substitutes by default (Noto Serif CJK SC for
仿宋 and 小标宋, AR PL UKai for 楷体, Noto Sans CJK SC for 黑体); an organ's licensed font in FONTS_DIR,
under its documented name, is used before them (here a Debian font copied as fangsong.ttf)."""

from __future__ import annotations

import datetime
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

from workflows.outputs.official import Paragraph, SignedText
from workflows.outputs.pdf import LICENSED_FONTS, render_pdf

LIBERATION = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")


def render() -> bytes:
    text = SignedText(
        organ="××厅机关工会",
        organ_long=False,
        signer="张红",
        title="关于召开第三次会员代表大会的请示",
        addressee="机关党委",
        paragraphs=(
            Paragraph("一、会议安排", 1),
            Paragraph("（一）时间", 2),
            Paragraph("拟于2027年3月召开。"),
        ),
        attachments=(),
        signature="××厅机关工会",
        up_going=True,
    )
    day = datetime.date(2027, 3, 5)
    return render_pdf(
        template="outputs/official.html",
        context={
            "text": text,
            "made_on": day,
            "output": SimpleNamespace(title=text.title, number="机工〔2027〕1号"),
        },
        identifier="wuyi-test-fonts",
        made_on=day,
        stylesheets=("official.css",),
    )


def fonts_of(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(["pdffonts", f.name], check=True, capture_output=True, text=True).stdout


def test_free_substitutes_by_default(settings):
    settings.FONTS_DIR = ""
    fonts = fonts_of(render())
    assert "+Noto-Serif-CJK-SC " in fonts  # 仿宋
    assert "+Noto-Serif-CJK-SC-Bold " in fonts  # 小标宋: the organ's mark and the title
    assert "+Noto-Sans-CJK-SC " in fonts  # 黑体: the first-level heading
    assert "+AR-PL-UKai-CN " in fonts  # 楷体: the second-level heading and the signer's name
    assert "Wuyi-" not in fonts


def test_a_licensed_font_in_fonts_dir_is_used_first(settings, tmp_path):
    assert LICENSED_FONTS["Wuyi FangSong"] == "fangsong"
    shutil.copy(LIBERATION, tmp_path / "fangsong.ttf")
    settings.FONTS_DIR = str(tmp_path)
    first = render()
    fonts = fonts_of(first)
    # the font file is embedded under the family the stylesheet gives it (Wuyi FangSong): the body's
    # Latin letters and digits come from it; the characters it lacks fall back to the substitute
    assert "+Wuyi-FangSong " in fonts
    assert "+Noto-Serif-CJK-SC " in fonts
    assert "Wuyi-KaiTi" not in fonts  # no kaiti.ttf: 楷体 stays the substitute
    assert render() == first  # still the same bytes every time
