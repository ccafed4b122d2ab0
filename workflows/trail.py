"""A document's trail: what its page shows of the route it has travelled.

``document_trail`` reads the work items (with who holds and who finished them), the opinions, the
bodies' decisions (meetings and written decisions) with their files, the comments with theirs, the
people copied, the document's own attachments and its history, for any kind of document. The number
of queries is fixed whatever the trail's length: every part is one set-based read keyed by the
document's process or by its type and id, and the files of every part come in one read.

``who_acts`` adds what the viewer may do on each open item; ``chain_nodes`` lays the kind's chain of
steps out for the page's diagram.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, OuterRef, Q, Value

from core.models import BodyUserObjectPermission, Event, Seat
from core.selectors import UnionAccess
from workflows import registry
from workflows.history import history_rows
from workflows.models import (
    Attachment,
    Comment,
    CopyTo,
    MeetingItem,
    OpinionRequest,
    Resolution,
    WorkItem,
    WorkItemKind,
    WorkItemState,
)
from workflows.services.drafting import DRAFTER_STEPS
from workflows.services.workitems import REVISE_STEP


@dataclass(frozen=True)
class Filed:
    """A record of the trail (agenda item, written decision, comment) with the files attached to it."""

    record: Model
    files: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Returned:
    """Who returned a document, when, and what they said (for a vote that did not pass: its votes,
    then the opinions entered)."""

    item: WorkItem
    by: str
    on: Any
    opinions: str


@dataclass(frozen=True)
class DocumentTrail:
    document_type: str
    process_id: int | None
    items: tuple[WorkItem, ...] = ()  # oldest first
    opinions: tuple[OpinionRequest, ...] = ()  # by round
    meetings: tuple[Filed, ...] = ()  # MeetingItem records, by meeting date
    written: tuple[Filed, ...] = ()  # WrittenDecision records, by decision date
    comments: tuple[Filed, ...] = ()  # Comment records, oldest first
    copies: tuple[CopyTo, ...] = ()
    attachments: tuple[Attachment, ...] = ()  # the document's own files (comments' files included)
    events: tuple[Event, ...] = ()  # oldest first

    @property
    def open_items(self) -> list[WorkItem]:
        return [i for i in self.items if i.state == WorkItemState.OPEN]

    @property
    def open_steps(self) -> set[str]:
        return {i.step for i in self.items if i.state == WorkItemState.OPEN}

    @property
    def done_steps(self) -> set[str]:
        return {i.step for i in self.items if i.state == WorkItemState.DONE}

    @property
    def drafter_item(self) -> WorkItem | None:
        """The drafter's open item, as services.drafting.drafter_item finds it."""
        mine = [i for i in self.open_items if i.step in DRAFTER_STEPS]
        return max(mine, key=lambda i: i.pk) if mine else None

    def editable_by(self, user) -> bool:
        item = self.drafter_item
        return item is not None and item.assignee_id == user.pk

    @property
    def steps(self) -> dict[int, WorkItem]:
        """The steps a comment may be on: the items that are not an added signer's."""
        return {i.pk: i for i in self.items if i.parent_id is None}

    @property
    def current_step(self) -> int | None:
        return next(
            (i.pk for i in reversed(self.items) if i.state == WorkItemState.OPEN and i.parent_id is None),
            None,
        )

    @property
    def decisions(self) -> bool:
        return bool(self.meetings or self.written)

    @property
    def last_return(self) -> Returned | None:
        """While the drafter revises a returned document: the decision that returned it, with its
        opinion (a meeting's agenda item or a written decision), for the banner on its pages."""
        return _returned(self.items, [f.record for f in self.meetings])


def _returned(items, agenda) -> Returned | None:
    """The return being revised among a process's items (with their written decisions) and agenda."""
    if not any(i.step == REVISE_STEP and i.state == WorkItemState.OPEN for i in items):
        return None
    returned = [i for i in items if i.state == WorkItemState.DONE and i.outcome == Resolution.RETURN]
    if not returned:
        return None
    item = max(returned, key=lambda i: (i.finished_at, i.pk))
    decided = [record for record in agenda if record.work_item_id == item.pk]
    written = _related(item, "written_decision")
    if decided:
        meeting = decided[-1].meeting
        return Returned(
            item=item, by=meeting.body.display_name, on=meeting.held_on, opinions=decided[-1].return_reason
        )
    if written is not None:
        return Returned(
            item=item, by=written.body.display_name, on=written.decided_on, opinions=written.opinions
        )
    return Returned(item=item, by=item.step_title, on=item.finished_at.date(), opinions="")


