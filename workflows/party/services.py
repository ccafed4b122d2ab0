"""Writing the Party organisation's documents (S1.2, S1.3): requests for instructions and reports along
their route, and the yearly hearing of union work with the problems it decides to solve.

Views and tasks call these; each checks the actor's right itself (rights come from seats)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.models import Role, Seat, User
from core.selectors import union_access
from core.services.events import event_record
from core.services.statutory import obligation_meet
from workflows import errors as spine_errors
from workflows.models import MeetingItem, Resolution, WorkItem, WorkItemState, WrittenDecision
from workflows.services.drafting import document_withdraw, drafter_item
from workflows.services.workitems import assert_may_act, process_lock, work_item_complete

from . import errors, selectors
from .flows import HearingFlow, InstructionRequestFlow
from .models import (
    CatalogueItem,
    Hearing,
    HearingStatus,
    InstructionRequest,
    Reply,
    RequestKind,
    RequestStatus,
)

REQUEST_EDITABLE = ("title", "text")


def _check_drafter(actor: User, union) -> None:
    if not union_access(user=actor, union=union).can_draft:
        raise PermissionDenied(errors.NOT_DRAFTER)


def one_matter(items: Sequence[CatalogueItem]) -> CatalogueItem:
    """S1.3 一文一事: a request or report is about exactly one catalogue item."""
    if len(items) > 1:
        raise ValidationError(errors.ONE_MATTER)
    if not items:
        raise ValidationError(errors.NO_MATTER)
    return items[0]


@transaction.atomic
def request_create(
    *, actor: User, union, items: Sequence[CatalogueItem], title: str, text: str
) -> InstructionRequest:
    """A new request or report in draft (S1.3), its kind the catalogue item's, its chain started."""
    _check_drafter(actor, union)
    item = one_matter(items)
    if item.pk not in {row.pk for row in selectors.catalogue_for(union)}:
        raise ValidationError(errors.NO_MATTER)  # only an item of the union's own catalogue
    if selectors.party_body(union) is None:
        raise ValidationError(errors.NO_PARTY_BODY)
    request = InstructionRequest(
        union=union,
        drafter=actor,
        year=timezone.localdate().year,
        item=item,
        kind=item.kind,
        title=title,
        text=text,
    )
    request.full_clean(exclude=["process", "status"])
    request.save()
    InstructionRequestFlow.start.run(document=request)
    request.refresh_from_db()
    event_record(verb="created", actor=actor, subject=request, union=union, to_state=request.status)
    return request


def request_update(*, actor: User, request: InstructionRequest, **fields) -> InstructionRequest:
    with process_lock(request.process_id, document=request):
        item = drafter_item(request, locked=True)
        if item is None or item.assignee_id != actor.pk:
            raise PermissionDenied(errors.NOT_EDITABLE)
        for name, value in fields.items():
            if name in REQUEST_EDITABLE:
                setattr(request, name, value)
        request.full_clean(exclude=["process"])
        request.save()
    return request


def request_submit(*, actor: User, request: InstructionRequest) -> InstructionRequest:
    """The drafter sends it to the chair for signing; the chair must be in office."""
    with process_lock(request.process_id, document=request):
        item = drafter_item(request, locked=True)
        if item is None:
            raise ValidationError(spine_errors.TASK_CLOSED)
        assert_may_act(user=actor, work_item=item)
        if step_holder(request, "chair_sign") is None:
            raise ValidationError(errors.NO_CHAIR)
        event_record(
            verb="submitted",
            actor=actor,
            subject=request,
            union=request.union,
            from_state=request.status,
            detail={"step": item.step},
        )
        work_item_complete(work_item=item, actor=actor, outcome="submitted")
    return request


def request_withdraw(*, actor: User, request: InstructionRequest, reason: str = "") -> None:
    document_withdraw(
        actor=actor,
        document=request,
        reason=reason,
        not_withdrawable=errors.NOT_WITHDRAWABLE,
        may_withdraw=request_withdrawable,
    )


def request_withdrawable(request: InstructionRequest) -> bool:
    """Until the Party organisation replies: the chair's signature does not bind the union to send it."""
    return request.status in selectors.OPEN_REQUEST


def step_holder(document, step: str) -> int | None:
    """The chair signs a request (S1.3): the union committee's chair in office."""
    if step != "chair_sign":
        return None
    seat = (
        Seat.objects.in_force(timezone.localdate())
        .filter(union_id=document.union_id, role=Role.CHAIR, body__kind="union_committee")
        .order_by("start_date", "id")
    )
    return seat.values_list("person_id", flat=True).first()


