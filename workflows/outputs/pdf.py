"""HTML to PDF with WeasyPrint, the same bytes every time for the same records.

Three things make a render repeatable: the creation and modification dates come from the record
(``made_on``, written into the template's ``dcterms`` meta tags), the PDF identifier comes from the
output (``identifier``), and fonts are subset by HarfBuzz (Debian's libharfbuzz-subset0), which
writes no timestamp (fontTools, WeasyPrint's fallback, stamps the subset with the current time).
Stylesheets are files next to this module, never inline styles in the templates.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

CSS_DIR = Path(__file__).resolve().parent / "css"


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
    return HTML(string=html, base_url=str(CSS_DIR)).write_pdf(
        stylesheets=sheets, pdf_identifier=identifier.encode()
    )
