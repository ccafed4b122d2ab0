"""批量同意: several personal steps of the same kind answered "agree" at once from the inbox.

Only the steps whose plain answer is an agreement qualify: an opinion request answered "no opinion"
(无意见: the recipient has nothing to add, S2.2, S3.3) and an added signer's "agree" (同意). A body's
decision is not one of them (a meeting records attendance and votes, a written decision its number),
nor the drafter's steps (they change the document). Each item goes through the same service as its
own page, in its own transaction, so one that another tab or a withdrawal closed first is reported and
the others are still answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workflows import errors
from workflows.models import OpinionAnswer, WorkItem, WorkItemKind, WorkItemState
from workflows.services.actions import signer_answer
from workflows.services.opinions import opinion_answer
from workflows.services.workitems import AlreadyHandled, DocumentBusy

OPINION_STEP = "give_opinion"
SIGNER_STEP = "add_signer"
BULK_STEPS = (OPINION_STEP, SIGNER_STEP)
# One inbox page holds 25 rows; a few pages' worth is the most one confirmation should cover.
MAX_BULK = 100
# What the added signer's answer says when it is given in bulk (the comment on the asker's step).
SIGNER_AGREED = gettext_lazy("Agreed.")


def bulk_agreeable(item: WorkItem) -> bool:
    """Whether the item's plain "agree" may be given in bulk (no query: the item's own columns)."""
    if item.kind != WorkItemKind.PERSON:
        return False
    return item.step == OPINION_STEP or (item.step == SIGNER_STEP and item.parent_id is not None)


def bulk_answer_label(item: WorkItem) -> str:
    """The answer given in bulk, as the confirmation names it."""
    return _("No opinion") if item.step == OPINION_STEP else _("I agree")


def bulk_items(*, user, item_ids) -> list[WorkItem]:
    """The person's own items among ``item_ids`` that qualify, open or not (one already handled is
    reported as such); an id of anyone else's item, or of another kind of step, names nothing."""
    ids = list(dict.fromkeys(item_ids))[:MAX_BULK]
    if not ids:
        return []
    items = (
        WorkItem.objects.filter(pk__in=ids, assignee=user, kind=WorkItemKind.PERSON, step__in=BULK_STEPS)
        .select_related("union", "parent__assignee")
        .order_by("created_at", "id")
    )
    return [item for item in items if bulk_agreeable(item)]


@dataclass
class BulkOutcome:
    agreed: list[WorkItem] = field(default_factory=list)
    handled: list[tuple[WorkItem, str]] = field(default_factory=list)  # closed first: why
    failed: list[tuple[WorkItem, str]] = field(default_factory=list)  # refused or busy: why


def _closed_reason(item: WorkItem) -> str:
    if item.state == WorkItemState.DONE:
        return AlreadyHandled(item).messages[0]
    return str(errors.TASK_CLOSED)


def _agree(item: WorkItem, user) -> None:
    if item.step == OPINION_STEP:
        opinion_answer(work_item=item, actor=user, answer=OpinionAnswer.NO_OPINION)
    else:
        signer_answer(signer_item=item, user=user, agree=True, text=str(SIGNER_AGREED))


def personal_steps_agree(*, user, items: list[WorkItem]) -> BulkOutcome:
    """Answer each item "agree" with its own service (each opens its own transaction under its
    document's lock): never inside an outer transaction, so that one refusal undoes only its item."""
    outcome = BulkOutcome()
    for item in items:
        if item.state != WorkItemState.OPEN:
            outcome.handled.append((item, _closed_reason(item)))
            continue
        try:
            _agree(item, user)
        except AlreadyHandled as exc:  # another tab, or another person, answered while this one read
            outcome.handled.append((item, exc.messages[0]))
        except DocumentBusy:
            outcome.failed.append((item, str(errors.LOCKED)))
        except PermissionDenied as exc:
            outcome.failed.append((item, str(exc)))
        except ValidationError as exc:
            item.refresh_from_db(fields=["state"])
            target = outcome.handled if item.state != WorkItemState.OPEN else outcome.failed
            target.append((item, exc.messages[0]))
        else:
            outcome.agreed.append(item)
    return outcome
