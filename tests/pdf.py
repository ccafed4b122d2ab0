"""A stored PDF read back with poppler: its text (pdftotext), its lines' positions in mm (-bbox-layout)
and page one as tests/artifacts/<name>.png, only when SCREENSHOTS=1 (a normal run writes none)."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PT = 25.4 / 72  # mm per PDF point


def _poppler(args: list[str], content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run([*args, f.name, "-"], check=True, capture_output=True, text=True).stdout


def pdf_text(content: bytes, *, layout: bool = True) -> str:
    """The words, placed as on the page (``layout``) or in reading order."""
    return _poppler(["pdftotext", "-layout"] if layout else ["pdftotext"], content)


def flat(text: str) -> str:
    """The text without spaces and line breaks: a long title, or a table cell's words, may wrap."""
    return "".join(text.split())


def stored_bytes(output) -> bytes:
    """The file of an ``OfficialOutput`` as stored."""
    with output.file.open("rb") as f:
        return f.read()


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def pdf_lines(content: bytes) -> list[list[Line]]:
    """Each page's lines as pdftotext -bbox-layout finds them, positions in mm from the top left."""
    html = _poppler(["pdftotext", "-bbox-layout"], content)
    pages = []
    for page in html.split("<page ")[1:]:
        lines = []
        for x0, y0, x1, y1, body in re.findall(
            r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', page, re.S
        ):
            words = re.findall(r">([^<]*)</word>", body)
            lines.append(Line(" ".join(words), *(float(v) * PT for v in (x0, y0, x1, y1))))
        pages.append(lines)
    return pages


def screenshot(content: bytes, name: str) -> None:
    """Page one as tests/artifacts/<name>.png, only when SCREENSHOTS=1."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    ARTIFACTS.mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        page_one = ["-f", "1", "-l", "1", "-singlefile"]
        subprocess.run(["pdftoppm", "-png", "-r", "60", *page_one, f.name, str(ARTIFACTS / name)], check=True)
