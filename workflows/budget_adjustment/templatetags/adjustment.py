"""{% load adjustment %}: {{ amounts|amount_of:code }} reads a dict keyed by account code."""

from django import template

register = template.Library()


@register.filter
def amount_of(amounts: dict, code: str):
    return (amounts or {}).get(code)
