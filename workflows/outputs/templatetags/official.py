"""What the signing panel on a document's page shows (templates/outputs/_official_actions.html)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import template

from workflows import registry
from workflows.outputs.models import IssuedNumber, OutputKind
from workflows.outputs.official import ISSUED_KINDS, issued_numbers, may_issue, official_text_of

register = template.Library()


@dataclass(frozen=True)
class Panel:
    issued: list[IssuedNumber] = field(default_factory=list)
    # what the viewer may sign and issue now: [(kind, label)]; empty for anyone but the chair
    can_issue: list[tuple[str, str]] = field(default_factory=list)
    # whether the viewer may revoke (the chair)
    can_revoke: bool = False


@register.simple_tag(takes_context=True)
def official_panel(context, document_type: str, document) -> Panel:
    """The document's issued numbers and, for the chair only, what they may sign now. Costs one query (is
    the viewer the chair) and one more only when the document's printed outputs (``outputs``, read by
    _document_outputs.html) include an issued one; the kind's official text is read for the chair only;
    nothing, without a query, for a kind that prints none."""
    kind = registry.kind_or_none(document_type)
    if kind is None or kind.official_text is None:
        return Panel()
    printed = context.get("outputs")
    has_issued = printed is None or any(output.kind in ISSUED_KINDS for output in printed)
    issued = issued_numbers(document_type, document.pk) if has_issued else []
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not may_issue(user=user, union=document.union):
        return Panel(issued=issued)
    text = official_text_of(document_type, document)
    done = {number.kind for number in issued}
    choices = []
    if text is not None and OutputKind.OFFICIAL not in done:
        choices.append((OutputKind.OFFICIAL.value, OutputKind.OFFICIAL.label))
    if text is not None and text.submitted_to and OutputKind.COVER_LETTER not in done:
        choices.append((OutputKind.COVER_LETTER.value, OutputKind.COVER_LETTER.label))
    return Panel(issued=issued, can_issue=choices, can_revoke=True)
