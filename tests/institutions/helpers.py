"""What the rules tests share: drafting a version from its template through the services, and the meeting
of a body deciding it (all its members present)."""

from __future__ import annotations

from django.utils import timezone

from core.models import Seat
from tests.scenarios import open_items
from workflows.institutions import services
from workflows.institutions.flows import APPROVAL_STEP
from workflows.models import Resolution
from workflows.services.decisions import AgendaVote, meeting_record


def drafted(cast, rules_type: str, **fields):
    title, text = services.starting_text(union=cast.union, rules_type=rules_type)
    return services.rules_create(
        actor=cast.office,
        union=cast.union,
        rules_type=rules_type,
        title=fields.get("title", title),
        text=fields.get("text", text),
    )


def sent(cast, rules_type: str, **fields):
    return services.rules_submit(actor=cast.office, document=drafted(cast, rules_type, **fields))


def body_item(document):
    """The open item of the body that approves the document."""
    (item,) = open_items(document, APPROVAL_STEP[document.approver])
    return item


def meet(body, recorder, item, resolution=Resolution.APPROVE, opinions=""):
    """``body`` meets with every member present and decides ``item`` unanimously."""
    members = list(Seat.objects.filter(body=body).in_force().values_list("person_id", flat=True))
    approve = resolution == Resolution.APPROVE
    return meeting_record(
        body=body,
        recorder=recorder,
        held_on=timezone.localdate(),
        place="工会会议室",
        attendee_ids=members,
        votes=[
            AgendaVote(
                item.pk,
                resolution,
                votes_for=len(members) if approve else 0,
                votes_against=0 if approve else len(members),
                opinions=opinions,
            )
        ],
    )
