"""How a person's phone and e-mail are written, the same for the people sync (which stores them) and the
sign-in (which matches a provider's claim against them)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}(-\d{1,6})?$")


def normalize_phone(value: str) -> str:
    """``+86 138 0000 0001`` and ``138-0000-0001`` → ``13800000001``; a landline keeps the dash after its
    area code (``010-12345678``). Anything else comes back stripped, for ``phone_ok`` to refuse."""
    text = re.sub(r"[\s()（）]", "", value or "")
    if text.startswith("+86"):
        text = text[3:]
    elif text.startswith("0086"):
        text = text[4:]
    digits = text.replace("-", "")
    if _MOBILE.match(digits):
        return digits
    if digits.startswith("0") and "-" not in text and len(digits) in (10, 11, 12):
        # a landline typed without its dash: the area code is 3 digits for 01x/02x, 4 otherwise
        cut = 3 if digits[1] in "12" else 4
        return f"{digits[:cut]}-{digits[cut:]}"
    return text


def phone_ok(value: str) -> bool:
    return bool(_MOBILE.match(value) or _LANDLINE.match(value))


def email_ok(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True
