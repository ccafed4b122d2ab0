"""Collective steps: meetings and written decisions (the opinion answers: workflows.services.opinions).

A body's step is completed only by recording its meeting (quorum and votes per the body's rules)
or its written decision. Only an open work item of the body's own step can be decided, and such an
item exists only after the earlier body approved: that is the order rule (S2.2, S3.3, S3.5).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from viewflow.workflow.models import Process

from core.models import Body, BodyUserObjectPermission, DecisionMode, Seat, User, VoteBase
from core.services.events import event_record, events_collected
from core.services.statutory import committee_meeting_code, obligation_meet_for_day
from workflows import errors, memo, registry
from workflows.documents import (
    decision_check,
    decision_check_item,
    document_for,
    document_model,
    through_item,
)
from workflows.models import (
    Attachment,
    Meeting,
    MeetingItem,
    Resolution,
    ReturnRule,
    WorkItem,
    WorkItemKind,
    WorkItemState,
    WrittenDecision,
)
from workflows.services.member_congress import member_congress_size, members_present_checked
from workflows.services.outcomes import Outcome, outcome_notify
from workflows.services.workitems import (
    AlreadyHandled,
    DocumentBusy,
    assert_may_act,
    process_lock,
    work_item_complete,
    work_item_reload,
)


def fraction_reached(count: int, base: int, numerator: int, denominator: int, strict: bool) -> bool:
    """count/base > (or >=) numerator/denominator, in integers (no float rounding)."""
    if base <= 0:
        return False
    left, right = count * denominator, numerator * base
    return left > right if strict else left >= right


def needed_for(base: int, numerator: int, denominator: int, strict: bool) -> int:
    """The smallest count that reaches the fraction of base."""
    for count in range(0, base + 1):
        if fraction_reached(count, base, numerator, denominator, strict):
            return count
    return base + 1


@dataclass
class AgendaVote:
    work_item_id: int
    resolution: str
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0
    opinions: str = ""


@dataclass
class MeetingResult:
    meeting: Meeting
    decided: list[WorkItem] = field(default_factory=list)
    not_passed: list[MeetingItem] = field(default_factory=list)  # approvals short of votes: returned


def pending_items_of_body(*, body: Body):
    """The body's open items, each with ``through``: the id of the open item (a report's) that decides it
    with its own resolution, or None when the body decides it on its own (S2.3, S3.5)."""
    items = WorkItem.objects.filter(body=body, state=WorkItemState.OPEN, kind=WorkItemKind.BODY)
    through = through_item()
    if through is not None:
        items = items.annotate(through=through)
    return items.order_by("created_at")


def _document_title(item: WorkItem) -> str:
    return str(document_for(item))


def decision_recorded(
    *, item: WorkItem, resolution: str, actor: User | None, opinions: str, via: str, not_passed=None
) -> None:
    """Mark the document decided and, on a return, set where the revision restarts. ``not_passed``:
    the votes of an approval that did not pass, for the event (the trail says 未通过, not 退回)."""
    document = document_for(item)
    fields = []
    if not document.decided:
        document.decided = True
        fields.append("decided")
    if resolution == Resolution.RETURN:
        rule = ReturnRule.objects.filter(
            union_id=item.union_id, document_type=item.document_type, returning_step=item.step
        ).first()
        document.restart_step = rule.restart_step if rule else item.step
        fields.append("restart_step")
    if fields:
        document.save(update_fields=fields)
    event_record(
        verb="approved" if resolution == Resolution.APPROVE else "returned",
        actor=actor,
        subject=document,
        union=document.union,
        from_state=item.step,
        detail={
            "step": item.step,
            "opinions": opinions,
            "via": via,
            "restart_step": document.restart_step,
            **({"not_passed": True, **not_passed} if not_passed else {}),
        },
    )
    outcome_notify(
        document=document,
        document_type=item.document_type,
        outcome=Outcome.APPROVED if resolution == Resolution.APPROVE else Outcome.RETURNED,
        by=item.body.display_name if item.body_id else item.step_title,
        # a vote that did not pass is told with its votes, as the trail shows it
        opinions=MeetingItem.not_passed_text(**not_passed, opinions=opinions) if not_passed else opinions,
        occasion=f"decided:{item.pk}",
    )


def meeting_record(*, recorder: User, votes: list[AgendaVote], **kwargs) -> MeetingResult:
    """Record a body's meeting (below). Documents that may be decided only within a window (S3.4, a
    budget adjustment) are checked first, outside the transaction, so that a refusal's event stays."""
    decision_check(work_item_ids=[v.work_item_id for v in votes], actor=recorder)
    # The scope and the step's events last as long as the meeting's transaction, which locks the
    # processes.
    with memo.step_scope(), transaction.atomic(), events_collected():
        return _meeting_record(recorder=recorder, votes=votes, **kwargs)


