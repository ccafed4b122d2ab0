"""Task actions users know from DingTalk, WeCom and OA suites: claim, release, transfer,
add a signer (加签), copy to (抄送), comment with mentions, delegate while away (委托), and the
handover of claimed tasks when a seat's term ends.

Every refusal raises PermissionDenied or ValidationError with a message from workflows.errors and is
written as an event by ``refused``. Claims are compare-and-set updates: of two people claiming at
the same moment exactly one wins; the other is told who got there first and when.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core.models import Body, BodyKind, BodyUserObjectPermission, Role, Seat, Union, User
from core.selectors import union_access, union_ancestors, union_descendants, unions_visible_to
from core.services.events import event_record
from workflows import errors
from workflows.circles import document_viewers
from workflows.documents import document_for, document_url, document_visible_to
from workflows.models import Attachment, Comment, CopyTo, Delegation, WorkItem, WorkItemKind, WorkItemState
from workflows.services.notify import notify
from workflows.services.workitems import AlreadyHandled, process_lock, user_may_act


def refused(*, actor, item: WorkItem | None, union=None, reason: str, exc: Exception) -> Exception:
    """Write the refusal as an event and return exc. Called before any transaction of the action
    opens, so the event stays when the action is refused."""
    event_record(
        verb="action_refused",
        actor=actor,
        union=union or (item.union if item else None),
        detail={"reason": reason, "work_item": item.pk if item else None, "message": str(exc)},
    )
    return exc


def _is_recorder(user: User, body: Body) -> bool:
    return BodyUserObjectPermission.objects.filter(
        user=user, content_object=body, permission__codename="record_decision"
    ).exists()


def _set_task_owner(item: WorkItem, owner: User | None) -> None:
    """Keep viewflow's task owner in step with the work item (same transaction)."""
    if item.task_id is None:
        return
    task = Task.objects.select_for_update().get(pk=item.task_id)
    task.owner = owner
    task.status = STATUS.ASSIGNED if owner is not None else STATUS.NEW
    task.save(update_fields=["owner", "status"])


def work_item_claim(*, item: WorkItem, user: User) -> WorkItem:
    if item.kind != WorkItemKind.BODY:
        raise refused(
            actor=user, item=item, reason="claim person task", exc=ValidationError(errors.CLAIM_PERSON_TASK)
        )
    if not _is_recorder(user, item.body):
        # a member of the body who does not record its decisions is told who does
        member = Seat.objects.in_force().filter(person=user, body_id=item.body_id).exists()
        message = errors.NOT_A_RECORDER if member else errors.CLAIM_NO_SEAT
        raise refused(
            actor=user,
            item=item,
            reason="claim by a member who does not record" if member else "claim without seat",
            exc=PermissionDenied(message % {"body": item.body.display_name}),
        )
    with process_lock(item.process_id):
        now = timezone.now()
        won = WorkItem.objects.filter(pk=item.pk, state=WorkItemState.OPEN, assignee__isnull=True).update(
            assignee=user, claimed_at=now
        )
        item.refresh_from_db()
        if won != 1:
            raise AlreadyHandled(item)
        _set_task_owner(item, user)
        event_record(verb="claimed", actor=user, subject=item, union=item.union, detail={"step": item.step})
    return item


def work_item_release(*, item: WorkItem, user: User) -> WorkItem:
    if item.kind != WorkItemKind.BODY:
        raise refused(
            actor=user, item=item, reason="release person task", exc=ValidationError(errors.CLAIM_PERSON_TASK)
        )
    with process_lock(item.process_id):
        released = WorkItem.objects.filter(pk=item.pk, state=WorkItemState.OPEN, assignee=user).update(
            assignee=None, claimed_at=None
        )
        item.refresh_from_db()
        if released != 1:
            if item.state != WorkItemState.OPEN:
                raise AlreadyHandled(item)
            raise refused(
                actor=user,
                item=item,
                reason="release not mine",
                exc=PermissionDenied(errors.RELEASE_NOT_YOURS),
            )
        _set_task_owner(item, None)
        event_record(verb="released", actor=user, subject=item, union=item.union, detail={"step": item.step})
    return item


