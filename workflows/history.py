"""A document's history in plain words: who did what, for which body (the trail's last section).

Each event of the document becomes a row with ``who`` (the person's name; empty for what the system
did) and ``text`` (what they did, in words): "钟红艳 代表会员（代表）大会记录：同意",
"创建了经费收支预算决算情况报告". No verb codes, usernames or ids reach the page: an event
without a label reads as a change. Everything comes from the event rows and from what the trail
has already read (the work items with their bodies, the opinion requests with the unions answered
for): no query of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Event
from workflows import registry
from workflows.models import MeetingItem
from workflows.templatetags.wuyi import VERB_LABELS, state_label

DECISION_VERBS = ("approved", "returned")
CREATION_SUFFIX = "_created"  # every kind's creation event (budget_created, report_created, …)

# Verbs of the document events no kind names itself (a kind's own labels come from its page).
MORE_LABELS = {
    "execution_review_created": gettext_lazy("started the execution analysis"),
    "actuals_saved": gettext_lazy("saved the actual amounts"),
    "execution_review_filed": gettext_lazy("filed the analysis"),
    "report_rebound": gettext_lazy("bound the new versions of its documents"),
    "audited_carryover_applied": gettext_lazy("took the audited closing balance as the funds rolled over"),
    "plan_reviewed": gettext_lazy("reviewed the plan's progress"),
}


def history_rows(
    events: Iterable[Event],
    *,
    document_type: str,
    states: Mapping[str, Any],
    verb_labels: Mapping[str, Any],
    items: Iterable = (),
    opinions: Iterable = (),
) -> list[Event]:
    """The events with ``who`` and ``text`` set (and ``reason`` for a vote that did not pass)."""
    bodies = {i.step: i.body.display_name for i in items if i.body_id}
    unions = {o.on_behalf_of_id: o.on_behalf_of.name for o in opinions if o.on_behalf_of_id}
    kind = registry.kind_or_none(document_type) if document_type else None
    words = _Words(
        labels={**VERB_LABELS, **MORE_LABELS, **verb_labels},
        states=states,
        kind=str(kind.label) if kind else "",
        bodies=bodies,
        unions=unions,
    )
    rows = list(events)
    for event in rows:
        event.who = _who(event.actor)
        event.text = words.text(event)
        if event.verb == "returned" and (event.detail or {}).get("not_passed"):
            event.reason = _not_passed_reason(event.detail)
    return rows


def _who(actor) -> str:
    """The person's name (never their username: User.__str__ says the name is not recorded); the system
    has none."""
    if actor is None:
        return ""
    return str(actor)


def _not_passed_reason(detail: dict) -> str:
    """A return by a vote that did not pass: the votes as they were counted that day, then the opinions."""
    return MeetingItem.not_passed_text(
        votes_for=detail.get("votes_for", 0),
        votes_against=detail.get("votes_against", 0),
        votes_abstain=detail.get("votes_abstain", 0),
        votes_needed=detail.get("votes_needed", 0),
        opinions=detail.get("opinions", ""),
    )


class _Words:
    def __init__(self, *, labels, states, kind: str, bodies: dict, unions: dict):
        self.labels, self.states, self.kind = labels, states, kind
        self.bodies, self.unions = bodies, unions

    def state(self, value: str) -> str:
        return str(self.states.get(value) or state_label(value))

    def text(self, event: Event) -> str:
        verb, detail = event.verb, event.detail or {}
        if verb in DECISION_VERBS:
            return self._decision(verb, detail)
        if verb.endswith(CREATION_SUFFIX) and self.kind:
            return _("created the %(kind)s") % {"kind": self.kind}
        if verb == "submitted" and self.kind:
            return _("submitted the %(kind)s") % {"kind": self.kind}
        if verb == "in_force" and event.to_state:
            return self.state(event.to_state)  # 已生效, 大会已批准: the state says it
        if verb == "opinion_given" and detail.get("on_behalf_of") in self.unions:
            return _("gave an opinion for %(union)s") % {"union": self.unions[detail["on_behalf_of"]]}
        label = self.labels.get(verb)
        if label is None:
            label = _("changed the %(kind)s") % {"kind": self.kind} if self.kind else _("made a change")
        if event.to_state:
            return _("%(what)s: %(state)s") % {"what": label, "state": self.state(event.to_state)}
        return str(label)

    def _decision(self, verb: str, detail: dict) -> str:
        """A body's decision, said as what its recorder did: recorded it for the body."""
        decision = _("not passed") if detail.get("not_passed") else self.labels[verb]
        body = self.bodies.get(detail.get("step"))
        if body is None:
            return str(decision)
        return _("recorded for the %(body)s: %(decision)s") % {"body": body, "decision": decision}
