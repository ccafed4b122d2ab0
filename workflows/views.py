"""The inbox (to do, watching, done) and the document links every workflow page shares. Thin: they
parse input and call selectors. The pages of the collective steps and opinions are in
``workflows.views_decisions``.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.models import DecisionMode
from workflows import inbox_cache, registry
from workflows.documents import document_model, document_url
from workflows.models import (
    OpinionAnswer,
    Resolution,
    WorkItem,
    WorkItemKind,
)
from workflows.selectors import (
    InboxFilters,
    WatchedDocument,
    done_page,
    todo_groups,
    todo_page,
    watching,
)
from workflows.services.bulk import bulk_agreeable
from workflows.steps import Actor
from workflows.visibility import document_visible

# Steps where the drafter works on the document itself, on the document's page.
DRAFTER_STEPS = {"draft", "consolidate", "revise"}
OPINION_STEP = "give_opinion"


def item_document_url(item: WorkItem) -> str | None:
    """The page of the item's document, or None where the document type has no page (yet)."""
    return document_url(item.document_type, item.document_id)


def landing_url(*, user, item: WorkItem) -> str:
    """Where a person lands after acting on a work item: its document's page, where they see what
    their action did, when they may see it; else the inbox, with their next item (never a page of
    further buttons to press, such as the union's page or the form just posted)."""
    url = item_document_url(item)
    if url and document_visible(user=user, union=item.union, process_id=item.process_id):
        return url
    return reverse("workflows:my_work")


def decided_landing_url(item: WorkItem) -> str:
    """Where a person lands after deciding an item (an opinion, a written decision, a meeting): its
    document's page. Whoever decided it took part in its process — the opinion's recipient, or a
    member of the deciding body — and participants see its document (workflows.visibility), so no
    visibility check is needed here; the inbox where the kind has no page."""
    return item_document_url(item) or reverse("workflows:my_work")


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


# --- the inbox: to do, watching, done ------------------------------------------------------------

INBOX_TABS = ("todo", "watching", "done")
SIGNER_STEP = "add_signer"
DUE_SOON = datetime.timedelta(days=3)
DUE_FILTERS = ("overdue", "week")
# Keyset cursors carry a work item id; anything beyond the bigint column is garbage, not a query.
MAX_ID = 2**63 - 1


def work_item_action(item: WorkItem) -> tuple[str | None, str]:
    """(url, label) of the page where the user acts on the item: one tap from the inbox row."""
    kind = registry.kind_or_none(item.document_type)
    if kind is not None and item.step in kind.step_pages:
        url_name, label, *by = kind.step_pages[item.step]
        return reverse(url_name, args=[item.pk if by == ["item"] else item.union_id]), str(label)
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
    spec = kind.steps.get(item.step) if kind is not None else None
    if spec is not None and spec.actor == Actor.HOLDER and spec.decides:
        return reverse("workflows:personal_decision", args=[item.pk]), _("Approve or return")
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
    document_url: str | None = None  # the row's title opens the document; the button, the action
    bulk: bool = False  # a personal step whose plain "agree" may be given with others (批量同意)

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
        rows.append(
            TodoRow(
                item=item,
                action_url=url,
                action_label=label,
                urgency=urgency,
                document_url=item_document_url(item),
                bulk=bulk_agreeable(item),
            )
        )
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
        "any_bulk": any(row.bulk for row in rows),
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
    page = {"unread_notifications": checked.unread, "may_oversee": checked.oversee}
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