def work_item_transfer(*, item: WorkItem, user: User, to: User, note: str = "") -> WorkItem:
    """转交 a body's task to another recorder of the same body, with a note."""
    if item.kind != WorkItemKind.BODY:
        raise refused(
            actor=user,
            item=item,
            reason="transfer person task",
            exc=ValidationError(errors.CLAIM_PERSON_TASK),
        )
    if not user_may_act(user=user, work_item=item):
        if item.state != WorkItemState.OPEN:
            raise AlreadyHandled(item)
        raise refused(
            actor=user, item=item, reason="transfer not allowed", exc=PermissionDenied(errors.NOT_YOUR_TASK)
        )
    if to.pk == user.pk:
        raise refused(
            actor=user, item=item, reason="transfer to self", exc=ValidationError(errors.TRANSFER_TO_SELF)
        )
    if not to.is_active or not _is_recorder(to, item.body):
        raise refused(
            actor=user,
            item=item,
            reason="transfer outside body",
            exc=ValidationError(
                errors.TRANSFER_OUTSIDE_BODY % {"person": to, "body": item.body.display_name}
            ),
        )
    with process_lock(item.process_id):
        moved = (
            WorkItem.objects.filter(pk=item.pk, state=WorkItemState.OPEN)
            .filter(Q(assignee__isnull=True) | Q(assignee=user))
            .update(assignee=to, claimed_at=timezone.now(), note=note)
        )
        item.refresh_from_db()
        if moved != 1:
            raise AlreadyHandled(item)
        _set_task_owner(item, to)
        event_record(
            verb="transferred", actor=user, subject=item, union=item.union, detail={"to": to.pk, "note": note}
        )
        notify(
            person=to,
            union=item.union,
            title=_("%(person)s transferred a task to you: %(step)s")
            % {"person": user, "step": item.step_title},
            body=note,
            url=document_url(item.document_type, item.document_id),
            key=f"transfer:{item.pk}:{to.pk}:{item.claimed_at.isoformat()}",
        )
    return item


def _may_see_union_documents(person: User, union: Union) -> bool:
    access = union_access(user=person, union=union)
    return access.is_officer or access.supervised or access.can_view


def signer_add(*, item: WorkItem, user: User, signer: User, note: str = "") -> WorkItem:
    """加签 before me: the signer gets a task; mine is blocked until they answer, then comes back."""
    _signer_refusal(item=item, user=user, signer=signer)
    with process_lock(item.process_id):
        blocked = WorkItem.objects.filter(pk=item.pk, state=WorkItemState.OPEN).update(
            state=WorkItemState.BLOCKED
        )
        item.refresh_from_db()
        if blocked != 1:
            raise AlreadyHandled(item)
        if item.kind == WorkItemKind.BODY and item.assignee_id is None:
            # the one who asks holds the step while the signer answers
            WorkItem.objects.filter(pk=item.pk).update(assignee=user, claimed_at=timezone.now())
            _set_task_owner(item, user)
        signer_item = _signer_item_create(item=item, signer=signer, note=note)
        event_record(
            verb="signer_added",
            actor=user,
            subject=item,
            union=item.union,
            detail={"signer": signer.pk, "note": note},
        )
        notify(
            person=signer,
            union=item.union,
            title=_("%(person)s asks for your opinion before deciding: %(document)s")
            % {"person": user, "document": item.document_title},
            body=note,
            url=document_url(item.document_type, item.document_id),
            key=f"signer:{signer_item.pk}",
        )
    return signer_item


def _signer_refusal(*, item: WorkItem, user: User, signer: User) -> None:
    """Why this person may not add this signer to this step (raised, and written as an event)."""
    if not user_may_act(user=user, work_item=item):
        if item.state not in (WorkItemState.OPEN,):
            raise AlreadyHandled(item)
        raise refused(
            actor=user, item=item, reason="add signer not allowed", exc=PermissionDenied(errors.NOT_YOUR_TASK)
        )
    if signer.pk == user.pk:
        raise refused(actor=user, item=item, reason="signer self", exc=ValidationError(errors.SIGNER_SELF))
    if not signer.is_active or not _may_see_union_documents(signer, item.union):
        raise refused(
            actor=user,
            item=item,
            reason="signer not visible",
            exc=ValidationError(errors.SIGNER_NOT_VISIBLE % {"person": signer}),
        )


