"""Signing for a report (签收): a report submitted upward reaches the to-do list of each supervisor of
the receiving union as a work item of its own, outside the report's flow (the flow ends when the
report is submitted). The first who acknowledges or returns it closes the item for the others; the
union that sent it hears the outcome (workflows.services.outcomes)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Role, Seat, User
from workflows.models import WorkItem, WorkItemKind, WorkItemState
from workflows.services.notify import notify
from workflows.services.outcomes import Outcome, outcome_notify
from workflows.steps import SIGN_FOR_STEP

from .models import CongressReport, Submission

SIGN_FOR_DAYS = 15


def receipt_items_open(*, report: CongressReport, submissions: list[Submission]) -> list[WorkItem]:
    """One 待签收 item per supervisor in office at each receiving union, and an in-app notice."""
    supervisors = (
        Seat.objects.filter(union_id__in=[s.to_union_id for s in submissions], role=Role.SUPERVISOR)
        .in_force()
        .select_related("person")
    )
    due_at = timezone.now() + datetime.timedelta(days=SIGN_FOR_DAYS)
    step_title = _("Sign for the report from %(union)s") % {"union": report.union.name}
    items = WorkItem.objects.bulk_create(
        WorkItem(
            process_id=report.process_id,
            union_id=seat.union_id,
            document_type=report.kind,
            document_id=report.pk,
            document_title=report.title,
            step=SIGN_FOR_STEP,
            step_title=step_title[:100],
            kind=WorkItemKind.PERSON,
            assignee_id=seat.person_id,
            due_at=due_at,
        )
        for seat in supervisors
    )
    for seat in supervisors:
        notify(
            person=seat.person,
            union=seat.union,
            title=_("%(union)s submitted %(document)s: please sign for it")
            % {"union": report.union.name, "document": f"《{report.title}》"},
            key=f"sign-for:{report.pk}:{report.current_version_id}:{seat.union_id}",
        )
    return items


def receipt_items_close(*, submission: Submission, actor: User, outcome: str) -> None:
    """The actor's item is done with the outcome; the other supervisors' items of the same receipt are
    no longer theirs to act on."""
    open_items = WorkItem.objects.filter(
        process_id=submission.report.process_id,
        union_id=submission.to_union_id,
        step=SIGN_FOR_STEP,
        state=WorkItemState.OPEN,
    )
    now = timezone.now()
    open_items.filter(assignee=actor).update(
        state=WorkItemState.DONE, finished_at=now, finished_by=actor, outcome=outcome
    )
    open_items.update(state=WorkItemState.CANCELED, finished_at=now)
    report = submission.report
    outcome_notify(
        document=report,
        document_type=report.kind,
        outcome=Outcome.SIGNED_FOR if outcome == "acknowledged" else Outcome.RETURNED_UPWARD,
        by=submission.to_union.name,
        opinions=submission.opinions,
        occasion=f"receipt:{submission.pk}",
    )