def last_return(*, document) -> Returned | None:
    """The banner's return for a page that does not read the whole trail (the edit pages): two reads."""
    process_id = getattr(document, "process_id", None)
    if process_id is None:
        return None
    items = list(
        WorkItem.objects.filter(process_id=process_id)
        .filter(Q(state=WorkItemState.OPEN, step=REVISE_STEP) | Q(outcome=Resolution.RETURN))
        .select_related("written_decision__body")
    )
    if len(items) < 2:
        return None
    agenda = MeetingItem.objects.filter(work_item__in=[i for i in items if i.state == WorkItemState.DONE])
    return _returned(items, list(agenda.select_related("meeting__body").order_by("meeting__held_on", "id")))


def chain_nodes(*, trail: DocumentTrail, document) -> list[dict]:
    """The kind's chain for the page's diagram: each step current (open), done, or pending, then the
    final state. While the drafter revises a returned document, its draft step is the current one, the
    step that returned it is marked, and so is the step the revision goes back to."""
    kind = registry.kind_or_none(trail.document_type)
    if kind is None:
        return []
    open_steps, done_steps = trail.open_steps, trail.done_steps
    end = kind.end_status
    finished = document.status == end
    returned = trail.last_return
    returned_at = returned.item.step if returned else None
    restart_at = (getattr(document, "restart_step", "") or returned_at) if returned else None
    rows = []
    for step in kind.chain_of(document):
        if step in open_steps or (step == "draft" and "revise" in open_steps):
            state = "current"
        elif step in done_steps or finished:
            state = "done"
        else:
            state = "pending"
        rows.append(
            {
                "step": step,
                "title": kind.steps[step].title,
                "state": state,
                "returned": step == returned_at,  # the step whose body returned it
                "restart": step == restart_at,  # where the chain goes on after the revision
            }
        )
    rows.append(
        {
            "step": end,
            "title": _states(document).get(end, end),
            "state": "done" if finished else "pending",
        }
    )
    return rows


def _states(document) -> dict:
    """The labels of the document's statuses (its kind's choices)."""
    status = next((f for f in document._meta.fields if f.name == "status"), None)
    return dict(status.flatchoices) if status is not None else {}


def _related(instance: Model, name: str):
    """A reverse one-to-one read with select_related, or None where there is no row."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def _events(document) -> list[Event]:
    return list(
        Event.objects.filter(subject_type=document._meta.label_lower, subject_id=str(document.pk))
        .select_related("actor")
        .order_by("created_at", "id")
    )


def _process_parts(process_id: int, document_type: str, document_id: int):
    # Opinions and written decisions come with their work items (each belongs to one item).
    items = list(
        WorkItem.objects.filter(process_id=process_id)
        .select_related(
            "assignee",
            "body",
            "finished_by",
            "opinion_request__recipient",
            "opinion_request__on_behalf_of",
            "written_decision__body",
        )
        .order_by("id")
    )
    agenda = list(
        MeetingItem.objects.filter(work_item__process_id=process_id)
        .select_related("meeting__body")
        .order_by("meeting__held_on", "id")
    )
    comments = list(
        Comment.objects.filter(document_type=document_type, document_id=document_id)
        .select_related("author", "work_item")
        .annotate(mentioned=_mentioned_names())
        .order_by("created_at", "id")
    )
    copies = list(
        CopyTo.objects.filter(process_id=process_id).select_related("person").order_by("created_at")
    )
    return items, agenda, comments, copies


def _mentioned_names() -> ArraySubquery:
    """The names of the people a comment mentions, in the comments' own query (issue 25)."""
    mentions = Comment.mentions.through.objects.filter(comment_id=OuterRef("pk")).order_by("id")
    return ArraySubquery(mentions.values("user__full_name"))


def document_trail(
    *, document, document_type: str = "", verb_labels: Mapping[str, Any] | None = None
) -> DocumentTrail:
    """Everything the document page shows of the document's route, in at most six queries.

    ``document_type`` keys the comments and attachments (a document kind without one, such as the
    execution analysis, has only its history); ``verb_labels`` name the kind's own event verbs.
    """
    process_id = getattr(document, "process_id", None)
    items, agenda, comments, copies = (
        _process_parts(process_id, document_type, document.pk) if process_id else ([], [], [], [])
    )
    opinions = sorted(
        filter(None, (_related(i, "opinion_request") for i in items)), key=lambda o: (o.round, o.pk)
    )
    written = sorted(
        filter(None, (_related(i, "written_decision") for i in items)), key=lambda w: (w.decided_on, w.pk)
    )
    files = _files(document, document_type, agenda, written, comments)
    by_meeting, by_written, by_comment, own = files
    return DocumentTrail(
        document_type=document_type,
        process_id=process_id,
        items=tuple(items),
        opinions=tuple(opinions),
        meetings=tuple(Filed(m, tuple(by_meeting.get(m.meeting_id, ()))) for m in agenda),
        written=tuple(Filed(w, tuple(by_written.get(w.pk, ()))) for w in written),
        comments=tuple(Filed(c, tuple(by_comment.get(c.pk, ()))) for c in comments),
        copies=tuple(copies),
        attachments=tuple(own),
        events=tuple(
            history_rows(
                _events(document),
                document_type=document_type,
                states=_states(document),
                verb_labels=verb_labels or {},
                items=items,
                opinions=opinions,
            )
        ),
    )


