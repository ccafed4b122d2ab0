"""{% load wuyi %}: readable labels for events in the history lists."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from workflows import registry

register = template.Library()

VERB_LABELS = {
    "budget_created": _("started the budget"),
    "lines_saved": _("saved the lines"),
    "version_created": _("made a new version"),
    "submitted": _("submitted"),
    "status_changed": _("moved to"),
    "opinion_given": _("gave an opinion"),
    "opinion_no_reply": _("no reply by the due date"),
    "approved": _("approved"),
    "returned": _("returned with opinions"),
    "withdrawn": _("withdrew"),
    "in_force": _("put in force"),
    "attachment_added": _("added an attachment"),
    "meeting_recorded": _("recorded a meeting"),
    "seat_created": _("added a seat"),
    "seat_ended": _("ended a seat's term"),
    "commented": _("commented"),
    "copied": _("copied to observers"),
    "claimed": _("claimed the task"),
    "released": _("released the task"),
    "transferred": _("transferred the task"),
    "signer_added": _("added a signer"),
    "signer_answered": _("answered as added signer"),
    "urged": _("urged"),
    "plan_created": _("started the plan"),
    "plan_saved": _("saved the plan"),
    "progress_recorded": _("recorded progress"),
    "adjustment_started": _("started a budget adjustment"),
    "adjustment_refused": _("budget adjustment refused: the window had closed"),
    "adjustment_lapsed": _("a budget adjustment lapsed"),
    "adjusted": _("the adjusted version was put in force"),
}


@register.filter
def verb_label(verb: str) -> str:
    return VERB_LABELS.get(verb, verb)


def _state_labels() -> dict:
    """The status choices of every registered document kind, the first kind's label winning."""
    labels: dict = {}
    for kind in registry.kinds():
        for value, label in kind.document_model()._meta.get_field("status").choices or ():
            labels.setdefault(value, label)
    return labels


@register.filter
def state_label(state: str) -> str:
    return _state_labels().get(state, state)
