"""The search keys of a person's name: its pinyin and pinyin initials (钟红艳 → "zhonghongyan", "zhy"),
so that the people picker finds a colleague by what is quick to type on any keyboard.

pypinyin reads a character the way it is most often read; a few common surnames are read
differently as surnames (曾 zeng, not ceng), so the first character of a name is looked up in
``SURNAME_READINGS`` first. Latin letters and digits in a name are kept as words of their own.
"""

from __future__ import annotations

import re

from pypinyin import lazy_pinyin

# Surnames whose reading as a surname differs from the character's usual one.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "区": "ou",
    "仇": "qiu",
    "解": "xie",
    "朴": "piao",
    "覃": "qin",
    "查": "zha",
    "盖": "ge",
    "缪": "miao",
    "尉": "yu",
    "召": "shao",
    "种": "chong",
}
MAX_PINYIN = 300
MAX_INITIALS = 100
_LATIN_WORDS = re.compile(r"[A-Za-z0-9]+")
_NOT_KEY = re.compile(r"[^a-z0-9]")


def _latin_words(chars: str) -> list[str]:
    return _LATIN_WORDS.findall(chars)


def name_search_keys(full_name: str) -> tuple[str, str]:
    """(pinyin, initials) of a name, lower case, without spaces or tones; ("", "") for no name."""
    name = (full_name or "").strip()
    if not name:
        return "", ""
    syllables = [s.lower() for s in lazy_pinyin(name, errors=_latin_words) if s]
    if syllables and name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    pinyin = "".join(syllables)[:MAX_PINYIN]
    initials = "".join(s[0] for s in syllables)[:MAX_INITIALS]
    return pinyin, initials


def query_key(text: str) -> str:
    """What a typed query is compared with: lower case letters and digits ("Zhong Hong" → "zhonghong")."""
    return _NOT_KEY.sub("", (text or "").lower())
