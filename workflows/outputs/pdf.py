"""HTML to PDF with WeasyPrint, the same bytes every time for the same records.

Three things make a render repeatable: the creation and modification dates come from the record
(``made_on``, written into the template's ``dcterms`` meta tags), the PDF identifier comes from the
output (``identifier``), and fonts are subset by HarfBuzz (Debian's libharfbuzz-subset0), which
writes no timestamp (fontTools, WeasyPrint's fallback, stamps the subset with the current time).
Stylesheets are files next to this module, never inline styles in the templates.

GB/T 9704's fonts (仿宋, 小标宋, 楷体, 黑体) are licensed, not free: the stylesheets name the families
below first and Debian's free fonts after them (official.css). An organ that holds licences puts the
files in ``settings.FONTS_DIR`` under the names in ``LICENSED_FONTS``; each file found becomes an
``@font-face`` of its family, so it is used before the substitutes (nothing else changes).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

CSS_DIR = Path(__file__).resolve().parent / "css"


# family named in the stylesheets → the file name (without its extension) looked for in FONTS_DIR
LICENSED_FONTS = {
    "Wuyi FangSong": "fangsong",  # 仿宋: the body (3号)
    "Wuyi XiaoBiaoSong": "xiaobiaosong",  # 小标宋: the organ's mark and the title
    "Wuyi KaiTi": "kaiti",  # 楷体: second-level headings, the signer's name
    "Wuyi HeiTi": "heiti",  # 黑体: first-level headings
    "Wuyi SongTi": "songti",  # 宋体: page numbers
}
FONT_SUFFIXES = (".ttf", ".otf")


def licensed_font_files() -> dict[str, Path]:
    """The licensed fonts found in FONTS_DIR, by family (none when the setting is empty)."""
    folder = Path(getattr(settings, "FONTS_DIR", "") or "")
    if not str(folder) or str(folder) == "." or not folder.is_dir():
        return {}
    found = {}
    for family, stem in LICENSED_FONTS.items():
        for suffix in FONT_SUFFIXES:
            path = folder / f"{stem}{suffix}"
            if path.is_file():
                found[family] = path.resolve()
                break
    return found


def font_faces_css() -> str:
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}'
        for family, path in licensed_font_files().items()
    )


def stylesheet_paths(names: tuple[str, ...]) -> list[str]:
    return [str(CSS_DIR / name) for name in names]


def render_pdf(
    *, template: str, context: dict, identifier: str, made_on: datetime.date, stylesheets: tuple[str, ...]
) -> bytes:
    """The PDF of ``template`` rendered with ``context``, in Chinese whatever the reader's language."""
    from weasyprint import CSS, HTML  # noqa: PLC0415 (Pango is loaded only when a PDF is made)

    stamp = datetime.datetime.combine(made_on, datetime.time(), tzinfo=datetime.UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    with translation.override("zh-hans"):
        html = render_to_string(template, {**context, "pdf_stamp": stamp})
    sheets = [CSS(filename=path) for path in stylesheet_paths(stylesheets)]
    faces = font_faces_css()
    if faces:
        from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415 (as above)

        fonts = FontConfiguration()
        sheets.insert(0, CSS(string=faces, font_config=fonts))
        return HTML(string=html, base_url=str(CSS_DIR)).write_pdf(
            stylesheets=sheets, pdf_identifier=identifier.encode(), font_config=fonts
        )
    return HTML(string=html, base_url=str(CSS_DIR)).write_pdf(
        stylesheets=sheets, pdf_identifier=identifier.encode()
    )