def _meeting_record(
    *,
    body: Body,
    recorder: User,
    held_on: datetime.date,
    place: str,
    attendee_ids: list[int],
    votes: list[AgendaVote],
    minutes: str = "",
    files: list = (),
    members_present: int | None = None,
) -> MeetingResult:
    """Record a body's meeting and decide its agenda in one transaction. ``members_present``: how many
    attended a member congress (S5.3), which ticks no seats."""
    _meeting_refusal(body=body, recorder=recorder, held_on=held_on, votes=votes, minutes=minutes)
    seated, attendees, sits, present = _presence(
        body=body, held_on=held_on, attendee_ids=attendee_ids, members_present=members_present
    )
    has_quorum = fraction_reached(
        present, sits, body.quorum_numerator, body.quorum_denominator, body.quorum_strict
    )
    items, bound = _agenda_locked(body=body, votes=votes)
    base = sits if body.pass_base == VoteBase.ALL_MEMBERS else present
    problems = meeting_problems(items=items, votes=votes, attendees=present)
    if problems:
        raise ValidationError(problems)
    meeting = _meeting_create(
        body=body,
        recorder=recorder,
        held_on=held_on,
        place=place,
        seated=seated,
        attendees=attendees,
        counts=(sits, present),
        has_quorum=has_quorum,
        minutes=minutes,
        files=files,
    )
    result = MeetingResult(meeting=meeting)
    _agenda_decide(meeting=meeting, items=items, bound=bound, votes=votes, base=base, result=result)
    if has_quorum:
        _meet_committee_obligation(meeting)
    event_record(
        verb="meeting_recorded",
        actor=recorder,
        subject=meeting,
        union=body.union,
        detail={
            "body": body.kind,
            "held_on": held_on.isoformat(),
            "attendees": present,
            "seats": sits,
            "quorum": has_quorum,
            "items": [v.work_item_id for v in votes],
        },
    )
    return result


def _meeting_create(
    *,
    body: Body,
    recorder: User,
    held_on,
    place: str,
    seated: set,
    attendees: set,
    counts: tuple[int, int],
    has_quorum: bool,
    minutes: str,
    files,
) -> Meeting:
    meeting = Meeting.objects.create(
        body=body,
        held_on=held_on,
        place=place,
        seats_in_force=counts[0],
        attendee_count=counts[1],
        has_quorum=has_quorum,
        minutes=minutes,
        recorded_by=recorder,
        recorded_on_behalf=recorder.pk not in seated,  # no seat in force on the meeting day
    )
    Meeting.attendees.through.objects.bulk_create(
        [Meeting.attendees.through(meeting=meeting, user_id=pk) for pk in sorted(attendees)]
    )
    for upload in files:
        Attachment.objects.create(
            union=body.union,
            meeting=meeting,
            file=upload,
            name=upload.name[:200],
            size=upload.size,
            uploaded_by=recorder,
        )
    return meeting


