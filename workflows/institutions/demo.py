"""Demo: the committees' working rules and the union's institutions (S4.1, S5.3), through the real services
and meetings.

At the finance department's general offices union: the union committee's working rules in force at
version 2, version 1 superseded; the expenditure approval institution in force; the fund audit committee's
working rules on its meeting's agenda; the women workers' committee without rules (missing). Idempotent:
once the union has rules, nothing more is made.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from core import demo_seeders
from core.models import Body, BodyKind, Seat, Union, User
from workflows.models import Resolution, WorkItem, WorkItemState
from workflows.services.decisions import AgendaVote, meeting_record

from . import services
from .flows import APPROVAL_STEP
from .models import RulesDocument, RulesType

CODE = "fin-office"
RECORDERS = {BodyKind.UNION_COMMITTEE: "chair", BodyKind.AUDIT_COMMITTEE: "audit"}


def _user(suffix: str) -> User:
    return User.objects.get(username=f"{CODE}-{suffix}")


def _sent(union: Union, rules_type: str, *, text: str | None = None) -> RulesDocument:
    """A new version drafted by the office from the template (or ``text``) and sent to its body."""
    title, template = services.starting_text(union=union, rules_type=rules_type, from_template=True)
    office = _user("office")
    document = services.rules_create(
        actor=office, union=union, rules_type=rules_type, title=title, text=text or template
    )
    return services.rules_submit(actor=office, document=document)


def _approved(document: RulesDocument, days_ago: int) -> RulesDocument:
    """The approving body's meeting, all its members present and for."""
    item = WorkItem.objects.get(
        process_id=document.process_id, step=APPROVAL_STEP[document.approver], state=WorkItemState.OPEN
    )
    body = Body.objects.get(pk=item.body_id)
    held_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    members = list(Seat.objects.filter(body=body).in_force(held_on).values_list("person_id", flat=True))
    meeting_record(
        body=body,
        recorder=_user(RECORDERS[body.kind]),
        held_on=held_on,
        place="工会活动室",
        attendee_ids=members,
        votes=[AgendaVote(item.pk, Resolution.APPROVE, votes_for=len(members))],
        minutes=f"审议通过《{document.title}》。",
    )
    document.refresh_from_db()
    return document


@transaction.atomic
def seed_demo_institutions(*, write=print) -> list[str]:
    union = Union.objects.filter(code=CODE).first()
    if union is None or RulesDocument.objects.filter(union=union).exists():
        return []
    first = _approved(_sent(union, RulesType.UNION_COMMITTEE), days_ago=400)
    title, template = services.starting_text(union=union, rules_type=RulesType.UNION_COMMITTEE)
    revised = template.replace("原则上每季度召开一次", "每季度至少召开一次，必要时可随时召开")
    second = _approved(_sent(union, RulesType.UNION_COMMITTEE, text=revised), days_ago=20)
    spending = _approved(_sent(union, RulesType.EXPENDITURE_APPROVAL), days_ago=20)
    audit = _sent(union, RulesType.AUDIT_COMMITTEE)  # on the fund audit committee's agenda
    made = [first, second, spending, audit]
    if write:
        write(f"Working rules and institutions: {len(made)} versions, the women workers' committee's missing")
    return [f"{d.title} v{d.version}" for d in made]


demo_seeders.register("institutions", seed_demo_institutions, order=85)
