"""Pages of the collective steps and opinions: record a meeting, a written decision, answer an
opinion request (issue 4), and the inbox (issue 5). Thin: they parse input and call one service
or selector.

Access: a page that acts for a body opens only for the body's recorders (record_decision); others who
may view the union get 403, everyone else 404 (core.http.refuse logs both). An opinion request
opens only for its recipient.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.http import refuse
from core.models import Body, DecisionMode, Seat
from core.selectors import union_access
from workflows import errors, inbox_cache, registry
from workflows.documents import document_model, document_url
from workflows.forms import AgendaRowForm, MeetingForm, OpinionForm, WrittenDecisionForm
from workflows.models import (
    OpinionAnswer,
    OpinionRequest,
    Resolution,
    WorkItem,
    WorkItemKind,
    WorkItemState,
)
from workflows.selectors import (
    InboxFilters,
    WatchedDocument,
    done_page,
    todo_groups,
    todo_page,
    watching,
)
from workflows.services.decisions import (
    OpinionClosed,
    meeting_record,
    needed_for,
    opinion_answer,
    opinion_closed,
    pending_items_of_body,
    user_may_act_for_body,
    written_decision_record,
)
from workflows.services.workitems import AlreadyHandled, DocumentBusy

# Steps where the drafter works on the document itself, on the document's page.
DRAFTER_STEPS = {"draft", "consolidate", "revise"}
OPINION_STEP = "give_opinion"


def item_document_url(item: WorkItem) -> str | None:
    """The page of the item's document, or None where the document type has no page (yet)."""
    return document_url(item.document_type, item.document_id)


def documents_of(items) -> dict[tuple[str, int], object]:
    """The items' documents, one query per document type: {(document_type, id): document}."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for item in items:
        if registry.kind_or_none(item.document_type) is not None:
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
        # as losing the race under the lock (409, who and when), and what was typed stays (issue 5)
        form = WrittenDecisionForm(request.POST, request.FILES or None)
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
            except AlreadyHandled as exc:
                # another recorder decided first: 409, the typed form stays (issue 5)
                problems.extend(exc.messages)
                busy = True
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
                return redirect("workflows:my_work")
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


# --- the inbox: to do, watching, done (issue 5) ---------------------------------------------------

INBOX_TABS = ("todo", "watching", "done")
SIGNER_STEP = "add_signer"
DUE_SOON = datetime.timedelta(days=3)
DUE_FILTERS = ("overdue", "week")
# Keyset cursors carry a work item id; anything beyond the bigint column is garbage, not a query.
MAX_ID = 2**63 - 1


def work_item_action(item: WorkItem) -> tuple[str | None, str]:
    """(url, label) of the page where the user acts on the item: one tap from the inbox row."""
    if item.kind == WorkItemKind.BODY:
        if item.body.decision_mode == DecisionMode.WRITTEN:
            return reverse("workflows:written_decision", args=[item.pk]), _("Record the written decision")
        return reverse("workflows:meeting_new", args=[item.body_id]), _("Record the meeting")
    if item.step == OPINION_STEP:
        return reverse("workflows:opinion_answer", args=[item.pk]), _("Give your opinion")
    if item.step == SIGNER_STEP:
        try:
            return reverse("workflows:signer_answer", args=[item.pk]), _("Answer as added signer")
        except NoReverseMatch:  # the signer's page is not mounted in this build
            return item_document_url(item), _("Open the document")
    if item.step in DRAFTER_STEPS:
        return item_document_url(item), _("Open the document")
    return item_document_url(item), _("Open")


def _document_link(document_type: str, document_id: int) -> str | None:
    try:
        return document_url(document_type, document_id)
    except (KeyError, NoReverseMatch):  # a document type without pages (yet)
        return None


def _int_param(raw: str | None) -> int | None:
    try:
        value = int(raw or "")
    except ValueError:
        return None
    return value if 0 < value <= MAX_ID else None


def _cursor_param(raw: str | None, *, allow_none: bool) -> tuple[datetime.datetime | None, int] | None:
    """Parse "<ISO time or 'none'>_<id>"; a garbage cursor means the first page, never a 500."""
    head, _sep, tail = (raw or "").rpartition("_")
    pk = _int_param(tail)
    if pk is None:
        return None
    if head == "none":
        return (None, pk) if allow_none else None
    try:
        at = parse_datetime(head)
    except ValueError:
        return None
    if at is None or timezone.is_naive(at):
        return None
    return at, pk


def _cursor_value(at: datetime.datetime | None, pk: int) -> str:
    # UTC with "Z": nothing in the value needs escaping in a query string ("+00:00" would).
    if at is None:
        return f"none_{pk}"
    return f"{at.astimezone(datetime.UTC):%Y-%m-%dT%H:%M:%S.%fZ}_{pk}"


def _query(request, **params) -> str:
    return request.path + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


@dataclass
class TodoSummary:
    """The filter choices and the badge count of the to-do tab, from one grouped query."""

    count: int
    unions: list[tuple[int, str]]
    steps: list[tuple[str, str]]


def todo_summary(*, user) -> TodoSummary:
    rows = todo_groups(user=user)
    unions = {union_id: name for union_id, name, _step, _n, _title in rows}
    steps: dict[str, str] = {}
    for _union, _name, step, _n, title in rows:
        # an added signer's title names the step it was asked about; the choice names the kind
        steps[step] = _("Opinion as added signer") if step == SIGNER_STEP else _(title)
    return TodoSummary(
        count=sum(r[3] for r in rows),
        unions=sorted(unions.items(), key=lambda u: (u[1], u[0])),
        steps=sorted(steps.items(), key=lambda s: s[1]),
    )


def _todo_filters(params, summary: TodoSummary) -> InboxFilters:
    """Values outside the choices (a stale link, a forged one) are dropped: the unfiltered page."""
    union_id = _int_param(params.get("union"))
    document_type = params.get("type", "")
    step = params.get("step", "")
    due = params.get("due", "")
    return InboxFilters(
        union_id=union_id if union_id in dict(summary.unions) else None,
        document_type=document_type if registry.kind_or_none(document_type) else "",
        step=step if step in dict(summary.steps) else "",
        due=due if due in DUE_FILTERS else "",
    )


@dataclass
class TodoRow:
    item: WorkItem
    action_url: str | None
    action_label: str
    urgency: str  # "overdue", "soon" or ""

    @property
    def title(self) -> str:
        return self.item.document_title or self.item.get_document_type_display()


def _todo_context(request) -> dict:
    user = request.user
    summary = todo_summary(user=user)
    filters = _todo_filters(request.GET, summary)
    after = _cursor_param(request.GET.get("after"), allow_none=True)
    items, cursor = todo_page(user=user, filters=filters, after=after)
    now = timezone.now()
    rows = []
    turns: list[datetime.datetime] = []  # the moments a row's urgency changes, for inbox_cache
    for item in items:
        url, label = work_item_action(item)
        urgency = ""
        if item.due_at is not None:
            urgency = "overdue" if item.due_at < now else "soon" if item.due_at < now + DUE_SOON else ""
            turns += [t for t in (item.due_at - DUE_SOON, item.due_at) if t > now]
        rows.append(TodoRow(item=item, action_url=url, action_label=label, urgency=urgency))
    kept = {
        "tab": "todo",
        "union": filters.union_id,
        "type": filters.document_type,
        "step": filters.step,
        "due": filters.due,
    }
    return {
        "tab": "todo",
        "rows": rows,
        "filters": filters,
        "filtered": filters != InboxFilters(),
        # a person recording for a thousand bodies has a thousand unions to choose from: the options
        # are joined in Python, where a template loop cost more than the page's queries (bench P3)
        "union_options": format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, " selected" if value == filters.union_id else "", label)
                for value, label in summary.unions
            ),
        ),
        "type_choices": [(kind.document_type, kind.label) for kind in registry.kinds()],
        "step_choices": summary.steps,
        "due_choices": [("overdue", _("overdue")), ("week", _("due within 7 days"))],
        "next_url": _query(request, **kept, after=_cursor_value(*cursor)) if cursor else None,
        "first_url": _query(request, **kept) if after is not None else None,
        # the badge of this page comes from the same query (base.html reads inbox_count)
        "inbox_count": summary.count,
        "valid_until": min(turns).timestamp() if turns else None,
    }


def _todo_page(request) -> dict:
    """The to-do tab's content, badge count (and bell): from workflows/inbox_cache.py while the change
    log says nothing on this person's list changed (one query with the bell), else rendered and kept."""
    key = inbox_cache.key_for(request) if inbox_cache.enabled() else None
    if key is None:
        context = _todo_context(request)
        html = render_to_string("workflows/_inbox_todo.html", context, request)
        return {"todo_html": html, "inbox_count": context["inbox_count"]}
    entry = inbox_cache.lookup(key)
    checked = inbox_cache.check(request.user.pk, entry)
    page = {"unread_notifications": checked.unread}
    if entry is not None and checked.fresh:
        # our own rendering, kept as it was
        return {**page, "todo_html": mark_safe(entry.html), "inbox_count": entry.count}  # noqa: S308
    context = _todo_context(request)
    html = render_to_string("workflows/_inbox_todo.html", context, request)
    inbox_cache.store(
        key,
        snapshot=checked.snapshot,
        html=html,
        count=context["inbox_count"],
        valid_until=context["valid_until"],
    )
    return {**page, "todo_html": html, "inbox_count": context["inbox_count"]}


