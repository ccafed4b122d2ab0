"""Approval sheets (审批单, issue 33): a document's chain printed as a form, from the recorded rows.

The sheet of a document prints its header (union, kind, title, year, the document number an official
output of it carries), the lines its kind adds (``DocumentKind.approval_lines``: an expenditure's line,
amount and payees), then every step in order: the body or person, the opinion, the decision, who and
when; a body's meeting with its date, attendance against the seats, votes and resolution; a written
decision with its reference number; each recipient's answer to a request for opinions.

A sheet is made "as of" its ``made_at``: the builder reads only the rows recorded up to that moment, and
a step finished later reads as still open, so rendering it again after the chain moved on gives the same
bytes (``services.rebuild``). The queries are a fixed handful whatever the chain's length: the items
with everyone they name in one read, the agenda items with their meetings in another.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from workflows import registry
from workflows.documents import document_visible_to
from workflows.models import (
    Comment,
    MeetingItem,
    OpinionAnswer,
    Resolution,
    WorkItem,
    WorkItemKind,
    WorkItemState,
)
from workflows.outputs.models import OfficialOutput, OutputKind
from workflows.outputs.services import Rendering, make_output, register_builder

TEMPLATE = "outputs/approval_sheet.html"
STYLESHEETS = ("sheet.css", "approval.css")
SIGNER_STEP = "add_signer"  # workflows.services.actions: a signer added before the holder (加签)


@dataclass(frozen=True)
class Vote:
    """A body's meeting on the step: the date, place, attendance against the seats, the votes."""

    held_on: datetime.date
    place: str
    attended: int
    seats: int
    quorum: bool
    votes_for: int
    votes_against: int
    votes_abstain: int
    needed: int


@dataclass(frozen=True)
class ChainRow:
    step: str  # the step's title
    by: str  # the body or the person the step was before
    decision: str
    who: str = ""  # full names, never usernames
    when: str = ""  # the date
    time: str = ""  # the time of day, for a person's step
    opinion: str = ""
    reference: str = ""  # a written decision's reference number (文号)
    vote: Vote | None = None
    pending: bool = False


@dataclass
class _Records:
    """The rows of one document's chain recorded up to the sheet's moment."""

    items: list[WorkItem]
    agenda: dict[int, list[MeetingItem]] = field(default_factory=dict)
    signer_opinions: dict[int, str] = field(default_factory=dict)


def _outcome_labels() -> dict[str, str]:
    labels = {**dict(Resolution.choices), **dict(OpinionAnswer.choices)}
    labels.update(
        submitted=_("submitted"),
        agree=_("agreed"),
        disagree=_("disagreed"),
        paid=_("paid"),
        carried_out=_("carried out as instructed"),
    )
    labels[Resolution.APPROVE] = _("approved")
    labels[Resolution.RETURN] = _("returned with opinions")
    return {key: str(value) for key, value in labels.items()}


def _moment(value: datetime.datetime | None, tz) -> dict[str, str]:
    """A step's date and time of day in the union's time zone (the sheet prints them on two lines)."""
    if value is None:
        return {}
    local = timezone.localtime(value, tz)
    return {"when": local.strftime("%Y-%m-%d"), "time": local.strftime("%H:%M")}


def _done_by(item: WorkItem, as_of: datetime.datetime) -> bool:
    return item.finished_at is not None and item.finished_at <= as_of


def _records(process_id: int | None, as_of: datetime.datetime) -> _Records:
    """The work items created up to ``as_of`` (with the people, bodies, opinion requests and written
    decisions they name), and the agenda items of meetings recorded up to it: two reads, and a third
    only where a signer was added before someone (their opinion is a comment on the step)."""
    if process_id is None:
        return _Records(items=[])
    items = list(
        WorkItem.objects.filter(process_id=process_id, created_at__lte=as_of)
        .exclude(state=WorkItemState.CANCELED, finished_at__lte=as_of)
        .select_related(
            "assignee",
            "acting_for",
            "finished_by",
            "body",
            "opinion_request__recipient",
            "opinion_request__on_behalf_of",
            "written_decision__body",
            "written_decision__recorded_by",
        )
        .order_by("id")  # the order the chain made them (a demo or a migration may backdate created_at)
    )
    agenda: dict[int, list[MeetingItem]] = {}
    for record in (
        MeetingItem.objects.filter(work_item__process_id=process_id, meeting__recorded_at__lte=as_of)
        .select_related("meeting__body", "meeting__recorded_by")
        .order_by("meeting__held_on", "meeting__recorded_at", "id")
    ):
        agenda.setdefault(record.work_item_id, []).append(record)
    signers = [i for i in items if i.step == SIGNER_STEP and _done_by(i, as_of)]
    return _Records(items=items, agenda=agenda, signer_opinions=_signer_opinions(signers, as_of))


