"""Writing the rules (S4.1, S5.3): a new version drafted from the type's template, changed, sent to the
approving body, withdrawn; put in force when that body approves, superseding the version in force.

Who drafts: the union's office staff and the union committee's chair (``can_manage_seats``, as the roster):
the rules say how the union's bodies work, kept by those who keep its seats; a vice chair or the finance
officer, who draft documents, do not draft the rules. Refusals of what was typed are ValidationErrors
keyed by field, so the form shows each beside what was typed."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import BodyKind, Union, User
from core.selectors import UnionAccess, union_access
from core.services.events import event_record
from workflows import errors as spine_errors
from workflows.models import MeetingItem, WorkItem, WorkItemState, WrittenDecision
from workflows.services.drafting import document_withdraw, drafter_item
from workflows.services.workitems import assert_may_act, process_lock, work_item_complete

from . import errors, selectors
from .flows import APPROVAL_STEP, RulesFlow
from .models import RulesDocument, RulesStatus, RulesType, body_needed
from .templates import template_for


def drafts(access: UnionAccess) -> bool:
    """Who drafts the rules: the union's office staff and its chair (the module's docstring says why)."""
    return access.can_manage_seats


def _text_problems(*, title: str, text: str) -> dict[str, list]:
    problems: dict[str, list] = {}
    if not (title or "").strip():
        problems["title"] = [errors.NO_TITLE]
    if not (text or "").strip():
        problems["text"] = [errors.NO_TEXT]
    return problems


def _approver_kind(union: Union, rules_type: str) -> str:
    """The kind of the body that approves (selectors.approving_body), or a refusal naming the body the
    type needs."""
    body = selectors.approving_body(union=union, rules_type=rules_type)
    if body is None:
        label = BodyKind(body_needed(rules_type)).label
        raise ValidationError({"rules_type": [ValidationError(errors.NO_BODY, params={"body": label})]})
    return body.kind


def starting_text(*, union: Union, rules_type: str, from_template: bool = False) -> tuple[str, str]:
    """(title, text) a new version of the type starts from: the version in force where there is one (a
    revision) unless ``from_template``, else the shipped template (a single-person body's duty statement,
    S4.1)."""
    current = None if from_template else selectors.rules_in_force(union).get(rules_type)
    if current is not None:
        return current.title, current.text
    approver = selectors.approving_body(union=union, rules_type=rules_type)
    single = approver is not None and approver.kind != body_needed(rules_type)
    template = template_for(rules_type, union_name=union.name, single_person=single)
    return template.title, template.text


@transaction.atomic
def rules_create(*, actor: User, union: Union, rules_type: str, title: str, text: str) -> RulesDocument:
    """A new version of a type of rules, in draft, its chain started (S4.1, S5.3). One version of a type
    is on its way at a time."""
    if not drafts(union_access(user=actor, union=union)):
        raise PermissionDenied(errors.NOT_DRAFTER)
    if rules_type not in RulesType.values:
        raise ValidationError({"rules_type": [errors.UNKNOWN_TYPE]})
    problems = _text_problems(title=title, text=text)
    try:
        approver = _approver_kind(union, rules_type)
    except ValidationError as exc:
        problems.update(exc.error_dict)
    if not problems and selectors.open_version(union=union, rules_type=rules_type) is not None:
        problems["rules_type"] = [_in_progress(rules_type)]
    if problems:
        raise ValidationError(problems)
    document = RulesDocument(
        union=union,
        drafter=actor,
        year=timezone.localdate(timezone=union.tz).year,
        rules_type=rules_type,
        version=selectors.next_version(union=union, rules_type=rules_type),
        title=title.strip(),
        text=text.strip(),
        approver=approver,
    )
    document.full_clean(exclude=["process", "status"])
    try:
        with transaction.atomic():  # of two drafts started at once, the second is told
            document.save()
    except IntegrityError:
        raise ValidationError({"rules_type": [_in_progress(rules_type)]}) from None
    RulesFlow.start.run(document=document)
    document.refresh_from_db()
    event_record(
        verb="created",
        actor=actor,
        subject=document,
        union=union,
        to_state=document.status,
        detail={"rules_type": rules_type, "version": document.version},
    )
    return document


def _in_progress(rules_type: str) -> ValidationError:
    return ValidationError(errors.IN_PROGRESS, params={"title": RulesType(rules_type).label})


def rules_update(*, actor: User, document: RulesDocument, title: str, text: str) -> RulesDocument:
    """The drafter changes the title and the text while the rules are with them (draft or returned)."""
    with process_lock(document.process_id, document=document):
        item = drafter_item(document, locked=True)
        if item is None or item.assignee_id != actor.pk:
            raise PermissionDenied(errors.NOT_EDITABLE)
        problems = _text_problems(title=title, text=text)
        if problems:
            raise ValidationError(problems)
        document.title, document.text = title.strip(), text.strip()
        document.full_clean(exclude=["process"])
        document.save(update_fields=["title", "text"])
        event_record(verb="changed", actor=actor, subject=document, union=document.union)
    return document


def rules_submit(*, actor: User, document: RulesDocument) -> RulesDocument:
    """The drafter sends the rules to the body that approves them, found again now (S4.1: a body made
    single-person since the draft began has its duty statement approved by the union committee)."""
    with process_lock(document.process_id, document=document):
        item = drafter_item(document, locked=True)
        if item is None:
            raise ValidationError(spine_errors.TASK_CLOSED)
        assert_may_act(user=actor, work_item=item)
        problems = _text_problems(title=document.title, text=document.text)
        if problems:
            raise ValidationError(problems)
        approver = _approver_kind(document.union, document.rules_type)
        if approver != document.approver:
            document.approver = approver
            document.save(update_fields=["approver"])
        event_record(
            verb="submitted",
            actor=actor,
            subject=document,
            union=document.union,
            from_state=document.status,
            detail={"step": item.step, "approver": approver, "version": document.version},
        )
        work_item_complete(work_item=item, actor=actor, outcome="submitted")
    return document


def rules_withdrawable(document: RulesDocument) -> bool:
    """While on its way, returned included: withdrawing a new version leaves the one in force as it is."""
    return document.is_open


def rules_withdraw(*, actor: User, document: RulesDocument, reason: str = "") -> None:
    document_withdraw(
        actor=actor,
        document=document,
        reason=reason,
        not_withdrawable=errors.NOT_WITHDRAWABLE,
        may_withdraw=rules_withdrawable,
    )


def _approval(document: RulesDocument):
    """(meeting or None, date) of the approving body's decision: its meeting, or its written decision."""
    item = (
        WorkItem.objects.filter(
            process_id=document.process_id,
            step=APPROVAL_STEP[document.approver],
            state=WorkItemState.DONE,
        )
        .order_by("-finished_at", "-id")
        .first()
    )
    agenda = MeetingItem.objects.filter(work_item=item).select_related("meeting").last() if item else None
    if agenda is not None:
        return agenda.meeting, agenda.meeting.held_on
    written = WrittenDecision.objects.filter(work_item=item).first() if item else None
    if written is not None:
        return None, written.decided_on
    return None, timezone.localdate()


