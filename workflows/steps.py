"""Step specifications shared by the document flows: who acts, what status, how long (data).

A flow's human nodes call ``work_item_on_create`` from their ``onCreate`` hook, so the work item is
written in the same transaction as the task (issue 4). Due dates use default step durations until
the statutory calendar (issue 6) derives them from the obligation's deadline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Body, BodyKind


class Actor:
    DRAFTER = "drafter"
    RECIPIENT = "recipient"


@dataclass(frozen=True)
class StepSpec:
    name: str
    title: str
    actor: str  # Actor.DRAFTER, Actor.RECIPIENT or a BodyKind value
    status: str
    days: int

    @property
    def body_kind(self) -> str | None:
        return self.actor if self.actor in BodyKind.values else None


def due_in(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def body_of(union, kind: str) -> Body:
    return Body.objects.get(union=union, kind=kind)


# Steps that a body completes by a meeting or written decision, in chain order (S3.3).
COLLECTIVE_STEP_TITLES = {
    "audit_review": _("Fund audit committee review and consent"),
    "party_approval": _("Same-level Party organisation final approval"),
    "congress_ratification": _("Congress review and approval"),
}