def _signer_opinions(signers: list[WorkItem], as_of: datetime.datetime) -> dict[int, str]:
    """An added signer's answer is written as a comment on the step they signed before."""
    if not signers:
        return {}
    wanted = {(s.parent_id, s.assignee_id): s.pk for s in signers}
    comments = Comment.objects.filter(
        work_item_id__in={s.parent_id for s in signers},
        author_id__in={s.assignee_id for s in signers},
        created_at__lte=as_of,
    ).order_by("created_at", "id")
    found = {}
    for comment in comments:
        signer = wanted.get((comment.work_item_id, comment.author_id))
        if signer is not None:
            found[signer] = comment.text
    return found


def _person(item: WorkItem) -> str:
    """Who the step was before: the holder, and whom they acted for while that person was away (委托)."""
    name = str(item.assignee) if item.assignee_id else ""
    if item.acting_for_id:
        return _("%(name)s (for %(away)s)") % {"name": name, "away": item.acting_for}
    return name


def _step_title(item: WorkItem, kind) -> str:
    spec = kind.steps.get(item.step) if kind is not None else None
    return str(spec.title) if spec is not None and item.parent_id is None else _(item.step_title)


def _opinion_row(item: WorkItem, title: str, as_of, tz, labels) -> ChainRow:
    """One recipient of the opinions solicited from below (S2.2, S3.3): a union's chair for the union
    they answer for, or a member representative; their answer once given, "awaiting answer" before."""
    asked = item.opinion_request
    by = str(asked.recipient)
    if asked.on_behalf_of_id:
        by = f"{by}（{asked.on_behalf_of.name}）"
    if not _done_by(item, as_of):
        return ChainRow(step=title, by=by, decision=labels[OpinionAnswer.PENDING], pending=True)
    return ChainRow(
        step=title,
        by=by,
        decision=labels.get(item.outcome, item.outcome),
        who=str(asked.recipient) if item.outcome != OpinionAnswer.NO_REPLY else "",
        **_moment(asked.answered_at or item.finished_at, tz),
        opinion=asked.text,
    )


def _meeting_row(title: str, record: MeetingItem, labels) -> ChainRow:
    meeting = record.meeting
    if not meeting.has_quorum:
        decision = _("no quorum: nothing decided")
    elif record.not_passed:
        decision = _("not passed")
    elif record.resolution == Resolution.APPROVE:
        decision = _("passed: approved")
    else:
        decision = labels[Resolution.RETURN]
    return ChainRow(
        step=title,
        by=meeting.body.display_name,
        decision=decision,
        who=str(meeting.recorded_by),
        when=meeting.held_on.strftime("%Y-%m-%d"),
        opinion=record.opinions,
        vote=Vote(
            held_on=meeting.held_on,
            place=meeting.place,
            attended=meeting.attendee_count,
            seats=meeting.seats_in_force,
            quorum=meeting.has_quorum,
            votes_for=record.votes_for,
            votes_against=record.votes_against,
            votes_abstain=record.votes_abstain,
            needed=record.votes_needed,
        ),
    )


def _body_rows(item: WorkItem, title: str, records: _Records, as_of, tz, labels) -> list[ChainRow]:
    rows = [_meeting_row(title, record, labels) for record in records.agenda.get(item.pk, [])]
    written = getattr(item, "written_decision", None) if _done_by(item, as_of) else None
    if written is not None and written.recorded_at <= as_of:
        rows.append(
            ChainRow(
                step=title,
                by=written.body.display_name,
                decision=labels.get(written.resolution, written.resolution),
                who=str(written.recorded_by),
                when=written.decided_on.strftime("%Y-%m-%d"),
                opinion=written.opinions,
                reference=written.reference_number,
            )
        )
    if not _done_by(item, as_of):
        rows.append(ChainRow(step=title, by=item.body.display_name, decision=_("in progress"), pending=True))
    elif not rows:  # a body's step closed without a meeting or a written decision (a receipt, …)
        rows.append(
            ChainRow(
                step=title,
                by=item.body.display_name,
                decision=labels.get(item.outcome, item.outcome),
                who=str(item.finished_by) if item.finished_by_id else "",
                **_moment(item.finished_at, tz),
            )
        )
    return rows


