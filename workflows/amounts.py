"""Amounts in yuan as people type them, and as the budget shows them.

`parse_amount` accepts what a drafter types or pastes from a spreadsheet on a Chinese keyboard:
full-width digits and punctuation, thousands separators, surrounding spaces and a trailing 元. It
refuses anything that is not plainly a non-negative amount with at most two decimals (fen) below
10^12 yuan (the NUMERIC(14,2) columns). Exponents, NaN and Infinity are refused although
`Decimal()` would take them.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from workflows import errors

FEN = Decimal("0.01")
LIMIT = Decimal(10) ** 12

# Full-width digits and punctuation (and the minus signs people paste) to their ASCII forms.
_FULL_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",  # FULLWIDTH FULL STOP
        "，": ",",  # FULLWIDTH COMMA
        "－": "-",  # FULLWIDTH HYPHEN-MINUS
        "−": "-",  # MINUS SIGN
    }
)

# Integer part either plain digits or grouped by three with commas; an optional fraction.
# ASCII classes on purpose: `\d` would also match other scripts' digits.
_AMOUNT_RE = re.compile(r"(?P<sign>[-+]?)(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?")


def _invalid(value: str) -> ValidationError:
    return ValidationError(errors.AMOUNT_INVALID, code="invalid", params={"value": value})


def parse_amount(raw: str) -> Decimal:
    """The amount in `raw` as a Decimal with two decimals, or ValidationError with the user's message."""
    if raw is None:
        raw = ""
    shown = str(raw).strip()
    text = shown.translate(_FULL_WIDTH)
    if text.endswith("元"):
        text = text[:-1].rstrip()
    match = _AMOUNT_RE.fullmatch(text)
    if match is None:
        raise _invalid(shown)
    frac = match["frac"] or ""
    try:
        value = Decimal(f"{match['int'].replace(',', '')}.{frac or '0'}")
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise _invalid(shown) from None
    if match["sign"] == "-" and value != 0:
        raise ValidationError(errors.AMOUNT_NEGATIVE, code="negative")
    # "12.50" and "12.500" are the same amount; "12.505" has a third decimal that matters.
    if len(frac.rstrip("0")) > 2:
        raise ValidationError(errors.AMOUNT_TOO_MANY_DECIMALS, code="max_decimal_places")
    if value >= LIMIT:
        raise ValidationError(errors.AMOUNT_TOO_LARGE, code="max_value")
    return value.quantize(FEN)


def format_yuan(value: Decimal) -> str:
    """12000.5 → "12,000.50": two decimals (rounded half up) and thousands separators."""
    amount = value if isinstance(value, Decimal) else Decimal(str(value))
    amount = amount.quantize(FEN, rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)  # no "-0.00"
    return f"{amount:,.2f}"
