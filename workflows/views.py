"""Pages of the collective steps and opinions: record a meeting, a written decision, answer an
opinion request, and the user's open work (issue 4). Thin: they parse input and call one service.

Access: a page that acts for a body opens only for the body's recorders (record_decision); others who
may view the union get 403, everyone else 404 (core.views.refuse logs both). An opinion request
opens only for its recipient.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.models import Body, BodyUserObjectPermission, DecisionMode, Seat
from core.selectors import union_access
from core.views import refuse
from workflows import errors
from workflows.documents import DOCUMENT_MODELS, document_model
from workflows.forms import AgendaRowForm, MeetingForm, OpinionForm, WrittenDecisionForm
from workflows.models import DocumentType, OpinionRequest, WorkItem, WorkItemKind, WorkItemState
from workflows.services.decisions import (
    meeting_record,
    needed_for,
    opinion_answer,
    pending_items_of_body,
    user_may_act_for_body,
    written_decision_record,
)
from workflows.services.workitems import DocumentBusy

# Steps where the drafter works on the document itself, on the document's page.
DRAFTER_STEPS = {"draft", "consolidate", "revise"}
OPINION_STEP = "give_opinion"


def item_document_url(item: WorkItem) -> str | None:
    """The page of the item's document, or None where the document type has no page (yet)."""
    if item.document_type == DocumentType.BUDGET:
        try:
            return reverse("budget:detail", args=[item.document_id])
        except NoReverseMatch:  # the budget pages are not mounted in this build
            return None
    return None


def documents_of(items) -> dict[tuple[str, int], object]:
    """The items' documents, one query per document type: {(document_type, id): document}."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for item in items:
        if item.document_type in DOCUMENT_MODELS:
            wanted[item.document_type].add(item.document_id)
    found: dict[tuple[str, int], object] = {}
    for document_type, ids in wanted.items():
        for pk, document in document_model(document_type).objects.in_bulk(ids).items():
            found[(document_type, pk)] = document
    return found


def _document_or_none(item: WorkItem):
    return documents_of([item]).get((item.document_type, item.document_id))


def _refuse_body_action(request, *, body: Body) -> None:
    """Not a recorder of the body: 403 for those who may view the union, 404 for everyone else."""
    if union_access(user=request.user, union=body.union).can_view:
        refuse(request, union=body.union, reason="may not record for this body", status=403)
    refuse(request, union=body.union, reason="body not visible")


def _status(problems: list[str], busy: bool) -> int:
    if busy:
        return 409
    return 400 if problems else 200


# --- record a meeting -----------------------------------------------------------------------------


@dataclass
class AgendaRow:
    item: WorkItem
    document: object
    url: str | None
    form: AgendaRowForm
    on_agenda: bool

    @property
    def title(self) -> str:
        return str(self.document) if self.document is not None else self.item.step_title


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
        _refuse_body_action(request, body=body)
    pending = list(pending_items_of_body(body=body))
    documents = documents_of(pending)
    if body.decision_mode == DecisionMode.WRITTEN:
        problems = []
        if request.method == "POST":
            problems = [
                str(
                    errors.DECISION_WRONG_MODE
                    % {"body": body.display_name, "mode": body.get_decision_mode_display()}
                )
            ]
        return render(
            request,
            "workflows/meeting_written_mode.html",
            {
                "body": body,
                "problems": problems,
                "items": [(item, documents.get((item.document_type, item.document_id))) for item in pending],
            },
            status=_status(problems, False),
        )

    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = MeetingForm(data, files, people=_seated_today(body))
    agenda_ids = _agenda_ids(request.POST.getlist("agenda")) if data is not None else []
    rows = [
        AgendaRow(
            item=item,
            document=documents.get((item.document_type, item.document_id)),
            url=item_document_url(item),
            form=AgendaRowForm(data, prefix=f"item-{item.pk}"),
            on_agenda=item.pk in agenda_ids,
        )
        for item in pending
    ]
    problems: list[str] = []
    busy = False
    if data is not None:
        # Ids on the agenda that are not pending before this body (a forged or stale form) still
        # go to the service, which filters the items by body and reports each one.
        shown = {row.item.pk for row in rows}
        agenda_forms = {row.item.pk: row.form for row in rows if row.on_agenda}
        for item_id in agenda_ids:
            if item_id not in shown:
                agenda_forms[item_id] = AgendaRowForm(data, prefix=f"item-{item_id}")
        valid = form.is_valid()
        for item_id, row_form in agenda_forms.items():
            if not row_form.is_valid():
                valid = False
                if item_id not in shown:
                    problems.extend(m for errs in row_form.errors.values() for m in errs)
        if valid:
            cleaned = form.cleaned_data
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
                )
            except ValidationError as exc:
                problems.extend(exc.messages)
            except DocumentBusy:
                problems.append(str(errors.LOCKED))
                busy = True
            except PermissionDenied:
                refuse(request, union=body.union, reason="may not record for this body", status=403)
            else:
                meeting = result.meeting
                if meeting.has_quorum:
                    count = len(result.decided)
                    messages.success(
                        request,
                        ngettext(
                            "The meeting was recorded: %(count)s document decided.",
                            "The meeting was recorded: %(count)s documents decided.",
                            count,
                        )
                        % {"count": count},
                    )
                else:
                    needed = needed_for(
                        meeting.seats_in_force,
                        body.quorum_numerator,
                        body.quorum_denominator,
                        body.quorum_strict,
                    )
                    messages.warning(
                        request,
                        str(
                            errors.MEETING_NO_QUORUM
                            % {
                                "attendees": meeting.attendee_count,
                                "seats": meeting.seats_in_force,
                                "needed": needed,
                            }
                        ),
                    )
                return redirect("union_detail", pk=body.union_id)
        else:
            problems.insert(0, _("Please correct the errors below."))
    seats_today = len(form.fields["attendees"].choices)
    return render(
        request,
        "workflows/meeting_form.html",
        {
            "body": body,
            "form": form,
            "rows": rows,
            "problems": problems,
            "seats_today": seats_today,
            "quorum_today": needed_for(
                seats_today, body.quorum_numerator, body.quorum_denominator, body.quorum_strict
            ),
        },
        status=_status(problems, busy),
    )


# --- a written decision ---------------------------------------------------------------------------


@login_required
def written_decision(request, item_id: int):
    """A body deciding in writing, e.g. the Party organisation's reply (批复) on a budget (S3.3)."""
    item = WorkItem.objects.select_related("union", "body", "process").filter(pk=item_id).first()
    if item is None or item.kind != WorkItemKind.BODY:
        raise Http404
    body = item.body
    if not user_may_act_for_body(user=request.user, body=body):
        _refuse_body_action(request, body=body)
    document = _document_or_none(item)
    context = {"item": item, "body": body, "document": document, "document_url": item_document_url(item)}
    problems: list[str] = []
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

    form = WrittenDecisionForm(request.POST or None, request.FILES or None)
    busy = False
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
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
            except ValidationError as exc:
                problems.extend(exc.messages)
            except DocumentBusy:
                problems.append(str(errors.LOCKED))
                busy = True
            except PermissionDenied:
                refuse(request, union=item.union, reason="may not record for this body", status=403)
            else:
                messages.success(
                    request,
                    _("The written decision %(number)s was recorded: %(resolution)s.")
                    % {"number": decision.reference_number, "resolution": decision.get_resolution_display()},
                )
                return redirect("union_detail", pk=item.union_id)
        else:
            problems.append(_("Please correct the errors below."))
    context.update(problems=problems, form=form)
    return render(request, "workflows/written_decision.html", context, status=_status(problems, busy))