def _signer_item_create(*, item: WorkItem, signer: User, note: str) -> WorkItem:
    """The signer's own task, due within three days and never after the step it precedes."""
    soon = timezone.now() + datetime.timedelta(days=3)
    return WorkItem.objects.create(
        task=None,
        parent=item,
        process=item.process,
        union=item.union,
        document_type=item.document_type,
        document_id=item.document_id,
        document_title=item.document_title,
        step="add_signer",
        step_title=(_("Signer's opinion: %(step)s") % {"step": item.step_title})[:100],
        kind=WorkItemKind.PERSON,
        assignee=signer,
        note=note,
        due_at=min(item.due_at, soon) if item.due_at else soon,
    )


def signer_answer(*, signer_item: WorkItem, user: User, agree: bool, text: str) -> WorkItem:
    """The added signer answers; the blocked step comes back to the one who asked."""
    if signer_item.parent_id is None or signer_item.assignee_id != user.pk:
        raise refused(
            actor=user, item=signer_item, reason="sign not mine", exc=PermissionDenied(errors.NOT_YOUR_TASK)
        )
    if not text.strip():
        raise ValidationError(errors.COMMENT_EMPTY)
    with process_lock(signer_item.process_id):
        now = timezone.now()
        done = WorkItem.objects.filter(pk=signer_item.pk, state=WorkItemState.OPEN).update(
            state=WorkItemState.DONE,
            finished_at=now,
            finished_by=user,
            outcome="agree" if agree else "disagree",
        )
        signer_item.refresh_from_db()
        if done != 1:
            raise AlreadyHandled(signer_item)
        parent = signer_item.parent
        Comment.objects.create(
            process=parent.process,
            document_type=parent.document_type,
            document_id=parent.document_id,
            union=parent.union,
            work_item=parent,
            author=user,
            text=(_("Signer agrees: %(text)s") if agree else _("Signer disagrees: %(text)s"))
            % {"text": text.strip()},
        )
        if not parent.signer_items.filter(state=WorkItemState.OPEN).exists():
            WorkItem.objects.filter(pk=parent.pk, state=WorkItemState.BLOCKED).update(
                state=WorkItemState.OPEN
            )
        event_record(
            verb="signer_answered",
            actor=user,
            subject=parent,
            union=parent.union,
            detail={"agree": agree, "text": text.strip()},
        )
        if parent.assignee_id:
            notify(
                person=parent.assignee,
                union=parent.union,
                title=_("%(person)s answered as added signer: %(document)s")
                % {"person": user, "document": parent.document_title},
                body=text.strip(),
                url=document_url(parent.document_type, parent.document_id),
                key=f"signed:{signer_item.pk}",
            )
    return signer_item


def _document_and_union(item_or_document_type, document_id=None):
    document = document_for(item_or_document_type)
    return document, document.union


def copy_to_add(*, document, document_type: str, user: User, people: list[User]) -> list[CopyTo]:
    """抄送 observers: they see the document read-only and are told when it moves.

    A copy opens the document to its observer, so only people of the document's union and the
    unions below it, and the supervisors of the unions above it, may be named: never a sibling's
    or an unrelated union's people. Each outsider is named in the refusal; nobody is copied."""
    if not document_visible_to(user=user, document_type=document_type, document=document):
        raise refused(
            actor=user,
            item=None,
            union=document.union,
            reason="copy without view",
            exc=PermissionDenied(errors.NOT_YOUR_TASK),
        )
    outsiders = _outside_copy_circle(union=document.union, people=people)
    if outsiders:
        problems = [ValidationError(errors.COPY_OUTSIDE, params={"person": str(p)}) for p in outsiders]
        raise refused(
            actor=user, item=None, union=document.union, reason="copy outside", exc=ValidationError(problems)
        )
    with transaction.atomic():
        made = _copy_to_create(document=document, document_type=document_type, user=user, people=people)
        event_record(
            verb="copied",
            actor=user,
            subject=document,
            union=document.union,
            detail={"people": [p.pk for p in people]},
        )
    return made


