"""What the notifications app needs to know about work items, registered from WorkflowsConfig.ready():
the source of work-item reminders (who may act, what the reminder says, the document's page), who acts
on an obligation that a document under way meets, and each person's line in the daily digest."""

from __future__ import annotations

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.statutory import Obligation
from notifications.models import Reminder, ReminderKind, SubjectKind
from notifications.services.digest import DigestLine, register_digest_source
from notifications.services.reminders import (
    Message,
    ObligationActors,
    SubjectSource,
    register_obligation_actors,
    register_source,
)
from notifications.services.reminders.recipients import (
    BatchMemo,
    Person,
    body_recorders,
    chairs,
    supervisors_above,
)
from workflows import registry
from workflows.documents import document_url
from workflows.models import WorkItem, WorkItemState


def acted_on_by_its_document() -> dict[str, str]:
    """Obligations whose reminders reach whoever holds the open step of the document under way that
    meets them, not the union's officers (the kinds that say so: the budget's S3.3): code → type."""
    return {k.obligation_code: k.document_type for k in registry.kinds() if k.reminds_step_holders}


# What composing a work item's reminder reads (the rest of its two dozen columns stays unread).
_WORK_ITEM_FIELDS = (
    "state",
    "document_type",
    "document_id",
    "document_title",
    "step_title",
    "union",
    "assignee",
    "body",
)
_URL_MARK = 987654321


def actors_of(item: WorkItem, memo: BatchMemo | None = None) -> list:
    """Whoever may act on an open work item now (after transfers, claims and delegations)."""
    if item.assignee_id is not None:
        # a sweep batch addresses people by id only: it did not load the assignee
        return [Person(item.assignee_id) if memo is not None else item.assignee]
    return body_recorders(item.body_id, memo)


def _load(ids: list[int]):
    return WorkItem.objects.filter(pk__any=ids).only(*_WORK_ITEM_FIELDS)


def _prepare(memo: BatchMemo, batch: list[tuple[Reminder, WorkItem]]) -> None:
    for _reminder, item in batch:
        memo.want_union(item.union)
        if item.assignee_id is None:
            memo.want_body(item.body_id)


def _page(item: WorkItem, memo: BatchMemo | None) -> str:
    """The document's page (the inbox for a kind without one); a sweep batch reverses the URL once
    per document type and fills in each document's id."""
    if memo is None:
        return document_url(item.document_type, item.document_id) or reverse("workflows:my_work")
    key = ("url", item.document_type)
    if key not in memo.values:
        memo.values[key] = document_url(item.document_type, _URL_MARK) or reverse("workflows:my_work")
    return memo.values[key].replace(str(_URL_MARK), str(item.document_id))


def _compose(reminder: Reminder, item: WorkItem, memo: BatchMemo | None) -> Message | None:
    if item.state != WorkItemState.OPEN:
        return None
    due = reminder.due_on.isoformat()
    what = f"{item.document_title} · {item.step_title}"
    if reminder.kind == ReminderKind.BEFORE:
        people = actors_of(item, memo)
        title = (
            _("Due today: %(what)s") % {"what": what}
            if reminder.offset_days == 0
            else _("Due in %(days)s days (%(due)s): %(what)s")
            % {"days": reminder.offset_days, "due": due, "what": what}
        )
    elif reminder.kind == ReminderKind.ESCALATE_CHAIR:
        # the chair is told, and the holders are reminded once more (an overdue Party reply reminds the
        # Party organisation's recorders, S1.3)
        holders = actors_of(item, memo)
        people = [*holders, *(p for p in chairs(item.union, memo) if p not in holders)]
        title = _("Overdue since %(due)s: %(what)s") % {"due": due, "what": what}
    else:
        people = supervisors_above(item.union, memo)
        title = _("%(union)s: overdue since %(due)s: %(what)s") % {
            "union": item.union,
            "due": due,
            "what": what,
        }
    return Message(people, title, "", _page(item, memo), webhook=False)


# --- obligations met by a document under way ----------------------------------------------------


def _open_items(document_type: str, union_ids: set[int], years: set[int]):
    """The open top-level items of the documents of these unions and years."""
    year = f"process__{registry.kind(document_type).process_attr}__year"
    return WorkItem.objects.filter(
        union_id__any=union_ids,
        document_type=document_type,
        state=WorkItemState.OPEN,
        parent__isnull=True,
        **{f"{year}__in": years},
    )


def _prepare_obligations(memo: BatchMemo, obligations: list[Obligation]) -> None:
    """Read the open items of the documents meeting the batch's obligations, and want their bodies."""
    for code, document_type in acted_on_by_its_document().items():
        keys = {
            (o.union_id, o.fiscal_year)
            for o in obligations
            if o.code == code and ("open_items", (code, o.union_id, o.fiscal_year)) not in memo.values
        }
        if not keys:
            continue
        found: dict[tuple[int, int], list] = {key: [] for key in keys}
        year = f"process__{registry.kind(document_type).process_attr}__year"
        for union_id, fiscal_year, assignee_id, body_id in _open_items(
            document_type, {u for u, _y in keys}, {y for _u, y in keys}
        ).values_list("union_id", year, "assignee_id", "body_id"):
            if (union_id, fiscal_year) in found:
                found[(union_id, fiscal_year)].append((assignee_id, body_id))
                if assignee_id is None:
                    memo.want_body(body_id)
        for (union_id, fiscal_year), items in found.items():
            memo.values[("open_items", (code, union_id, fiscal_year))] = items


def _obligation_actors(obligation: Obligation, memo: BatchMemo | None) -> list:
    document_type = acted_on_by_its_document().get(obligation.code)
    if document_type is None:
        return []
    key = ("open_items", (obligation.code, obligation.union_id, obligation.fiscal_year))
    remembered = memo.values.get(key) if memo is not None else None
    if remembered is None:
        items = _open_items(document_type, {obligation.union_id}, {obligation.fiscal_year})
        people = {p.pk: p for item in items.select_related("assignee") for p in actors_of(item, memo)}
        return list(people.values())
    people = {}
    for assignee_id, body_id in remembered:
        if assignee_id is not None:
            people[assignee_id] = Person(assignee_id)
        elif body_id is not None:
            people.update((p.pk, p) for p in memo.values.get(("recorders", body_id), []))
    return list(people.values())


# --- the daily digest -----------------------------------------------------------------------------


def open_tasks_digest() -> list[DigestLine]:
    """Each person's open tasks and the nearest due date."""
    rows = (
        WorkItem.objects.filter(state=WorkItemState.OPEN, assignee__isnull=False)
        .values("assignee_id")
        .annotate(count=Count("id"), nearest=Min("due_at"))
    )
    url = reverse("workflows:my_work")
    lines = []
    for row in rows:
        nearest = timezone.localtime(row["nearest"]).date().isoformat() if row["nearest"] else "—"
        title = _("Today: %(count)s open tasks; the nearest is due %(due)s") % {
            "count": row["count"],
            "due": nearest,
        }
        lines.append(DigestLine(recipient_id=row["assignee_id"], title=title, url=url))
    return lines


WORK_ITEMS = SubjectSource(load=_load, prepare=_prepare, compose=_compose)
OBLIGATIONS_UNDER_WAY = ObligationActors(prepare=_prepare_obligations, actors=_obligation_actors)


def register() -> None:
    """From WorkflowsConfig.ready(): notifications compose work items' reminders and digests with these."""
    register_source(SubjectKind.WORK_ITEM, WORK_ITEMS)
    register_obligation_actors(OBLIGATIONS_UNDER_WAY)
    register_digest_source(open_tasks_digest)
