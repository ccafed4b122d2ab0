"""Reading the archive (S5.3): the union's search, its received records, who may see a record.

The search is one statement whatever the filters: the union's records (or those transferred to it) by
the btree indexes, the words by the GIN index on the jieba tokens (models.ArchiveRecord.search_vector):
a full-text query matches any field, a title query only the title's tokens (weight A), a number its
start (btree) or its tokens (weight B). Pages go by keyset on (year, id), newest first, one row more
than shown telling whether another page follows. bench/p10.py times this selector over a million rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db.models import Q, QuerySet

from core.models import Union
from core.selectors import union_access

from .models import ArchiveRecord
from .segment import query_terms

PAGE_SIZE = 20


@dataclass(frozen=True)
class Filters:
    q: str = ""
    title: str = ""
    number: str = ""
    year: int | None = None
    category: str = ""


def _quoted(word: str, weight: str) -> str:
    lexeme = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
    return f"{lexeme}:{weight}" if weight else lexeme


def _tsquery(text: str, weight: str = "") -> SearchQuery | None:
    """Every term of ``text`` (``segment.query_terms``): the word, or all of its pieces; in the field of
    that weight when one is given (A title, B number), anywhere otherwise."""
    parts = []
    for word, *pieces in query_terms(text):
        whole = _quoted(word, weight)
        if pieces:
            whole = f"({whole} | ({' & '.join(_quoted(p, weight) for p in pieces)}))"
        parts.append(whole)
    return SearchQuery(" & ".join(parts), config="simple", search_type="raw") if parts else None


def _nothing() -> Q:
    return Q(pk__in=[])


def search(*, union: Union, filters: Filters, received: bool = False) -> QuerySet[ArchiveRecord]:
    """S5.3: the union's kept records (or those its lower unions transferred to it) matching every filter."""
    records = ArchiveRecord.objects.filter(deleted_at__isnull=True)
    records = records.filter(transferred_to=union) if received else records.filter(union=union)
    if filters.year:
        records = records.filter(year=filters.year)
    if filters.category:
        records = records.filter(category=filters.category)
    if filters.q.strip():
        query = _tsquery(filters.q)
        records = records.filter(search_vector=query) if query else records.filter(_nothing())
    if filters.title.strip():
        query = _tsquery(filters.title, "A")
        records = records.filter(search_vector=query) if query else records.filter(_nothing())
    if filters.number.strip():
        number = filters.number.strip()
        query = _tsquery(number, "B")
        match = Q(number__startswith=number) | (Q(search_vector=query) if query else _nothing())
        records = records.filter(match)
    return records.order_by("-year", "-id")


def search_page(
    *, union: Union, filters: Filters, received: bool = False, after: tuple[int, int] | None = None
) -> tuple[list[ArchiveRecord], bool]:
    """One page (one query) and whether another follows."""
    records = search(union=union, filters=filters, received=received)
    if received:
        records = records.select_related("union")
    else:
        records = records.select_related("transferred_to")
    if after is not None:
        year, pk = after
        records = records.filter(Q(year__lt=year) | Q(year=year, id__lt=pk))
    rows = list(records.defer("search_vector")[: PAGE_SIZE + 1])
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def parse_cursor(value: str | None) -> tuple[int, int] | None:
    """The keyset cursor "<year>_<id>" of the last row shown, or None when absent or garbled."""
    year, _sep, pk = (value or "").partition("_")
    return (int(year), int(pk)) if year.isdigit() and pk.isdigit() else None


def years_of(union: Union) -> list[int]:
    """The years the union's archive holds, newest first (the filter's and the dossier's choices)."""
    years = ArchiveRecord.objects.filter(union=union).order_by("-year").values_list("year", flat=True)
    return list(years.distinct())


def may_read(*, user, union: Union) -> bool:
    """S5.3: the archive is read with the right to the union's documents: its officers and the
    supervisors above."""
    return union_access(user=user, union=union).can_view_documents


def record_readable(*, user, record: ArchiveRecord) -> bool:
    """The union's readers, and once transferred (移交) the readers of the upper union that received it."""
    if may_read(user=user, union=record.union):
        return True
    return record.transferred_to is not None and may_read(user=user, union=record.transferred_to)


def dossier_records(*, union: Union, year: int) -> QuerySet[ArchiveRecord]:
    """The year's kept records for its dossier, by category and title."""
    return (
        ArchiveRecord.objects.filter(union=union, year=year, deleted_at__isnull=True)
        .defer("search_vector")
        .order_by("category", "title", "id")
    )