def _copy_to_create(*, document, document_type: str, user: User, people: list[User]) -> list[CopyTo]:
    made = []
    for person in people:
        copy, created = CopyTo.objects.get_or_create(
            process=document.process,
            person=person,
            defaults={
                "document_type": document_type,
                "document_id": document.pk,
                "document_title": str(document)[:200],
                "union": document.union,
                "added_by": user,
            },
        )
        if created:
            made.append(copy)
            notify(
                person=person,
                union=document.union,
                title=_("%(person)s copied you on: %(document)s") % {"person": user, "document": document},
                url=document_url(document_type, document.pk),
                key=f"copy:{copy.pk}",
            )
    return made


def _outside_copy_circle(*, union: Union, people: list[User]) -> list[User]:
    """Who of ``people`` may not be copied on a document of ``union``: the inactive, and whoever
    holds no seat in force in the union or a union below it nor a supervisor seat above it. One
    query, whatever the number of people (the tree's CTEs as subqueries)."""
    inside = set(
        Seat.objects.in_force()
        .filter(person_id__in=[p.pk for p in people])
        .filter(
            Q(union_id=union.pk)
            | Q(union__in=union_descendants(union=union))
            | Q(role=Role.SUPERVISOR, union__in=union_ancestors(union=union))
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    return [p for p in people if not p.is_active or p.pk not in inside]


def comment_add(
    *,
    document,
    document_type: str,
    author: User,
    text: str,
    work_item: WorkItem | None = None,
    files=(),
    mentions: Iterable[User] = (),
) -> tuple[Comment, list[User]]:
    """A comment on a document or one of its steps; the people it mentions are told, if they may see
    the document (the comment form offers only them: workflows.circles.document_viewers).

    Returns the comment and the mentioned people who were not told (they may not see it, or wrote it).
    """
    if not document_visible_to(user=author, document_type=document_type, document=document):
        raise refused(
            actor=author,
            item=work_item,
            union=document.union,
            reason="comment without view",
            exc=PermissionDenied(errors.NOT_YOUR_TASK),
        )
    if not text.strip():
        raise ValidationError(errors.COMMENT_EMPTY)
    with transaction.atomic():
        return _comment_create(
            document=document,
            document_type=document_type,
            author=author,
            text=text,
            work_item=work_item,
            files=files,
            mentions=list(mentions),
        )


def _writes_as_supervisor(author: User, union: Union) -> bool:
    """A supervisor of an upper union who is no member of the document's union: their comment is a
    supervisory comment (督导意见)."""
    access = union_access(user=author, union=union)
    return access.supervised and "view_union" not in access.direct


def _comment_create(*, document, document_type, author, text, work_item, files, mentions):
    comment = Comment.objects.create(
        process=document.process,
        document_type=document_type,
        document_id=document.pk,
        union=document.union,
        work_item=work_item,
        author=author,
        text=text.strip(),
        as_supervisor=_writes_as_supervisor(author, document.union),
    )
    for upload in files:
        Attachment.objects.create(
            union=document.union,
            comment=comment,
            document_type=document_type,
            document_id=document.pk,
            file=upload,
            name=upload.name[:200],
            size=upload.size,
            uploaded_by=author,
        )
    may_see = set(
        document_viewers(union=document.union, process_id=document.process_id)
        .filter(pk__in=[p.pk for p in mentions])
        .values_list("pk", flat=True)
    )
    told = [p for p in mentions if p.pk in may_see and p.pk != author.pk]
    comment.mentions.add(*told)
    for person in told:
        notify(
            person=person,
            union=document.union,
            title=_("%(person)s mentioned you on: %(document)s") % {"person": author, "document": document},
            body=text.strip()[:500],
            url=document_url(document_type, document.pk),
            key=f"mention:{comment.pk}:{person.pk}",
        )
    event_record(
        verb="commented",
        actor=author,
        subject=document,
        union=document.union,
        detail={"comment": comment.pk, "mentions": [p.pk for p in told]},
    )
    return comment, [p for p in mentions if p not in told]


def _shares_a_union(person: User, other: User) -> bool:
    visible = unions_visible_to(user=person).values("id")
    return Seat.objects.in_force().filter(person=other, union_id__in=visible).exists()


def delegation_create(
    *, person: User, substitute: User, starts_on: datetime.date, ends_on: datetime.date, note: str = ""
) -> Delegation:
    """委托 while away: tasks created inside the dates reach the substitute."""
    if substitute.pk == person.pk:
        raise refused(
            actor=person, item=None, reason="delegate self", exc=ValidationError(errors.DELEGATE_SELF)
        )
    if ends_on < starts_on:
        raise ValidationError(errors.DELEGATE_DATES)
    if ends_on < timezone.localdate():
        raise ValidationError(errors.DELEGATE_PAST)
    if not substitute.is_active or not _shares_a_union(person, substitute):
        raise refused(
            actor=person,
            item=None,
            reason="delegate not visible",
            exc=ValidationError(errors.DELEGATE_NOT_VISIBLE % {"person": substitute}),
        )
    with transaction.atomic():
        return _delegation_create(
            person=person, substitute=substitute, starts_on=starts_on, ends_on=ends_on, note=note
        )


def _delegation_create(*, person, substitute, starts_on, ends_on, note):
    delegation = Delegation.objects.create(
        person=person, substitute=substitute, starts_on=starts_on, ends_on=ends_on, note=note
    )
    event_record(
        verb="delegated",
        actor=person,
        subject=delegation,
        detail={"substitute": substitute.pk, "from": starts_on.isoformat(), "until": ends_on.isoformat()},
    )
    notify(
        person=substitute,
        union=None,
        title=_("%(person)s delegated their tasks to you from %(start)s to %(end)s")
        % {"person": person, "start": starts_on, "end": ends_on},
        body=note,
        key=f"delegation:{delegation.pk}",
    )
    return delegation


@transaction.atomic
def delegation_revoke(*, delegation: Delegation, user: User) -> Delegation:
    if delegation.person_id != user.pk:
        raise PermissionDenied(errors.NOT_YOUR_TASK)
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at"])
        event_record(verb="delegation_revoked", actor=user, subject=delegation)
    return delegation


def handover_claimed_items(*, user: User) -> int:
    """A seat's term ended: the person's claimed open body tasks go back to the body's queue, and
    the body's chair (or director) is told. Called after every permission sync of the person."""
    keep = BodyUserObjectPermission.objects.filter(user=user, permission__codename="record_decision").values(
        "content_object_id"
    )
    stale = list(
        WorkItem.objects.filter(assignee=user, kind=WorkItemKind.BODY, state=WorkItemState.OPEN)
        .exclude(body_id__in=keep)
        .select_related("body", "union")
    )
    for item in stale:
        WorkItem.objects.filter(pk=item.pk).update(assignee=None, claimed_at=None)
        _set_task_owner(item, None)
        event_record(verb="handed_back", actor=None, subject=item, union=item.union, detail={"from": user.pk})
        heads = Seat.objects.in_force().filter(
            body=item.body, role__in=[Role.CHAIR, Role.DIRECTOR, Role.SECRETARY]
        )
        if item.body.kind == BodyKind.CONGRESS:
            heads = heads.filter(role__in=[Role.CHAIR, Role.SECRETARY])
        for seat in heads.select_related("person"):
            notify(
                person=seat.person,
                union=item.union,
                title=_("A task returned to the %(body)s's queue: %(document)s")
                % {"body": item.body.display_name, "document": item.document_title},
                body=_("%(person)s's seat ended while the task was claimed.") % {"person": user},
                url=document_url(item.document_type, item.document_id),
                key=f"handover:{item.pk}:{user.pk}",
            )
    return len(stale)
