"""The hearing pages (S1.2): the union's hearings by year; asking for a place on the Party organisation's
agenda with the report (new, change, send, withdraw); the hearing's page with its meeting and action
items; the Party organisation's record of the hearing (/work/<item>/hearing/, the inbox's link); closing
an action item.

Who sees a hearing: the union's officers and the supervisors above (union_access), the members of its
Party organisation and of the organ Party committee that leads it (S1.1), the owners of its action items
and the document's participants (workflows.visibility). Anyone else gets 404; those who may see it but
not act get 403 (core.http.refuse logs both)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.models import Body, Event, Seat
from core.selectors import UnionAccess, union_access
from core.services.events import event_record
from workflows import errors as spine_errors
from workflows.document_pages import document_action, document_withdraw_action, trail_context
from workflows.models import DocumentType, WorkItem, WorkItemState
from workflows.services.decisions import needed_for, user_may_act_for_body
from workflows.services.drafting import editable_by, withdrawable
from workflows.services.workitems import AlreadyHandled, DocumentBusy
from workflows.trail import Returned, last_return
from workflows.visibility import document_visible

from . import hearings, selectors, services
from .forms_hearings import (
    ActionCloseForm,
    BaseProblemFormSet,
    HearingForm,
    HearingRecordForm,
    ReturnForm,
    problem_formset,
)
from .models import ActionItem, Hearing, ReportKind

DOCUMENT_TYPE = DocumentType.PARTY_HEARING
HEARING_STEP = "party_hearing"
DETAIL = "party:hearing_detail"
# the hearing's own event verbs, in the history's words
VERB_LABELS = {
    "created": gettext_lazy("asked for a place on the Party organisation's agenda"),
    "heard": gettext_lazy("the Party organisation heard the report"),
    "action_item_closed": gettext_lazy("closed an action item"),
}


# --- who sees a hearing -------------------------------------------------------------------------------


def _viewed(request, pk: int) -> tuple[Hearing, UnionAccess]:
    hearing = Hearing.objects.select_related("union", "drafter", "meeting__body").filter(pk=pk).first()
    if hearing is None:
        raise Http404
    user = request.user
    access = union_access(user=user, union=hearing.union)
    if not (
        access.can_view_documents
        or selectors.sits_on_party(user, hearing.union_id)
        or hearing.action_items.filter(owner=user).exists()
        or document_visible(user=user, union=hearing.union, process_id=hearing.process_id)
    ):
        refuse(request, union=hearing.union, reason="hearing not visible")
    return hearing, access


# --- the list -----------------------------------------------------------------------------------------


@login_required
def hearing_list(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not (access.can_view_documents or selectors.sits_on_party(request.user, union.pk)):
        refuse(request, union=union, reason="hearings not visible")
    context = {"union": union, "access": access, "hearings": selectors.hearings_of_union(union.pk)}
    return render(request, "workflows/party/hearing_list.html", context)


# --- asking for a place on the agenda -----------------------------------------------------------------


def _form_page(request, *, union, form: HearingForm, problems: list[str], hearing: Hearing | None = None):
    context = {"union": union, "form": form, "problems": problems, "hearing": hearing}
    if hearing is not None:
        returned = last_return(document=hearing)
        context["returned"] = _returned_banner(returned, _return_events(hearing) if returned else [])
    return render(request, "workflows/party/hearing_form.html", context, status=400 if problems else 200)


@login_required
def hearing_new(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not ask for a hearing", status=403)
    initial = {"year": timezone.localdate().year, "report_kind": ReportKind.YEAR_END}
    form = HearingForm(request.POST or None, initial=initial)
    problems: list[str] = []
    if request.method == "POST":
        if not form.is_valid():
            problems = [_("Please correct the errors below.")]
        else:
            try:
                hearing = services.hearing_create(actor=request.user, union=union, **form.cleaned_data)
            except PermissionDenied:
                refuse(request, union=union, reason="may not ask for a hearing", status=403)
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(
                    request,
                    _("The request for a hearing was saved as a draft. Check it, then send it."),
                )
                return redirect(DETAIL, pk=hearing.pk)
    return _form_page(request, union=union, form=form, problems=problems)


@login_required
def hearing_edit(request, pk: int):
    hearing, _access = _viewed(request, pk)
    if not editable_by(document=hearing, user=request.user):
        refuse(request, union=hearing.union, reason="may not change hearing request", status=403)
    initial = {
        "year": hearing.year,
        "report_kind": hearing.report_kind,
        "report": hearing.report,
        "wished_on": hearing.wished_on,
    }
    form = HearingForm(request.POST or None, initial=initial, year_fixed=True)
    problems: list[str] = []
    if request.method == "POST":
        if not form.is_valid():
            problems = [_("Please correct the errors below.")]
        else:
            data = form.cleaned_data
            try:
                services.hearing_update(
                    actor=request.user,
                    hearing=hearing,
                    report_kind=data["report_kind"],
                    report=data["report"],
                    wished_on=data["wished_on"],
                )
            except PermissionDenied:
                refuse(request, union=hearing.union, reason="may not change hearing request", status=403)
            except ValidationError as exc:
                problems = exc.messages
            except DocumentBusy:
                problems = [str(spine_errors.LOCKED)]
            else:
                messages.success(request, _("The request for a hearing was saved."))
                return redirect(DETAIL, pk=hearing.pk)
    return _form_page(request, union=hearing.union, form=form, problems=problems, hearing=hearing)


@login_required
@require_POST
def hearing_submit_view(request, pk: int):
    hearing, _access = _viewed(request, pk)
    return document_action(
        request,
        document=hearing,
        call=lambda: services.hearing_submit(actor=request.user, hearing=hearing),
        done=_("The report was sent to the Party organisation for a place on its agenda."),
        detail_url=DETAIL,
        refusal="may not send hearing request",
    )


@login_required
@require_POST
def hearing_withdraw_view(request, pk: int):
    hearing, _access = _viewed(request, pk)
    return document_withdraw_action(
        request,
        document=hearing,
        call=lambda: services.hearing_withdraw(
            actor=request.user, hearing=hearing, reason=request.POST.get("reason", "")
        ),
        done=_("The request for a hearing was withdrawn."),
        detail_url=DETAIL,
        question=_("Withdraw this request for a hearing?"),
    )


# --- the hearing's page -------------------------------------------------------------------------------


def _return_events(hearing: Hearing) -> list[Event]:
    return list(
        Event.objects.filter(
            subject_type=hearing._meta.label_lower, subject_id=str(hearing.pk), verb="returned"
        ).order_by("created_at", "id")
    )


def _returned_banner(returned: Returned | None, events: Iterable[Event]) -> Returned | None:
    """The return being revised, said as the Party organisation's: hearings.hearing_return keeps its
    reasons on the decision's event (there is no written decision to read them from)."""
    if returned is None:
        return None
    said = [e.detail.get("opinions", "") for e in events if e.verb == "returned" and e.detail]
    by = returned.item.body.display_name if returned.item.body_id else returned.by
    return dataclasses.replace(returned, by=by, opinions=returned.opinions or (said[-1] if said else ""))


