"""Fill the Simplified Chinese catalogue from the glossaries in locale/glossary/ (one file per area).

Workflow (from the project root)::

    WUYI_VAR_DIR=/tmp/wv .venv/bin/python manage.py makemessages -l zh_Hans --no-obsolete \
        -i .venv -i var -i static
    .venv/bin/python locale/translate.py          # add any msgid it reports to a glossary, run again
    .venv/bin/python manage.py compilemessages -i .venv

The script fills only entries whose msgstr is empty or fuzzy (msgmerge's guesses are never trusted),
so a translation edited by hand in the .po survives; ``--force`` rewrites every entry found in the
glossaries.
It drops obsolete entries, sets the header for zh_Hans (one plural form), checks that each
translation keeps the msgid's placeholders, and exits 1 when any msgid is left untranslated or a
placeholder is wrong. tests/test_i18n.py checks the same catalogue on every test run.

Terms follow /work/shared/domain.md: 工会委员会, 经费审查委员会, 女职工委员会, 同级党组织,
会员（代表）大会, 主席/副主席/委员/主任/书记, 办公室工作人员, 财务人员, 督导员, 省直机关工会,
厅局直属机关工会, 基层工会, 工会小组; a seat is 任职, a body is 机构.
"""

# ruff: noqa: E501 (glossary lines pair a long English msgid with its translation)

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime
from pathlib import Path

import polib

PO_PATH = Path(__file__).resolve().parent / "zh_Hans" / "LC_MESSAGES" / "django.po"

# English msgid -> Chinese. For a plural entry, key on the singular msgid (zh has one plural form).
# For an entry with a context, key on (msgctxt, msgid).
# Every translation lives in locale/glossary/<area>.py (one file per feature area, so that people
# working on different areas at once never edit the same dict); this dict gathers them.
ZH: dict[str | tuple[str, str], str] = {}


def _load_area_glossaries() -> None:
    """Merge ``ZH`` from every ``locale/glossary/<area>.py``; a msgid that two files translate
    differently stops the run, naming both files (one term, one translation)."""
    import importlib.util

    origin: dict[str | tuple[str, str], str] = {}
    for path in sorted((Path(__file__).resolve().parent / "glossary").glob("*.py")):
        spec = importlib.util.spec_from_file_location(f"wuyi_glossary_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for key, value in getattr(module, "ZH", {}).items():
            if key in ZH and ZH[key] != value:
                raise SystemExit(f"{path.name}: {key!r} translated differently in {origin[key]}")
            ZH[key] = value
            origin.setdefault(key, path.name)


_load_area_glossaries()

HEADER_COMMENT = "Wuyi (五一): Simplified Chinese interface strings.\nFilled by locale/translate.py; edit the glossary there."
HEADER = {
    "Project-Id-Version": "Wuyi",
    "Language": "zh_Hans",
    "Last-Translator": "Wuyi developers",
    "Language-Team": "Simplified Chinese",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}

# Python %-format and brace placeholders; "%%" is a literal percent sign.
_PLACEHOLDER = re.compile(
    r"%\([A-Za-z0-9_]+\)[#0 +\-]*\d*(?:\.\d+)?[a-zA-Z]|%[#0 +\-]*\d*(?:\.\d+)?[sdifr]|\{[A-Za-z0-9_]*\}"
)


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


def lookup(entry: polib.POEntry) -> str | None:
    if entry.msgctxt is not None:
        return ZH.get((entry.msgctxt, entry.msgid))
    return ZH.get(entry.msgid)


def is_empty(entry: polib.POEntry) -> bool:
    if "fuzzy" in entry.flags:
        return True
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def apply(po: polib.POFile, *, force: bool = False) -> tuple[int, list[str], list[str]]:
    """Fill ``po`` in place; return (filled, untranslated msgids, placeholder problems)."""
    filled = 0
    missing: list[str] = []
    bad: list[str] = []
    for entry in list(po.obsolete_entries()):
        po.remove(entry)
    for entry in po:
        zh = lookup(entry)
        if zh is not None and (force or is_empty(entry)):
            if entry.msgid_plural:
                entry.msgstr_plural = {0: zh}
            else:
                entry.msgstr = zh
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            filled += 1
        if is_empty(entry):
            missing.append(entry.msgid)
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = placeholders(entry.msgid)
        for text in translations:
            if placeholders(text) != expected:
                bad.append(f"{entry.msgid!r}: {text!r} has {placeholders(text)}, expected {expected}")
    return filled, missing, bad


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "po", nargs="?", default=str(PO_PATH), help="catalogue to fill (default: %(default)s)"
    )
    parser.add_argument("--force", action="store_true", help="overwrite translations already in the .po")
    args = parser.parse_args(argv)

    po = polib.pofile(args.po, wrapwidth=79)
    po.header = HEADER_COMMENT
    po.metadata.update(HEADER)
    po.metadata_is_fuzzy = False
    filled, missing, bad = apply(po, force=args.force)
    if filled or po.metadata.get("PO-Revision-Date", "").startswith("YEAR"):
        po.metadata["PO-Revision-Date"] = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")
    po.save(args.po)

    total = len([e for e in po if not e.obsolete])
    print(f"{args.po}: {total} entries, {filled} filled from the glossary, {len(missing)} untranslated")
    for msgid in missing:
        print(f"  untranslated: {msgid!r}")
    for problem in bad:
        print(f"  placeholder mismatch: {problem}")
    return 1 if missing or bad else 0


if __name__ == "__main__":
    sys.exit(main())
