"""Document numbers (发文字号, GB/T 9704-2012 7.2.5): 机工〔2027〕3号 — the series' code (机关代字), the
year in hexagonal brackets 〔〕, the sequence without leading zeros or 第.

Numbers are given when a document is signed and issued (签发), never at draft, in the issuing
transaction: the series' counter row is locked (SELECT … FOR UPDATE), so two issuers of the same union
wait for each other and take consecutive numbers, and a failed issue rolls its number back with it —
no gap. A revoked document keeps its number; the counter never goes back, so no number is given twice
(and IssuedNumber's unique constraint is the last line of defence).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core.models import Union
from workflows.outputs.models import IssuingOrgan, NumberCounter


def number_text(*, code: str, year: int, sequence: int) -> str:
    return f"{code}〔{year}〕{sequence}号"


def organ_of(union: Union) -> IssuingOrgan | None:
    """The union's issuing organ (its mark and code), with its series' codes; None until it is set up."""
    return IssuingOrgan.objects.filter(union=union).prefetch_related("series_codes").first()


def next_sequence(*, union: Union, code: str, year: int) -> int:
    """The next number of the series, counted inside the caller's transaction (which must be open)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a document number is taken inside the transaction that issues the document")
    # the first number of a series creates its row; a concurrent first issuer's row wins, ours is dropped
    NumberCounter.objects.bulk_create(
        [NumberCounter(union=union, code=code, year=year)], ignore_conflicts=True
    )
    counter = NumberCounter.objects.select_for_update().get(union=union, code=code, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def issue_day(union: Union) -> datetime.date:
    """The day of 签发 in the union's time zone: the date printed (成文日期) and the number's year."""
    return timezone.localtime(timezone.now(), union.tz).date()