@dataclass
class ActionRow:
    item: ActionItem
    overdue: bool
    form: ActionCloseForm | None  # for those who may close it, while it is open


def _action_rows(user, hearing: Hearing, kept: dict[int, ActionCloseForm]) -> list[ActionRow]:
    today = timezone.localdate()
    items = hearing.action_items.select_related("owner", "closed_by", "union").order_by("due_on", "id")
    staff: bool | None = None  # beyond its owner, who may close is the same for every item of the union
    rows = []
    for item in items:
        form = None
        if item.closed_on is None:
            mine = item.owner_id == user.pk
            if not mine and staff is None:
                staff = hearings.may_close(user=user, item=item)
            if mine or staff:
                form = kept.get(item.pk) or ActionCloseForm(prefix=f"close-{item.pk}")
        rows.append(ActionRow(item=item, overdue=item.closed_on is None and item.due_on < today, form=form))
    return rows


def _meeting_context(hearing: Hearing) -> dict:
    meeting = hearing.meeting
    if meeting is None:
        return {"meeting": None}
    body = meeting.body
    return {
        "meeting": meeting,
        "attendees": list(meeting.attendees.order_by("full_name", "id")),
        "quorum_needed": needed_for(
            meeting.seats_in_force, body.quorum_numerator, body.quorum_denominator, body.quorum_strict
        ),
    }


