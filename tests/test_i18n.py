"""The Simplified Chinese catalogue is complete, compiled and covers every string in the code.

To fix a failure here: run makemessages, add the new msgids to a glossary in locale/glossary/, run
locale/translate.py, then compilemessages (`make messages` does all three; the commands are in that
script's docstring).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO_PATH = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

# What makemessages must not scan (the documented command ignores .venv, var and static) and what
# the copy for the extraction does not need.
NOT_SCANNED = {".venv", "var", "static", "node_modules", "locale", ".git", "__pycache__", ".pytest_cache"}

_PLACEHOLDER = re.compile(
    r"%\([A-Za-z0-9_]+\)[#0 +\-]*\d*(?:\.\d+)?[a-zA-Z]|%[#0 +\-]*\d*(?:\.\d+)?[sdifr]|\{[A-Za-z0-9_]*\}"
)


def _key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid


def _translations(entry: polib.POEntry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def _is_translated(entry: polib.POEntry) -> bool:
    texts = _translations(entry)
    return bool(texts) and all(texts) and "fuzzy" not in entry.flags and not entry.obsolete


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    assert PO_PATH.is_file(), f"{PO_PATH} is missing: run makemessages -l zh_Hans"
    return polib.pofile(str(PO_PATH))


def test_zh_hans_catalogue_header_has_one_plural_form(catalogue):
    assert catalogue.metadata.get("Language") == "zh_Hans"
    assert catalogue.metadata.get("Plural-Forms") == "nplurals=1; plural=0;"
    assert not catalogue.metadata_is_fuzzy, "the header is marked fuzzy"


def test_every_zh_hans_entry_is_translated_and_none_is_fuzzy_or_obsolete(catalogue):
    assert len(catalogue) > 0, "the catalogue is empty"
    untranslated = [e.msgid for e in catalogue if not e.obsolete and not all(_translations(e) or [""])]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    obsolete = [e.msgid for e in catalogue.obsolete_entries()]
    assert not (untranslated or fuzzy or obsolete), (
        f"untranslated msgids: {untranslated}; fuzzy msgids: {fuzzy}; "
        f"obsolete msgids (re-run makemessages with --no-obsolete): {obsolete}"
    )


def test_zh_hans_translations_keep_the_placeholders_of_their_msgid(catalogue):
    wrong = [
        f"{e.msgid!r} -> {text!r}"
        for e in catalogue
        if not e.obsolete
        for text in _translations(e)
        if text and _placeholders(text) != _placeholders(e.msgid)
    ]
    assert not wrong, f"placeholders differ from the msgid: {wrong}"


def test_committed_mo_matches_the_po(catalogue):
    assert MO_PATH.is_file(), f"{MO_PATH} is missing: run compilemessages"
    mo = polib.mofile(str(MO_PATH))
    compiled = {_key(e): _translations(e) for e in mo if e.msgid}
    expected = {_key(e): _translations(e) for e in catalogue if _is_translated(e)}
    stale = sorted(k for k in expected.keys() | compiled.keys() if compiled.get(k) != expected.get(k))
    assert not stale, f"django.mo is out of date with django.po (run compilemessages) for msgids: {stale}"


def test_catalogue_covers_every_string_in_the_code(catalogue, tmp_path):
    # given a copy of the project with an empty locale/ (LOCALE_PATHS follows the copied settings)
    project = tmp_path / "project"
    project.mkdir()
    for item in ROOT.iterdir():
        if item.name in NOT_SCANNED:
            continue
        if item.is_dir():
            shutil.copytree(item, project / item.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, project / item.name)
    (project / "locale").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(project),
        "WUYI_VAR_DIR": str(tmp_path / "var"),
    }

    # when makemessages extracts the strings of the copy
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-obsolete"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"
    extracted_path = project / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert extracted_path.is_file(), f"makemessages wrote no catalogue:\n{result.stdout}\n{result.stderr}"
    extracted = polib.pofile(str(extracted_path))

    # then every extracted msgid is translated in the committed catalogue
    translated = {_key(e) for e in catalogue if _is_translated(e)}
    assert len(extracted) > 0, "makemessages extracted nothing from the copy"
    missing = sorted(
        f"{e.msgid!r} ({', '.join(f'{path}:{line}' for path, line in e.occurrences)})"
        for e in extracted
        if _key(e) not in translated
    )
    assert not missing, (
        f"{len(missing)} msgid(s) in the code are missing or untranslated in {PO_PATH.relative_to(ROOT)}: "
        f"{missing}"
    )


@pytest.mark.django_db
def test_login_page_is_chinese_by_default(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "登录" in page
    assert "Sign in" not in page


@pytest.mark.django_db
def test_login_page_is_english_after_switching_language(client):
    # given the visitor picked English in the footer's language switch (Django's set_language view)
    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert switched.status_code == 302

    # when they open the sign-in page
    response = client.get("/accounts/login/")

    # then it speaks English
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign in" in page
    assert "登录" not in page
