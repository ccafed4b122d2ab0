"""Rules in words on the page, their seed clause in a small 依据 tooltip; deadlines in words.

``{% rule_basis "S3.4" %}`` (or several clauses) renders a small "依据" whose tooltip names the clause
of the Five Ones method, so the page reads as words while ``grep S3.4`` still finds where a rule is
shown.
``{{ day|end_of_day }}`` says a deadline as "2027年9月30日24时" instead of "23:59:59 (Asia/Shanghai)".
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.statutory import end_of_day_words, rule_of

register = template.Library()


@register.simple_tag
def rule_basis(*codes: str) -> str:
    rules = "、".join(dict.fromkeys(rule_of(str(code)) for code in codes))
    return format_html(
        '<small class="text-muted rule-basis" title="{}" data-rule="{}">{}</small>',
        _("Five Ones work method, %(rule)s") % {"rule": rules},
        rules,
        _("basis"),
    )


@register.filter
def end_of_day(day) -> str:
    return end_of_day_words(day) if day else ""