def step_due(document, step: str) -> datetime.datetime | None:
    """The Party organisation's reply is due after the catalogue item's time limit (data), which the
    request also keeps as its reply date for the workbench and the scorecard."""
    if not isinstance(document, InstructionRequest) or step != "party_reply":
        return None
    due = timezone.now() + datetime.timedelta(days=document.item.reply_days)
    document.reply_due = timezone.localtime(due, document.union.tz).date()
    document.save(update_fields=["reply_due"])
    return due


def _last_reply(request: InstructionRequest) -> tuple[str, str, str, datetime.date]:
    """(resolution, opinions, reference number, date) of the Party organisation's last decision."""
    item = (
        WorkItem.objects.filter(process_id=request.process_id, step="party_reply", state=WorkItemState.DONE)
        .order_by("-finished_at", "-id")
        .first()
    )
    written = WrittenDecision.objects.filter(work_item=item).first()
    if written is not None:
        return written.resolution, written.opinions, written.reference_number, written.decided_on
    agenda = MeetingItem.objects.filter(work_item=item).select_related("meeting").first()
    if agenda is not None:
        resolution = Resolution.APPROVE if agenda.passed else Resolution.RETURN
        return resolution, agenda.resolution, "", agenda.meeting.held_on
    return item.outcome, "", "", timezone.localdate()


def reply_take(*, request: InstructionRequest) -> None:
    """Function node after the reply: agreed, agreed with instructions, not agreed, or acknowledged."""
    resolution, opinions, reference, on = _last_reply(request)
    if request.kind == RequestKind.REPORT:
        reply = Reply.ACKNOWLEDGED if resolution == Resolution.APPROVE else ""
    elif resolution != Resolution.APPROVE:
        reply = Reply.DISAGREE
    else:
        reply = Reply.AGREE_WITH_INSTRUCTIONS if opinions.strip() else Reply.AGREE
    request.reply, request.reply_text = reply, opinions
    request.reply_reference, request.replied_on = reference, on
    request.save(update_fields=["reply", "reply_text", "reply_reference", "replied_on"])


def request_not_agreed(*, request: InstructionRequest) -> None:
    previous = request.status
    request.status = RequestStatus.DISAGREED
    request.save(update_fields=["status"])
    event_record(
        verb="not_agreed", subject=request, union=request.union, from_state=previous, to_state=request.status
    )


def request_filed(request: InstructionRequest) -> None:
    """The chain's end (DocumentKind.put_in_force): filed."""
    previous = request.status
    request.status = RequestStatus.FILED
    request.in_force_since = timezone.now()
    request.save(update_fields=["status", "in_force_since"])
    event_record(
        verb="filed", subject=request, union=request.union, from_state=previous, to_state=request.status
    )


def carry_out_item(request: InstructionRequest) -> WorkItem | None:
    """The drafter's open step of recording how the reply was carried out, with its task."""
    items = WorkItem.objects.filter(process_id=request.process_id, step="carry_out", state=WorkItemState.OPEN)
    return items.select_related("task").first()


def carried_out_record(*, actor: User, request: InstructionRequest, text: str) -> None:
    """The union records how the agreed request and its instructions were carried out; then filed."""
    if not text.strip():
        raise ValidationError(errors.CARRIED_OUT_EMPTY)
    with process_lock(request.process_id, document=request):
        item = carry_out_item(request)
        if item is None:
            raise ValidationError(spine_errors.TASK_CLOSED)
        assert_may_act(user=actor, work_item=item)
        request.carried_out = text.strip()
        request.carried_out_on = timezone.localdate()
        request.save(update_fields=["carried_out", "carried_out_on"])
        event_record(verb="carried_out", actor=actor, subject=request, union=request.union)
        work_item_complete(work_item=item, actor=actor, outcome="carried_out")


# --- the catalogue gate ------------------------------------------------------------------------------