# --- answer an opinion request --------------------------------------------------------------------


def _budget_summary(budget) -> dict:
    version = budget.current_version
    if version is None:
        return {}
    lines = list(version.lines.select_related("account").order_by("account_id"))
    income, expenditure = version.totals()
    return {"version": version, "lines": lines, "income": income, "expenditure": expenditure}


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
    document = _document_or_none(item)
    context = {
        "item": item,
        "opinion": opinion,
        "document": document,
        "document_url": item_document_url(item),
        "budget": _budget_summary(document)
        if item.document_type == DocumentType.BUDGET and document
        else None,
    }
    problems: list[str] = []
    if not item.is_open:
        if request.method == "POST":
            problems.append(str(errors.TASK_CLOSED))
        context.update(problems=problems, form=None)
        return render(request, "workflows/opinion_answer.html", context, status=_status(problems, False))

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
            except ValidationError as exc:
                problems.extend(exc.messages)
            except DocumentBusy:
                problems.append(str(errors.LOCKED))
                busy = True
            except PermissionDenied:
                refuse(request, union=item.union, reason="not the recipient of this opinion request")
            else:
                messages.success(request, _("Your answer was recorded. Thank you."))
                return redirect("workflows:my_work")
        else:
            problems.append(_("Please correct the errors below."))
    context.update(problems=problems, form=form)
    return render(request, "workflows/opinion_answer.html", context, status=_status(problems, busy))


# --- my open work ---------------------------------------------------------------------------------


def open_work_for_user(*, user):
    """The open items the user may act on now, in one query: their own tasks and their bodies' steps.

    Overdue first, then soonest due; items without a due date last.
    """
    body_ids = BodyUserObjectPermission.objects.filter(
        user=user, permission__codename="record_decision"
    ).values("content_object_id")
    now = timezone.now()
    return (
        WorkItem.objects.filter(state=WorkItemState.OPEN)
        .filter(Q(kind=WorkItemKind.PERSON, assignee=user) | Q(kind=WorkItemKind.BODY, body_id__in=body_ids))
        .select_related("union", "body")
        .annotate(
            overdue_rank=Case(
                When(due_at__lt=now, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("overdue_rank", F("due_at").asc(nulls_last=True), "id")
    )


def work_item_action(item: WorkItem) -> tuple[str | None, str]:
    """(url, label) of the page where the user acts on the item."""
    if item.kind == WorkItemKind.BODY:
        if item.body.decision_mode == DecisionMode.WRITTEN:
            return reverse("workflows:written_decision", args=[item.pk]), _("Record the written decision")
        return reverse("workflows:meeting_new", args=[item.body_id]), _("Record the meeting")
    if item.step == OPINION_STEP:
        return reverse("workflows:opinion_answer", args=[item.pk]), _("Give your opinion")
    if item.step in DRAFTER_STEPS:
        return item_document_url(item), _("Open the document")
    return item_document_url(item), _("Open")


@dataclass
class WorkRow:
    item: WorkItem
    title: str
    action_url: str | None
    action_label: str


@login_required
def my_work(request):
    items = list(open_work_for_user(user=request.user))
    documents = documents_of(items)
    rows = []
    for item in items:
        document = documents.get((item.document_type, item.document_id))
        url, label = work_item_action(item)
        rows.append(
            WorkRow(
                item=item,
                title=str(document) if document is not None else item.get_document_type_display(),
                action_url=url,
                action_label=label,
            )
        )
    return render(request, "workflows/my_work.html", {"rows": rows})