def _person_row(item: WorkItem, title: str, records: _Records, as_of, tz, labels) -> ChainRow:
    if not _done_by(item, as_of):
        return ChainRow(step=title, by=_person(item), decision=_("in progress"), pending=True)
    if item.step == SIGNER_STEP:
        opinion = records.signer_opinions.get(item.pk, "")
    else:  # a holder's opinion is the item's note (services.personal); a drafter's step has none
        opinion = item.note if item.outcome in (Resolution.APPROVE, Resolution.RETURN) else ""
    return ChainRow(
        step=title,
        by=_person(item),
        decision=labels.get(item.outcome, item.outcome),
        who=str(item.finished_by) if item.finished_by_id else "",
        **_moment(item.finished_at, tz),
        opinion=opinion,
    )


def chain_rows(*, document_type: str, process_id: int | None, as_of, tz) -> list[ChainRow]:
    """Every step of the document's chain recorded up to ``as_of``, oldest first (the sheet's table)."""
    kind = registry.kind_or_none(document_type)
    records = _records(process_id, as_of)
    labels = _outcome_labels()
    rows: list[ChainRow] = []
    for item in records.items:
        title = _step_title(item, kind)
        if getattr(item, "opinion_request", None) is not None:
            rows.append(_opinion_row(item, title, as_of, tz, labels))
        elif item.kind == WorkItemKind.BODY:
            rows.extend(_body_rows(item, title, records, as_of, tz, labels))
        else:
            rows.append(_person_row(item, title, records, as_of, tz, labels))
    return rows


def official_number(*, document_type: str, document_id: int, as_of) -> str:
    """The document number (文号) its latest official output made up to ``as_of`` carries, or ""."""
    found = (
        OfficialOutput.objects.filter(
            document_type=document_type,
            document_id=document_id,
            kind=OutputKind.OFFICIAL,
            made_at__lte=as_of,
        )
        .exclude(number="")
        .order_by("-made_at", "-id")
        .values_list("number", flat=True)
        .first()
    )
    return found or ""


def _header(kind, document, output: OfficialOutput) -> list[tuple[str, str]]:
    lines = [
        (_("Union"), document.union.name),
        (_("Title"), document.title),
        (_("Year"), str(document.year)),
    ]
    number = official_number(
        document_type=output.document_type, document_id=output.document_id, as_of=output.made_at
    )
    if number:
        lines.append((_("Document number"), number))
    lines.append((_("Drafted or requested by"), str(document.drafter)))
    extra: Iterable = kind.approval_lines(document) if kind.approval_lines else ()
    return lines + [(str(label), str(value)) for label, value in extra]


def build_approval_sheet(output: OfficialOutput) -> Rendering:
    """The builder of OutputKind.APPROVAL_SHEET: the sheet as the records stood at ``output.made_at``."""
    kind = registry.kind(output.document_type)
    document = kind.document_model().objects.select_related("union", "drafter").get(pk=output.document_id)
    tz = document.union.tz
    with translation.override("zh-hans"):
        context = {
            "union_name": document.union.name,
            "sheet_title": _("%(kind)s approval sheet") % {"kind": kind.label},
            "header": [tuple(line) for line in output.header] or _header(kind, document, output),
            "rows": chain_rows(
                document_type=output.document_type,
                process_id=getattr(document, "process_id", None),
                as_of=output.made_at,
                tz=tz,
            ),
            "made_by": str(output.made_by) if output.made_by_id else "",
        }
    return Rendering(template=TEMPLATE, context=context, stylesheets=STYLESHEETS)


def make_approval_sheet(*, document_type: str, document_id: int, actor) -> OfficialOutput:
    """Print the document's approval sheet as of now and store it (listed on the document's page).
    Whoever may see the document may print it; anyone else is refused (PermissionDenied)."""
    kind = registry.kind(document_type)
    document = kind.document_model().objects.select_related("union", "drafter").get(pk=document_id)
    if actor is not None and not document_visible_to(
        user=actor, document_type=document_type, document=document
    ):
        raise PermissionDenied("the document is not shown to this person")
    now = timezone.now()
    output = OfficialOutput(
        union=document.union,
        kind=OutputKind.APPROVAL_SHEET,
        document_type=document_type,
        document_id=document.pk,
        made_on=timezone.localtime(now, document.union.tz).date(),
        made_by=actor,
        made_at=now,
    )
    with translation.override("zh-hans"):
        output.title = (_("%(title)s: approval sheet") % {"title": document.title})[:300]
        output.header = [list(line) for line in _header(kind, document, output)]
    return make_output(output)


register_builder(OutputKind.APPROVAL_SHEET, build_approval_sheet)