def gate_problems(
    *, union, matter: str, request_id: int | None, document: tuple[str, int], needed: bool = True
) -> list[str]:
    """S1.3: starting a matter the catalogue lists as needing a request for instructions takes an agreed
    request on that matter, used by no other document (the one ``document`` used before stays its own,
    for a resend after a return). ``needed``: False where the document's chain covers the matter; a
    request chosen anyway must still be one of the union's agreed ones."""
    item = selectors.catalogue_item_for(union, matter)
    if request_id is None:
        required = needed and item is not None and item.kind == RequestKind.REQUEST
        return [str(errors.GATE_NEEDS_REQUEST % {"item": item.title})] if required else []
    found = (
        InstructionRequest.objects.filter(pk=request_id, union_id=union.pk, item__matter=matter)
        .values_list("reply", "used_by_type", "used_by_id")
        .first()
    )
    if found is None or found[0] not in (Reply.AGREE, Reply.AGREE_WITH_INSTRUCTIONS):
        return [str(errors.GATE_REQUEST_NOT_AGREED)]
    if found[2] is not None and (found[1], found[2]) != document:
        return [str(errors.GATE_REQUEST_USED)]
    return []


def gate_use(*, request_id: int, document_type: str, document_id: int) -> bool:
    """The agreed request is used by the document it let start, once: False when another document took
    it first (of two sent on it at the same moment, the second is refused)."""
    claimed = InstructionRequest.objects.filter(pk=request_id).filter(
        Q(used_by_id__isnull=True) | Q(used_by_type=document_type, used_by_id=document_id)
    )
    return claimed.update(used_by_type=document_type, used_by_id=document_id) == 1


# --- the hearing (S1.2) ------------------------------------------------------------------------------


@transaction.atomic
def hearing_create(
    *, actor: User, union, year: int, report_kind: str, report: str, wished_on=None
) -> Hearing:
    """The union asks for a place on its Party organisation's agenda, with its report (S1.2)."""
    _check_drafter(actor, union)
    if selectors.party_body(union) is None:
        raise ValidationError(errors.NO_PARTY_BODY)
    hearing = Hearing(
        union=union,
        drafter=actor,
        year=year,
        title=f"{year}年度工会工作汇报",
        report_kind=report_kind,
        report=report,
        wished_on=wished_on,
    )
    hearing.full_clean(exclude=["process", "status", "meeting"])
    hearing.save()
    HearingFlow.start.run(document=hearing)
    hearing.refresh_from_db()
    event_record(verb="created", actor=actor, subject=hearing, union=union, to_state=hearing.status)
    return hearing


def hearing_update(*, actor: User, hearing: Hearing, **fields) -> Hearing:
    with process_lock(hearing.process_id, document=hearing):
        item = drafter_item(hearing, locked=True)
        if item is None or item.assignee_id != actor.pk:
            raise PermissionDenied(errors.NOT_EDITABLE)
        for name in ("report_kind", "report", "wished_on"):
            if name in fields:
                setattr(hearing, name, fields[name])
        hearing.full_clean(exclude=["process", "meeting"])
        hearing.save()
    return hearing


def hearing_submit(*, actor: User, hearing: Hearing) -> Hearing:
    with process_lock(hearing.process_id, document=hearing):
        item = drafter_item(hearing, locked=True)
        if item is None:
            raise ValidationError(spine_errors.TASK_CLOSED)
        assert_may_act(user=actor, work_item=item)
        event_record(
            verb="submitted", actor=actor, subject=hearing, union=hearing.union, from_state=hearing.status
        )
        work_item_complete(work_item=item, actor=actor, outcome="submitted")
    return hearing


def hearing_withdraw(*, actor: User, hearing: Hearing, reason: str = "") -> None:
    """Until the Party organisation has heard or returned the report (the spine's rule)."""
    document_withdraw(actor=actor, document=hearing, reason=reason, not_withdrawable=errors.NOT_WITHDRAWABLE)


def hearing_heard(hearing: Hearing) -> None:
    """The chain's end (DocumentKind.put_in_force): heard, which meets S1.2 for the year."""
    previous = hearing.status
    hearing.status = HearingStatus.HEARD
    hearing.in_force_since = timezone.now()
    hearing.save(update_fields=["status", "in_force_since"])
    held_on = hearing.meeting.held_on if hearing.meeting_id else timezone.localdate()
    obligation_meet(
        union=hearing.union, code="S1.2", fiscal_year=hearing.year, on=held_on, by=f"hearing:{hearing.pk}"
    )
    event_record(
        verb="heard", subject=hearing, union=hearing.union, from_state=previous, to_state=hearing.status
    )


@dataclass(frozen=True)
class Problem:
    """A problem the Party organisation decides to solve: an owner (a person or a department), a date."""

    text: str
    owner_id: int | None
    owner_department: str
    due_on: datetime.date | None
    row: int | None = None  # its row on the form, which the refusals name (empty rows are skipped)