def _detail_page(
    request,
    hearing: Hearing,
    access: UnionAccess,
    *,
    kept: dict[int, ActionCloseForm] | None = None,
    problems: list[str] | None = None,
    status: int = 200,
):
    """The hearing's page; after a refused closing note, with the problems and what was typed."""
    context = trail_context(
        request, document=hearing, document_type=DOCUMENT_TYPE, access=access, verb_labels=VERB_LABELS
    )
    trail = context["trail"]
    user = request.user
    context.update(_meeting_context(hearing))
    context.update(
        hearing=hearing,
        returned=_returned_banner(trail.last_return, trail.events),
        action_rows=_action_rows(user, hearing, kept or {}),
        can_edit=trail.editable_by(user),
        can_withdraw=user.pk == hearing.drafter_id and withdrawable(hearing),
        problems=problems or [],
    )
    return render(request, "workflows/party/hearing_detail.html", context, status=status)


@login_required
def hearing_detail(request, pk: int):
    hearing, access = _viewed(request, pk)
    return _detail_page(request, hearing, access)


@login_required
@require_POST
def action_item_close_view(request, pk: int):
    """The owner, the chair or the office closes an action item with how it was solved (S1.2); an empty
    note shows the hearing's page again with the problem and what was typed."""
    item = ActionItem.objects.select_related("union", "owner").filter(pk=pk).first()
    if item is None:
        raise Http404
    hearing, access = _viewed(request, item.hearing_id)
    form = ActionCloseForm(request.POST, prefix=f"close-{item.pk}")
    form.is_valid()
    try:
        hearings.action_item_close(actor=request.user, item=item, note=form.cleaned_data.get("note", ""))
    except PermissionDenied:
        refuse(request, union=hearing.union, reason="may not close action item", status=403)
    except ValidationError as exc:
        form.add_error("note", exc.messages)
        return _detail_page(request, hearing, access, kept={item.pk: form}, problems=exc.messages, status=400)
    messages.success(request, _("The action item was closed."))
    return redirect(DETAIL, pk=hearing.pk)


# --- the Party organisation records the hearing -------------------------------------------------------


def _people(seats: Iterable[Seat]) -> list[tuple[int, str]]:
    """(person id, "name · body and role"), once per person: names only, never usernames."""
    people: dict[int, str] = {}
    for seat in seats:
        role = seat.get_role_display()
        where = f"{seat.body.display_name}{role}" if seat.body_id else role
        people.setdefault(seat.person_id, f"{seat.person} · {where}")
    return list(people.items())


def _attendance_choices(body: Body) -> list[tuple[int, str]]:
    seats = Seat.objects.filter(body=body).in_force(timezone.localdate())
    return _people(seats.select_related("person", "body").order_by("role", "person_id"))


def _owner_choices(union_id: int, body: Body) -> list[tuple[int, str]]:
    """Who may own an action item: the union's and the meeting body's seat holders in force (as
    hearings.problems_cleaned checks them)."""
    seats = Seat.objects.in_force().filter(Q(union_id=union_id) | Q(body=body))
    return _people(seats.select_related("person", "body").order_by("person__full_name", "person_id", "id"))


def _refuse_record(request, *, item: WorkItem):
    """Not a recorder of the Party organisation: a member of it, or of the organ Party committee leading
    it, is told who records (403); others who may see the union get 403; everyone else 404. Logged."""
    body = item.body
    if not union_access(user=request.user, union=item.union).can_view:
        refuse(request, union=item.union, reason="party body not visible")
    bodies = [pk for pk in (body.pk, body.led_by_id) if pk is not None]
    seat = (
        Seat.objects.in_force()
        .filter(person=request.user, body_id__in=bodies)
        .select_related("body__union")
        .first()
    )
    if seat is None:
        refuse(request, union=item.union, reason="may not record for this body", status=403)
    event_record(
        verb="access_denied",
        actor=request.user,
        union=item.union,
        detail={"path": request.path[:300], "method": request.method, "reason": "member, not recorder"},
    )
    context = {"body": seat.body, "message": spine_errors.NOT_A_RECORDER % {"body": seat.body.display_name}}
    return render(request, "workflows/not_a_recorder.html", context, status=403)