def _meeting_refusal(
    *, body: Body, recorder: User, held_on: datetime.date, votes: list[AgendaVote], minutes: str
) -> None:
    """What refuses the whole meeting before anything is read: who records, how the body decides, when."""
    if not user_may_act_for_body(user=recorder, body=body):
        raise PermissionDenied(errors.MEETING_NOT_RECORDER)
    if body.decision_mode != DecisionMode.MEETING:
        raise ValidationError(
            errors.DECISION_WRONG_MODE,
            params={"body": body.display_name, "mode": body.get_decision_mode_display()},
        )
    if held_on > timezone.localdate():
        raise ValidationError(errors.MEETING_IN_FUTURE)
    if not votes and committee_meeting_code(body) is None:
        raise ValidationError(errors.MEETING_NO_ITEMS)
    if not votes and not minutes.strip():
        # S4.1: a committee's regular meeting may have no document before it, but it has topics
        raise ValidationError(errors.MEETING_NO_TOPICS)


def _presence(
    *, body: Body, held_on: datetime.date, attendee_ids, members_present: int | None
) -> tuple[set[int], set[int], int, int]:
    """(seat holders, attendees ticked, how many sit, how many attended): the seats in force and the
    attendees among them, or at a member congress (S5.3) the members on the day and the number
    entered — the seat holders still say whether the recorder sat."""
    size = member_congress_size(body=body, day=held_on)
    if size is None:
        seated, attendees = _seated_attendees(body=body, held_on=held_on, attendee_ids=attendee_ids)
        return seated, attendees, len(seated), len(attendees)
    seated, _nobody = _seated_attendees(body=body, held_on=held_on, attendee_ids=[])
    return seated, set(), size, members_present_checked(members_present, size=size)


def _seated_attendees(*, body: Body, held_on: datetime.date, attendee_ids) -> tuple[set[int], set[int]]:
    """The seats in force on the meeting day (the quorum's denominator) and the attendees, all seated."""
    seated = set(Seat.objects.filter(body=body).in_force(held_on).values_list("person_id", flat=True))
    attendees = set(attendee_ids)
    strangers = attendees - seated
    if strangers:
        names = "、".join(str(u) for u in User.objects.filter(pk__in=strangers))
        raise ValidationError(
            errors.MEETING_ATTENDEE_NO_SEAT,
            params={"names": names, "body": body.display_name, "date": held_on},
        )
    return seated, attendees


def _agenda_locked(*, body: Body, votes: list[AgendaVote]) -> tuple[dict[int, WorkItem], dict[int, list]]:
    """The agenda's items of this body and the items their documents bind, every process locked.

    All processes are locked up front, in ascending id, in one statement: two meetings with
    overlapping agendas cannot deadlock; the loser is told to retry (NOWAIT). The documents and their
    unions come with the locked rows (outer joins: only the process rows are locked)."""
    voted = [v.work_item_id for v in votes]
    pending = list(pending_items_of_body(body=body))
    # the agenda's items (an item no longer open is read as it is, and reported by meeting_problems)
    items = {i.pk: i for i in pending if i.pk in voted}
    closed = set(voted) - set(items)
    if closed:
        items.update((i.pk, i) for i in WorkItem.objects.filter(pk__in=closed, body=body))
    bound: dict[int, list[WorkItem]] = {}
    for other in pending:
        if getattr(other, "through", None) in items:
            bound.setdefault(other.through, []).append(other)
    others = [o for v in bound.values() for o in v]
    process_ids = sorted({i.process_id for i in items.values()} | {o.process_id for o in others})
    kinds = {i.document_type for i in items.values()} | {o.document_type for o in others}
    documents = sorted({f"{registry.kind(kind).process_attr}__union" for kind in kinds})
    try:
        locked = list(
            Process.objects.filter(pk__in=process_ids)
            .select_related(*documents)
            .order_by("pk")
            .select_for_update(nowait=True, of=("self",))
        )
    except DatabaseError as exc:
        raise DocumentBusy from exc
    for process in locked:
        memo.keep_process(process)  # the agenda's documents are read again through these rows
    return items, bound


