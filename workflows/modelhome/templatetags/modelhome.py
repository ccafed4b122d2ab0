"""The union's Model Workers' Home titles on its page (S5.2), for core's template: core may not import
the workflows, the template loads this library instead. One query."""

from django import template

from workflows.modelhome.selectors import titles_of

register = template.Library()


@register.simple_tag
def home_titles(union) -> list:
    return titles_of([union.pk]).get(union.pk, [])