def rules_put_in_force(document: RulesDocument) -> None:
    """The chain's end (DocumentKind.put_in_force), inside the approving meeting's transaction: the
    version in force of the same type becomes superseded (kept, readable), this one is in force with the
    meeting that approved it."""
    meeting, approved_on = _approval(document)
    previous = (
        RulesDocument.objects.select_for_update()
        .filter(union_id=document.union_id, rules_type=document.rules_type, status=RulesStatus.IN_FORCE)
        .exclude(pk=document.pk)
        .first()
    )
    if previous is not None:  # first, so that the one-in-force constraint holds at every statement
        previous.status = RulesStatus.SUPERSEDED
        previous.superseded_by = document
        previous.superseded_on = approved_on
        previous.save(update_fields=["status", "superseded_by", "superseded_on"])
        event_record(
            verb="superseded",
            subject=previous,
            union=document.union,
            from_state=RulesStatus.IN_FORCE,
            to_state=RulesStatus.SUPERSEDED,
            detail={"by": document.pk, "version": document.version},
        )
    from_state = document.status
    document.status = RulesStatus.IN_FORCE
    document.in_force_since = timezone.now()
    document.meeting = meeting
    document.approved_on = approved_on
    document.save(update_fields=["status", "in_force_since", "meeting", "approved_on"])
    event_record(
        verb="in_force",
        subject=document,
        union=document.union,
        from_state=from_state,
        to_state=RulesStatus.IN_FORCE,
        detail={"version": document.version, "meeting": meeting.pk if meeting else None},
    )


def agenda_problem(item: WorkItem, title: str) -> str | None:
    """S4.1: a committee that has become single-person since its rules were sent to it cannot meet on them
    (the union committee approves a single member's duty statement)."""
    body = item.body
    if body is not None and body.is_single_person and body.kind != BodyKind.UNION_COMMITTEE:
        return str(errors.SINGLE_PERSON_MEETING % {"document": title, "body": body.display_name})
    return None