def meeting_problems(*, items: dict, votes: list[AgendaVote], attendees: int) -> list[str]:
    """Why the agenda cannot be decided as recorded, one message per problem (nothing is written). A
    document a report before the body binds (``through``, pending_items_of_body) is no item of its own."""
    problems = []
    for vote in votes:
        item = items.get(vote.work_item_id)
        if item is None:
            problems.append(str(errors.MEETING_ITEM_FOREIGN))
            continue
        through = getattr(item, "through", None)
        if through is not None:
            problems.append(_through_problem(item=item, report=items.get(through), report_id=through))
            continue
        work_item_reload(item)
        problems.extend(_vote_problems(item=item, vote=vote, attendees=attendees))
    return problems


def _through_problem(*, item: WorkItem, report: WorkItem | None, report_id: int) -> str:
    """A document a report before the body binds is decided with that report, never on its own (S2.3,
    S3.5): the message names the report, on the agenda or not."""
    if report is not None:
        return str(
            errors.REPORT_BOUND_ON_AGENDA
            % {"document": _document_title(item), "report": report.document_title}
        )
    title = WorkItem.objects.filter(pk=report_id).values_list("document_title", flat=True).first()
    return str(errors.DECIDED_THROUGH_REPORT % {"document": _document_title(item), "report": title or ""})


def _vote_problems(*, item: WorkItem, vote: AgendaVote, attendees: int) -> list[str]:
    """What refuses one agenda item as recorded: not pending, refused by its kind, more votes than
    attendees, a chosen return without opinions."""
    title = _document_title(item)
    if item.state != WorkItemState.OPEN:
        return [str(errors.MEETING_ITEM_NOT_PENDING % {"document": title})]
    kind = registry.kind(item.document_type)
    refused = kind.agenda_problem(item, title) if kind.agenda_problem else None
    if refused:
        return [refused]
    problems = []
    cast = vote.votes_for + vote.votes_against + vote.votes_abstain
    if cast > attendees:
        problems.append(
            str(errors.MEETING_VOTES_EXCEED % {"document": title, "votes": cast, "attendees": attendees})
        )
    # An approval short of votes is not refused: it is recorded as not passed (_agenda_decide) and
    # needs no opinions; only a return the body chose must say what to change.
    if vote.resolution == Resolution.RETURN and not vote.opinions.strip():
        problems.append(f"“{title}”：{errors.RETURN_NEEDS_REASON}")
    return problems


def _agenda_decide(
    *, meeting: Meeting, items: dict, bound: dict, votes: list[AgendaVote], base: int, result
) -> None:
    """Each agenda item's votes, and with a quorum its decision, for it and the documents it binds.

    With a quorum, an approval whose votes for fall short of the pass fraction is decided as a return
    (the flows route it where the return rules say) and recorded as not passed, its votes the reason."""
    body = meeting.body
    for vote in votes:
        item = items[vote.work_item_id]
        decided_items = [item, *bound.get(item.pk, [])]
        resolution, passed, not_passed = _vote_outcome(
            vote=vote, body=body, base=base, quorum=meeting.has_quorum
        )
        records = MeetingItem.objects.bulk_create(
            [
                MeetingItem(
                    meeting=meeting,
                    work_item=decided,
                    votes_for=vote.votes_for,
                    votes_against=vote.votes_against,
                    votes_abstain=vote.votes_abstain,
                    resolution=resolution,
                    passed=passed,
                    opinions=vote.opinions,
                )
                for decided in decided_items
            ]
        )
        if not meeting.has_quorum:
            continue
        if not_passed:
            result.not_passed.append(records[0])
        for decided in decided_items:
            decision_recorded(
                item=decided,
                resolution=resolution,
                actor=meeting.recorded_by,
                opinions=vote.opinions,
                via="meeting",
                not_passed=not_passed,
            )
            work_item_complete(work_item=decided, actor=meeting.recorded_by, outcome=resolution)
            result.decided.append(decided)


