"""Pages of the collective steps and opinions: record a meeting, a written decision, answer an opinion
request. Thin: they parse input and call one service.

Access: a page that acts for a body opens only for the body's recorders (record_decision); others who
may view the union get 403, everyone else 404 (core.http.refuse logs both). An opinion request opens
only for its recipient.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.confirm import CONFIRM_FIELD, CONFIRM_VALUE, confirmed
from core.http import refuse
from core.models import Body, DecisionMode, Seat, VoteBase
from core.selectors import union_access
from core.services.events import event_record
from core.services.statutory import committee_meeting_code
from workflows import errors, registry
from workflows.attendance import attendance_of_year
from workflows.forms import AgendaRowForm, MeetingForm, OpinionForm, WrittenDecisionForm
from workflows.models import OpinionRequest, WorkItem, WorkItemKind, WorkItemState
from workflows.services.decisions import (
    fraction_reached,
    meeting_record,
    needed_for,
    pending_items_of_body,
    user_may_act_for_body,
    written_decision_record,
)
from workflows.services.member_congress import member_congress_size
from workflows.services.opinions import OpinionClosed, opinion_answer, opinion_closed
from workflows.services.workitems import AlreadyHandled, DocumentBusy
from workflows.views import decided_landing_url, documents_of, item_document_url


def _document_or_none(item: WorkItem):
    return documents_of([item]).get((item.document_type, item.document_id))


def _refuse_body_action(request, *, body: Body):
    """Not a recorder of the body: 403 for those who may view the union, 404 for everyone else. A member
    of the body who does not record its decisions (a Party organisation's member) is told who does."""
    if union_access(user=request.user, union=body.union).can_view:
        if Seat.objects.in_force().filter(person=request.user, body=body).exists():
            return _not_a_recorder(request, body=body)
        refuse(request, union=body.union, reason="may not record for this body", status=403)
    refuse(request, union=body.union, reason="body not visible")


def _not_a_recorder(request, *, body: Body):
    """403 for a member of the body who does not record its decisions, saying who does (logged)."""
    event_record(
        verb="access_denied",
        actor=request.user,
        union=body.union,
        detail={"path": request.path[:300], "method": request.method, "reason": "member, not recorder"},
    )
    context = {"body": body, "message": errors.NOT_A_RECORDER % {"body": body.display_name}}
    return render(request, "workflows/not_a_recorder.html", context, status=403)


def _closed_problems(item: WorkItem) -> list[str]:
    """Why a step that is no longer open cannot be acted on: who finished it and when, or closed."""
    if item.state == WorkItemState.DONE:
        return AlreadyHandled(item).messages
    return [str(errors.TASK_CLOSED)]


def _status(problems: list[str], busy: bool) -> int:
    if busy:
        return 409
    return 400 if problems else 200


# --- record a meeting -----------------------------------------------------------------------------


@dataclass
class BoundRow:
    """A document decided with an agenda row's report (S2.3, S3.5): listed under it, no row of its own."""

    item: WorkItem
    document: object
    url: str | None

    @property
    def title(self) -> str:
        return str(self.document) if self.document is not None else self.item.document_title


@dataclass
class AgendaRow:
    item: WorkItem
    document: object
    url: str | None
    form: AgendaRowForm
    on_agenda: bool
    bound: list[BoundRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return str(self.document) if self.document is not None else self.item.step_title


def _agenda_rows(pending: list[WorkItem], documents: dict, data, agenda_ids: list[int]) -> list[AgendaRow]:
    """One row per decision: a report with the documents it binds under it; those documents have no
    row of their own (they are decided by the report's resolution, S2.3, S3.5)."""
    pending_ids = {item.pk for item in pending}
    bound: dict[int, list[BoundRow]] = {}
    for item in pending:
        through = getattr(item, "through", None)
        if through in pending_ids:
            document = documents.get((item.document_type, item.document_id))
            bound.setdefault(through, []).append(BoundRow(item, document, item_document_url(item)))
    return [
        AgendaRow(
            item=item,
            document=documents.get((item.document_type, item.document_id)),
            url=item_document_url(item),
            form=AgendaRowForm(data, prefix=f"item-{item.pk}"),
            # a bound document's page links with its own item: the form opens with its report's row checked
            on_agenda=item.pk in agenda_ids
            or (data is None and any(b.item.pk in agenda_ids for b in bound.get(item.pk, []))),
            bound=bound.get(item.pk, []),
        )
        for item in pending
        if getattr(item, "through", None) not in pending_ids
    ]


def _agenda_ids(raw: list[str]) -> list[int]:
    ids: list[int] = []
    for value in raw:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number not in ids:
            ids.append(number)
    return ids


def _seated_today(body: Body) -> list[tuple[int, str]]:
    seats = (
        Seat.objects.filter(body=body)
        .in_force(timezone.localdate())
        .select_related("person")
        .order_by("role", "person_id")
    )
    people: dict[int, str] = {}
    for seat in seats:
        people.setdefault(seat.person_id, f"{seat.person} · {seat.get_role_display()}")
    return list(people.items())


@login_required
def meeting_new(request, body_id: int):
    """Record a body's meeting and decide the documents on its agenda (collective steps, S3.3)."""
    body = Body.objects.select_related("union").filter(pk=body_id).first()
    if body is None:
        raise Http404
    if not user_may_act_for_body(user=request.user, body=body):
        return _refuse_body_action(request, body=body)
    pending = list(pending_items_of_body(body=body))
    documents = documents_of(pending)
    if body.decision_mode == DecisionMode.WRITTEN:
        return _written_mode_page(request, body=body, pending=pending, documents=documents)
    data = request.POST if request.method == "POST" else None
    member_congress = member_congress_size(body=body, day=timezone.localdate())  # S5.3
    form = MeetingForm(
        data,
        request.FILES if data is not None else None,
        people=_seated_today(body),
        member_congress=member_congress,
    )
    # a document's page links here with ?agenda=<its item>: the form opens with it on the agenda
    agenda_ids = _agenda_ids((request.POST if data is not None else request.GET).getlist("agenda"))
    rows = _agenda_rows(pending, documents, data, agenda_ids)
    posted = _Posted()
    if data is not None:
        posted = _meeting_post(request, body=body, form=form, rows=rows, agenda_ids=agenda_ids)
        if posted.landing:
            return redirect(posted.landing)
    seats_today = len(form.fields["attendees"].choices) if member_congress is None else member_congress
    context = {
        "member_congress": member_congress is not None,
        "body": body,
        "form": form,
        "rows": rows,
        "problems": posted.problems,
        "short_of_quorum": posted.short_of_quorum,
        "confirm_field": CONFIRM_FIELD,
        "confirm_value": CONFIRM_VALUE,
        "seats_today": seats_today,
        "quorum_today": needed_for(
            seats_today, body.quorum_numerator, body.quorum_denominator, body.quorum_strict
        ),
        "pass_rule": _pass_rule(body, seats_today=seats_today, form=form),
        "attendance": attendance_of_year(body=body, year=timezone.localdate().year),
        "regular_meeting": committee_meeting_code(body) is not None,
    }
    return render(
        request, "workflows/meeting_form.html", context, status=_status(posted.problems, posted.busy)
    )


def _pass_rule(body: Body, *, seats_today: int, form) -> str:
    """How many votes for approve an agenda item, shown by each item: counted against today's seats,
    or against those present (their number once the form has been posted, else the fraction)."""
    rule = (body.pass_numerator, body.pass_denominator, body.pass_strict)
    if body.pass_base == VoteBase.ALL_MEMBERS:
        return _("Approval needs %(needed)s votes for.") % {"needed": needed_for(seats_today, *rule)}
    if form.is_bound and form.is_valid():
        present = len(form.cleaned_data["attendees"])
        return _("With %(present)s members present, approval needs %(needed)s votes for.") % {
            "present": present,
            "needed": needed_for(present, *rule),
        }
    fraction = f"{body.pass_numerator}/{body.pass_denominator}"
    if body.pass_strict:
        return _("Approval needs more than %(fraction)s of the members present voting for.") % {
            "fraction": fraction
        }
    return _("Approval needs at least %(fraction)s of the members present voting for.") % {
        "fraction": fraction
    }


def _written_mode_page(request, *, body: Body, pending, documents):
    """A body that decides in writing has no meeting to record: the page says so and lists its items."""
    problems = []
    if request.method == "POST":
        problems = [
            str(
                errors.DECISION_WRONG_MODE
                % {"body": body.display_name, "mode": body.get_decision_mode_display()}
            )
        ]
    context = {
        "body": body,
        "problems": problems,
        "items": [(item, documents.get((item.document_type, item.document_id))) for item in pending],
    }
    return render(request, "workflows/meeting_written_mode.html", context, status=_status(problems, False))


@dataclass
class _Posted:
    """What a posted meeting came to: where the recorder lands once it is recorded, else the problems
    (busy: another recorder holds a document) or the question asked before a meeting without quorum."""

    landing: str = ""
    problems: list[str] = field(default_factory=list)
    busy: bool = False
    short_of_quorum: str = ""


def _short_of_quorum(request, *, body: Body, held_on, attendee_ids, members_present=None) -> str:
    """The question asked before a meeting below quorum is recorded (it decides nothing): the attendees
    against the seats in force on the meeting day, as meeting_record counts them. Empty when the
    meeting has its quorum or the recorder confirmed (the form posted again with confirm=yes)."""
    if confirmed(request):
        return ""
    members = member_congress_size(body=body, day=held_on)  # S5.3: a member congress counts members
    if members is None:
        seated = len(
            set(Seat.objects.filter(body=body).in_force(held_on).values_list("person_id", flat=True))
        )
        present = len(set(attendee_ids))
    else:
        seated, present = members, min(members_present or 0, members)
    rule = (body.quorum_numerator, body.quorum_denominator, body.quorum_strict)
    if fraction_reached(present, seated, *rule):
        return ""
    question = _(
        "Only %(attendees)s of %(seats)s members attend; %(needed)s are needed for a quorum. A meeting "
        "without quorum is recorded but decides nothing: the documents stay before the %(body)s. "
        "Record it anyway?"
    ) % {
        "attendees": present,
        "seats": seated,
        "needed": needed_for(seated, *rule),
        "body": body.display_name,
    }
    if committee_meeting_code(body) is not None:  # S4.1: nor does it count toward the cadence
        question = f"{question} {errors.MEETING_NO_QUORUM_CADENCE}"
    return question


def _meeting_landing(request, rows: list[AgendaRow], agenda_ids: list[int], body: Body) -> str:
    """One document on the agenda: its page; several: the inbox, with the recorder's next items; none
    (a committee's regular meeting, S4.1): the body's meeting page with the year's attendance."""
    decided = [row.item for row in rows if row.item.pk in agenda_ids]
    if not decided:
        return reverse("workflows:meeting_new", args=[body.pk])
    if len({(item.document_type, item.document_id) for item in decided}) == 1:
        return decided_landing_url(decided[0])
    return reverse("workflows:my_work")


def _meeting_post(request, *, body: Body, form, rows: list[AgendaRow], agenda_ids: list[int]) -> _Posted:
    """Validate and record the posted meeting."""
    data = request.POST
    # Ids on the agenda that are not pending before this body (a forged or stale form) still go to the
    # service, which filters the items by body and reports each one.
    shown = {row.item.pk for row in rows}
    agenda_forms = {row.item.pk: row.form for row in rows if row.on_agenda}
    for item_id in agenda_ids:
        if item_id not in shown:
            agenda_forms[item_id] = AgendaRowForm(data, prefix=f"item-{item_id}")
    problems: list[str] = []
    valid = form.is_valid()
    for item_id, row_form in agenda_forms.items():
        if not row_form.is_valid():
            valid = False
            if item_id not in shown:
                problems.extend(m for errs in row_form.errors.values() for m in errs)
    if not valid:
        return _Posted(problems=[_("Please correct the errors below."), *problems])
    cleaned = form.cleaned_data
    question = _short_of_quorum(
        request,
        body=body,
        held_on=cleaned["held_on"],
        attendee_ids=cleaned["attendees"],
        members_present=cleaned["members_present"],
    )
    if question:
        return _Posted(short_of_quorum=question)
    try:
        result = meeting_record(
            body=body,
            recorder=request.user,
            held_on=cleaned["held_on"],
            place=cleaned["place"],
            attendee_ids=cleaned["attendees"],
            votes=[agenda_forms[item_id].vote(item_id) for item_id in agenda_ids],
            minutes=cleaned["minutes"],
            files=cleaned["files"],
            members_present=cleaned["members_present"],
        )
    except ValidationError as exc:
        return _Posted(problems=problems + exc.messages)
    except DocumentBusy:
        return _Posted(problems=[*problems, str(errors.LOCKED)], busy=True)
    except PermissionDenied:
        refuse(request, union=body.union, reason="may not record for this body", status=403)
    _meeting_recorded_message(request, body=body, result=result)
    return _Posted(landing=_meeting_landing(request, rows, agenda_ids, body))


def _meeting_recorded_message(request, *, body: Body, result) -> None:
    meeting = result.meeting
    if meeting.has_quorum and not result.decided and committee_meeting_code(body) is not None:
        messages.success(request, _("The meeting was recorded: it counts as the period's regular meeting."))
        return
    if meeting.has_quorum:
        count = len(result.decided)
        text = ngettext(
            "The meeting was recorded: %(count)s document decided.",
            "The meeting was recorded: %(count)s documents decided.",
            count,
        )
        messages.success(request, text % {"count": count})
        for record in result.not_passed:
            # the recorder chose approve; say plainly that it did not pass and went back
            messages.warning(
                request,
                _("“%(document)s” did not pass (%(votes_for)s votes for, %(needed)s needed): returned.")
                % {
                    "document": _document_or_none(record.work_item) or record.work_item.step_title,
                    "votes_for": record.votes_for,
                    "needed": record.votes_needed,
                },
            )
        return
    needed = needed_for(
        meeting.seats_in_force, body.quorum_numerator, body.quorum_denominator, body.quorum_strict
    )
    text = str(
        errors.MEETING_NO_QUORUM
        % {"attendees": meeting.attendee_count, "seats": meeting.seats_in_force, "needed": needed}
    )
    if committee_meeting_code(body) is not None:
        text = f"{text} {errors.MEETING_NO_QUORUM_CADENCE}"
    messages.warning(request, text)


# --- a written decision ---------------------------------------------------------------------------


@login_required
def written_decision(request, item_id: int):
    """A body deciding in writing, e.g. the Party organisation's reply (批复) on a budget (S3.3)."""
    item = WorkItem.objects.select_related("union", "body", "process").filter(pk=item_id).first()
    if item is None or item.kind != WorkItemKind.BODY:
        raise Http404
    body = item.body
    if not user_may_act_for_body(user=request.user, body=body):
        return _refuse_body_action(request, body=body)
    # read only when the page is shown (a recorded decision redirects without them)
    context = {
        "item": item,
        "body": body,
        "document": SimpleLazyObject(lambda: _document_or_none(item)),
        "document_url": SimpleLazyObject(lambda: item_document_url(item)),
    }
    problems: list[str] = []
    if request.method == "POST" and body.decision_mode == DecisionMode.WRITTEN and not item.is_open:
        # another recorder's decision committed before this request read the item: the same answer
        # as losing the race under the lock (409, who and when), and what was typed stays
        form = WrittenDecisionForm(request.POST, request.FILES or None, layout=_written_layout(item))
        form.is_valid()  # bound and cleaned: the page shows the typed values
        context.update(problems=_closed_problems(item), form=form)
        return render(request, "workflows/written_decision.html", context, status=409)
    if body.decision_mode != DecisionMode.WRITTEN or not item.is_open:
        if request.method == "POST":
            problems.append(
                str(
                    errors.DECISION_WRONG_MODE
                    % {"body": body.display_name, "mode": body.get_decision_mode_display()}
                )
                if item.is_open
                else str(errors.TASK_CLOSED)
            )
        context.update(problems=problems, form=None)
        return render(request, "workflows/written_decision.html", context, status=_status(problems, False))

    form = WrittenDecisionForm(request.POST or None, request.FILES or None, layout=_written_layout(item))
    busy = False
    if request.method == "POST":
        if not form.is_valid():
            problems.append(_("Please correct the errors below."))
        else:
            recorded, problems, busy = _written_decision_post(request, item=item, data=form.cleaned_data)
            if recorded:
                return redirect(decided_landing_url(item))
    context.update(problems=problems, form=form)
    return render(request, "workflows/written_decision.html", context, status=_status(problems, busy))


def _written_layout(item: WorkItem) -> dict | None:
    """The kind's own words for its written decision (a request's reply: agreed, with instructions, not)."""
    kind = registry.kind_or_none(item.document_type)
    if kind is None or kind.written_form is None:
        return None
    document = _document_or_none(item)
    return kind.written_form(document) if document is not None else None


def _written_decision_post(request, *, item: WorkItem, data: dict):
    """Record the posted written decision: (recorded, problems, busy)."""
    try:
        decision = written_decision_record(
            work_item=item,
            recorder=request.user,
            resolution=data["resolution"],
            reference_number=data["reference_number"],
            decided_on=data["decided_on"],
            opinions=data["opinions"],
            scan=data["scan"],
        )
    except AlreadyHandled as exc:
        return False, exc.messages, True  # another recorder decided first: 409, the typed form stays
    except ValidationError as exc:
        return False, exc.messages, False
    except DocumentBusy:
        return False, [str(errors.LOCKED)], True
    except PermissionDenied:
        refuse(request, union=item.union, reason="may not record for this body", status=403)
    messages.success(
        request,
        _("The written decision %(number)s was recorded: %(resolution)s.")
        % {"number": decision.reference_number, "resolution": decision.get_resolution_display()},
    )
    return True, [], False


# --- answer an opinion request --------------------------------------------------------------------


@login_required
def opinion_answer_view(request, item_id: int):
    """The recipient answers a solicitation: an opinion or "no opinion" (S2.2, S3.3)."""
    item = WorkItem.objects.select_related("union", "process").filter(pk=item_id).first()
    if item is None:
        raise Http404
    if item.kind != WorkItemKind.PERSON or item.assignee_id != request.user.pk:
        refuse(request, union=item.union, reason="not the recipient of this opinion request")
    opinion = OpinionRequest.objects.select_related("on_behalf_of").filter(work_item=item).first()
    if opinion is None:
        raise Http404
    context = {"item": item, "opinion": opinion}
    if not item.is_open:
        # answered in another tab, or the document was withdrawn: the page says when (and by whom);
        # a POST gets 409 and what was typed stays
        closed = opinion_closed(work_item=item, answered_at=opinion.answered_at, user=request.user).messages
        form = OpinionForm(request.POST) if request.method == "POST" else None
        if form is not None:
            form.is_valid()
        context.update(problems=closed if form is not None else [], closed=closed, form=form)
        context.update(_opinion_document_context(item))
        return render(request, "workflows/opinion_answer.html", context, status=409 if form else 200)

    problems: list[str] = []

    form = OpinionForm(request.POST or None)
    busy = False
    if request.method == "POST":
        if form.is_valid():
            try:
                opinion_answer(
                    work_item=item,
                    actor=request.user,
                    answer=form.cleaned_data["answer"],
                    text=form.cleaned_data["text"],
                )
            except (OpinionClosed, AlreadyHandled) as exc:
                # the other tab's answer committed after this request read the item: as above
                problems.extend(exc.messages)
                busy = True
            except ValidationError as exc:
                problems.extend(exc.messages)
            except DocumentBusy:
                problems.append(str(errors.LOCKED))
                busy = True
            except PermissionDenied:
                refuse(request, union=item.union, reason="not the recipient of this opinion request")
            else:
                messages.success(request, _("Your answer was recorded. Thank you."))
                return redirect(decided_landing_url(item))
        else:
            problems.append(_("Please correct the errors below."))
    context.update(problems=problems, form=form, **_opinion_document_context(item))
    return render(request, "workflows/opinion_answer.html", context, status=_status(problems, busy))


def _opinion_document_context(item: WorkItem) -> dict:
    """What the answer page shows of the document: read only when the page is shown (a recorded
    answer redirects without it)."""
    document = _document_or_none(item)
    kind = registry.kind_or_none(item.document_type)
    summary = kind.opinion_summary(document) if document and kind and kind.opinion_summary else None
    return {
        "document": document,
        "document_url": item_document_url(item),
        "summary": summary,
        "summary_template": kind.opinion_summary_template if summary else "",
    }