def _files(document, document_type: str, agenda, written, comments):
    """Every file of the trail in one read: the document's own, its meetings', its written decisions'
    and its comments'."""
    meeting_ids = {m.meeting_id for m in agenda}
    written_ids = [w.pk for w in written]
    comment_ids = [c.pk for c in comments]
    wanted = (
        Q(meeting_id__in=meeting_ids) | Q(written_decision_id__in=written_ids) | Q(comment_id__in=comment_ids)
    )
    if document_type:
        wanted |= Q(document_type=document_type, document_id=document.pk)
    elif not (meeting_ids or written_ids or comment_ids):
        return {}, {}, {}, []
    by_meeting: dict[int, list[Attachment]] = {}
    by_written: dict[int, list[Attachment]] = {}
    by_comment: dict[int, list[Attachment]] = {}
    own: list[Attachment] = []
    for a in Attachment.objects.filter(wanted).select_related("uploaded_by").order_by("uploaded_at", "id"):
        if a.meeting_id in meeting_ids:
            by_meeting.setdefault(a.meeting_id, []).append(a)
        if a.written_decision_id is not None:
            by_written.setdefault(a.written_decision_id, []).append(a)
        if a.comment_id is not None:
            by_comment.setdefault(a.comment_id, []).append(a)
        if document_type and a.document_type == document_type and a.document_id == document.pk:
            own.append(a)
    return by_meeting, by_written, by_comment, own


def who_acts(*, trail: DocumentTrail, user, access: UnionAccess, drafter_id: int | None) -> list[dict]:
    """Who must act now, with the task actions the viewer may take on each open item, and urge (催办)
    for the drafter and the supervisors above."""
    open_items = trail.open_items
    recorder_of, member_of = _viewer_bodies(user, {i.body_id for i in open_items if i.body_id})
    may_urge = bool(open_items) and (drafter_id == user.pk or access.supervised)
    rows = []
    for item in open_items:
        is_body = item.kind == WorkItemKind.BODY
        records = is_body and item.body_id in recorder_of
        may_act = (
            item.assignee_id == user.pk if not is_body else records and item.assignee_id in (None, user.pk)
        )
        rows.append(
            {
                "item": item,
                "records": records,  # the viewer records decisions for the item's body
                "member": is_body and item.body_id in member_of,  # the viewer holds a seat in it
                "can_claim": records and item.assignee_id is None,
                "can_release": is_body and item.assignee_id == user.pk,
                "can_transfer": is_body and may_act,
                "can_add_signer": may_act and item.parent_id is None,
                "can_answer": item.parent_id is not None and item.assignee_id == user.pk,
                "can_urge": may_urge and not may_act,
            }
        )
    return rows


def _viewer_bodies(user, body_ids: set[int]) -> tuple[set[int], set[int]]:
    """Of these bodies, those the viewer records decisions for and those where they hold a seat in
    force today: one query."""
    if not body_ids:
        return set(), set()
    records = BodyUserObjectPermission.objects.filter(
        user=user, permission__codename="record_decision", content_object_id__in=body_ids
    )
    seats = Seat.objects.in_force().filter(person=user, body_id__in=body_ids)
    recorder_of, member_of = set(), set()
    both = (
        records.order_by()
        .values_list("content_object_id", Value(True))
        .union(seats.order_by().values_list("body_id", Value(False)))
    )
    for body_id, is_record in both:
        (recorder_of if is_record else member_of).add(body_id)
    return recorder_of, member_of


def body_step_of_viewer(rows: list[dict]) -> dict | None:
    """The open step the viewer's own body holds (they hold a seat in it), for the notice that replaces
    "you see it read-only": a Party organisation's secretary is told the body must decide and that
    they record it, a member who does not record is told who does."""
    return next((row for row in rows if row["member"]), None)