def _vote_outcome(*, vote: AgendaVote, body: Body, base: int, quorum: bool) -> tuple[str, bool, dict | None]:
    """(resolution, passed, the votes of an approval that did not pass) of one agenda item.

    ``passed``: the resolution recorded was carried at a meeting with quorum (MeetingItem)."""
    reached = fraction_reached(
        vote.votes_for, base, body.pass_numerator, body.pass_denominator, body.pass_strict
    )
    if vote.resolution == Resolution.RETURN:
        return Resolution.RETURN, quorum, None
    if reached or not quorum:
        return Resolution.APPROVE, quorum and reached, None
    needed = needed_for(base, body.pass_numerator, body.pass_denominator, body.pass_strict)
    votes = {
        "votes_for": vote.votes_for,
        "votes_against": vote.votes_against,
        "votes_abstain": vote.votes_abstain,
        "votes_needed": needed,
    }
    return Resolution.RETURN, False, votes


def _meet_committee_obligation(meeting: Meeting) -> None:
    """S4.1: a committee meeting with quorum counts as the regular meeting of the period it falls in."""
    code = committee_meeting_code(meeting.body)
    if code is not None:
        obligation_meet_for_day(
            union=meeting.body.union, code=code, day=meeting.held_on, by=f"meeting:{meeting.pk}"
        )


def user_may_act_for_body(*, user: User, body: Body) -> bool:
    return BodyUserObjectPermission.objects.filter(
        user=user, content_object=body, permission__codename="record_decision"
    ).exists()


# No outer transaction.atomic here or in opinion_answer: process_lock opens the transaction. Nested in
# a savepoint, a NOWAIT lock that fails while another recorder's decision commits aborts the whole
# request (a 500); as the outermost block, viewflow's lock retries and the loser is told who decided.
def written_decision_record(
    *,
    work_item: WorkItem,
    recorder: User,
    resolution: str,
    reference_number: str,
    decided_on: datetime.date,
    opinions: str = "",
    scan=None,
) -> WrittenDecision:
    """A body deciding in writing, e.g. the Party organisation's reply (批复) with its number and scan."""
    body = work_item.body
    assert_may_act(user=recorder, work_item=work_item)
    if body.decision_mode != DecisionMode.WRITTEN:
        raise ValidationError(
            errors.DECISION_WRONG_MODE,
            params={"body": body.display_name, "mode": body.get_decision_mode_display()},
        )
    if resolution == Resolution.RETURN and not opinions.strip():
        raise ValidationError(errors.RETURN_NEEDS_REASON)
    if decided_on > timezone.localdate():
        raise ValidationError(errors.MEETING_IN_FUTURE)
    decision_check_item(work_item=work_item, actor=recorder)  # S3.4 window, before the transaction
    with process_lock(work_item.process_id, document_model=document_model(work_item.document_type)):
        work_item_reload(work_item)
        if work_item.state != WorkItemState.OPEN:
            # another recorder decided while this one was typing: say who and when
            raise AlreadyHandled(work_item)
        decision = WrittenDecision.objects.create(
            body=body,
            work_item=work_item,
            resolution=resolution,
            reference_number=reference_number,
            decided_on=decided_on,
            opinions=opinions,
            recorded_by=recorder,
        )
        if scan is not None:
            Attachment.objects.create(
                union=body.union,
                written_decision=decision,
                file=scan,
                name=scan.name[:200],
                size=scan.size,
                uploaded_by=recorder,
                note="批复扫描件",
            )
        decision_recorded(
            item=work_item, resolution=resolution, actor=recorder, opinions=opinions, via="written"
        )
        work_item_complete(work_item=work_item, actor=recorder, outcome=resolution)
    return decision