def _attempt(request, item: WorkItem, call: Callable[[], object]) -> tuple[list[str], bool]:
    """Run the Party organisation's step: (problems, busy). Busy (409): another recorder got there
    first or holds the document."""
    try:
        call()
    except AlreadyHandled as exc:
        return exc.messages, True
    except ValidationError as exc:
        return exc.messages, False
    except DocumentBusy:
        return [str(spine_errors.LOCKED)], True
    except PermissionDenied:
        refuse(request, union=item.union, reason="may not record for this body", status=403)
    return [], False


def _record_post(request, item: WorkItem, form: HearingRecordForm, rows: BaseProblemFormSet):
    form_ok, rows_ok = form.is_valid(), rows.is_valid()
    if not (form_ok and rows_ok):
        return [_("Please correct the errors below."), *rows.non_form_errors()], False
    data = form.cleaned_data
    return _attempt(
        request,
        item,
        lambda: hearings.hearing_record(
            recorder=request.user,
            work_item=item,
            held_on=data["held_on"],
            place=data["place"],
            attendee_ids=data["attendees"],
            matters_studied=data["matters_studied"],
            minutes=data["minutes"],
            problems=rows.problems(),
        ),
    )


def _return_post(request, item: WorkItem, form: ReturnForm):
    form.is_valid()
    opinions = form.cleaned_data.get("opinions", "")
    return _attempt(
        request,
        item,
        lambda: hearings.hearing_return(recorder=request.user, work_item=item, opinions=opinions),
    )


def _closed_problems(item: WorkItem) -> list[str]:
    """Why a step no longer open cannot be recorded: who finished it and when, or closed."""
    if item.state == WorkItemState.DONE:
        return AlreadyHandled(item).messages
    return [str(spine_errors.TASK_CLOSED)]


@login_required
def hearing_record_view(request, item_id: int):
    """S1.2: a recorder of the Party organisation records the meeting that heard the report (attendance
    with quorum, matters studied, the problems to solve with owner and due date), or returns it."""
    item = (
        WorkItem.objects.select_related("union", "body__union", "body__led_by__union")
        .filter(pk=item_id, document_type=DOCUMENT_TYPE, step=HEARING_STEP, body__isnull=False)
        .first()
    )
    if item is None:
        raise Http404
    if not user_may_act_for_body(user=request.user, body=item.body):
        return _refuse_record(request, item=item)
    hearing = Hearing.objects.select_related("union").get(process_id=item.process_id)
    meets = hearings.meeting_body(item)
    context = {"item": item, "hearing": hearing, "body": meets, "union": hearing.union}
    posted = request.method == "POST"
    if not item.is_open:
        context.update(problems=_closed_problems(item), form=None)
        return render(request, "workflows/party/hearing_record.html", context, status=409 if posted else 200)
    returning = posted and request.POST.get("action") == "return"
    people = _attendance_choices(meets)
    record_data = request.POST if posted and not returning else None
    form = HearingRecordForm(record_data, people=people)
    rows = problem_formset(record_data, people=_owner_choices(hearing.union_id, meets))
    return_form = ReturnForm(request.POST if returning else None)
    problems: list[str] = []
    busy = False
    if posted:
        if returning:
            problems, busy = _return_post(request, item, return_form)
            done = _("The report was returned to the union with your reasons.")
        else:
            problems, busy = _record_post(request, item, form, rows)
            done = _("The hearing was recorded; the problems it decided to solve are tracked below.")
        if not problems:
            messages.success(request, done)
            return redirect(DETAIL, pk=hearing.pk)
    context.update(
        form=form,
        rows=rows,
        return_form=return_form,
        returning=returning,
        problems=problems,
        seats_today=len(people),
        quorum_today=needed_for(
            len(people), meets.quorum_numerator, meets.quorum_denominator, meets.quorum_strict
        ),
    )
    status = 409 if busy else 400 if problems else 200
    return render(request, "workflows/party/hearing_record.html", context, status=status)
