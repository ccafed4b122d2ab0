"""Chinese text into the archive's search tokens (S5.3), with jieba.

Most Chinese words are two characters (预算, 工会, 经费): pg_trgm's index cannot serve a pattern shorter
than three characters, and PostgreSQL's parser does not split Chinese into words. So the words are cut
here, in Python, and stored space-separated through ``to_tsvector('simple', …)`` — the same parser then
splits the same way on both sides. A record is cut with ``cut_for_search`` (a long word gives its
dictionary sub-words too: 工作报告 → 工作, 报告, 工作报告); a query's word matches by itself or by its
finest pieces, so it matches a record however its context grouped the longer word. Punctuation and a
few function words go.
"""

from __future__ import annotations

import logging

import jieba

jieba.setLogLevel(logging.WARNING)

STOP_WORDS = frozenset("的 了 和 与 及 或 在 是 对 等 之 于 为 其 并".split())
# what one record indexes at most: the first characters of a long text
TEXT_LIMIT = 20_000


def _kept(token: str) -> bool:
    token = token.strip()
    return bool(token) and token not in STOP_WORDS and any(ch.isalnum() for ch in token)


def record_tokens(text: str) -> str:
    """The record's words, space-separated, for to_tsvector('simple', …)."""
    if not text:
        return ""
    return " ".join(t.strip() for t in jieba.cut_for_search(text[:TEXT_LIMIT]) if _kept(t))


def _finest(pieces: list[str]) -> list[str]:
    """The pieces that contain no other piece (预算 and 经费 rather than 经费预算)."""
    return [p for p in pieces if not any(o != p and o in p for o in pieces)]


def query_terms(text: str) -> list[tuple[str, ...]]:
    """A query's terms, each once and in order: a word as jieba cuts the query (precise mode), then its
    finest dictionary pieces when it has several (考试院 → 考试, 试院). A record matches a term by the
    word itself or by all its pieces, so any order of the words and any grouping of a longer word match
    (the record side keeps every piece: ``record_tokens``), and the planner, seeing the word, does not
    take its pieces for independent words."""
    terms = []
    for cut in jieba.cut(text or ""):
        word = cut.strip().lower()
        if not _kept(word):
            continue
        pieces = _finest(
            list(dict.fromkeys(t.strip().lower() for t in jieba.cut_for_search(word) if _kept(t)))
        )
        terms.append((word,) if pieces in ([], [word]) else (word, *pieces))
    return list(dict.fromkeys(terms))