@dataclass
class WatchedRow:
    document: WatchedDocument
    url: str | None


def _watching_context(request) -> dict:
    documents = watching(user=request.user)
    return {
        "watched": [
            WatchedRow(document=d, url=_document_link(d.document_type, d.document_id)) for d in documents
        ]
    }


@dataclass
class DoneRow:
    item: WorkItem
    url: str | None
    outcome: str


def _outcome_labels() -> dict[str, str]:
    labels = {**dict(Resolution.choices), **dict(OpinionAnswer.choices)}
    labels.update(submitted=_("submitted"), agree=_("agreed"), disagree=_("disagreed"))
    return labels


def _done_context(request) -> dict:
    before = _cursor_param(request.GET.get("before"), allow_none=False)
    items, cursor = done_page(user=request.user, before=before)
    labels = _outcome_labels()
    return {
        "done": [
            DoneRow(
                item=item,
                url=_document_link(item.document_type, item.document_id),
                outcome=str(labels.get(item.outcome, item.outcome)),
            )
            for item in items
        ],
        "next_url": _query(request, tab="done", before=_cursor_value(*cursor)) if cursor else None,
        "first_url": _query(request, tab="done") if before is not None else None,
    }


@login_required
def my_work(request):
    """The inbox: what I may act on (to do), what I follow (watching), what I acted on (done).

    Each tab is one or two queries over work items plus the page's session, user, badge and bell:
    at most 6, whatever the number of tasks or object permissions (tests/workflows/test_inbox_page.py).
    The to-do tab served from workflows/inbox_cache.py costs 3: session, user, and the change-log
    check that also counts the bell (tests/workflows/test_inbox_cache.py).
    """
    tab = request.GET.get("tab", "todo")
    if tab not in INBOX_TABS:
        tab = "todo"
    if tab == "todo":
        context = _todo_page(request)
    elif tab == "watching":
        context = _watching_context(request)
    else:
        context = _done_context(request)
    context["tab"] = tab
    return render(request, "workflows/inbox.html", context)
