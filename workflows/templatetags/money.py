"""{% load money %} … {{ line.amount|yuan }} → 12,000.50."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from workflows.amounts import format_yuan

register = template.Library()


@register.filter(is_safe=True)
def yuan(value) -> str:
    """Two decimals and thousands separators; "" for None or "", the value unchanged if not a number."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return value
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return value
    if not amount.is_finite():
        return value
    return format_yuan(amount)
