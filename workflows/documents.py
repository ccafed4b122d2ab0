"""A work item's document, its page and its checks, found through the registry of document kinds."""

from __future__ import annotations

from django.db.models import Exists, Q, Subquery
from django.db.models.functions import Coalesce

from workflows import memo, registry
from workflows.models import WorkItem
from workflows.visibility import document_visible


def document_model(document_type: str):
    return registry.kind(document_type).document_model()


def document_for(work_item):
    """The work item's document. Within a locked step it is reached through the locked process
    (``workflows.memo``), so the service and viewflow's hooks share one instance."""
    kind = registry.kind(work_item.document_type)
    process = memo.locked_process(work_item.process_id)
    if process is not None:
        return getattr(process, kind.process_attr)
    return kind.document_model().objects.select_related("union").get(pk=work_item.document_id)


def flow_document(activation, attr: str):
    """A flow hook's document: through the process this step locked when there is one (a join's
    activation reads its own copy of the process row), so the hook changes the service's instance."""
    process = memo.locked_process(activation.process.pk) or activation.process
    return getattr(process, attr)


def has_page(document_type: str) -> bool:
    kind = registry.kind_or_none(document_type)
    return kind is not None and bool(kind.detail_url)


def document_url(document_type: str, document_id: int) -> str | None:
    """The document's page, or None where its kind has none."""
    kind = registry.kind_or_none(document_type)
    return kind.url(document_id) if kind is not None else None


def document_visible_to(*, user, document_type: str, document) -> bool:
    return document_visible(user=user, union=document.union, process_id=document.process_id)


def decision_check(*, work_item_ids, actor) -> None:
    """The kinds' checks run before a body's decision is recorded, outside the decision's transaction,
    for kinds decided only within a window (S3.4: a budget adjustment until 30 September). A check
    raises ValidationError to refuse, after writing its own event (which therefore stays)."""
    checked = [kind.document_type for kind in registry.kinds() if kind.decision_check is not None]
    if not checked:
        return
    for item in WorkItem.objects.filter(pk__in=list(work_item_ids), document_type__in=checked):
        decision_check_item(work_item=item, actor=actor)


def decision_check_item(*, work_item, actor) -> None:
    """The check of one item already read (a written decision), without reading it again."""
    kind = registry.kind_or_none(work_item.document_type)
    if kind is not None and kind.decision_check is not None:
        kind.decision_check(work_item=work_item, actor=actor)


def decided_through() -> Q | None:
    """Open work items another document decides with its own resolution (S2.3, S3.5: the plan, the final
    accounts and the budget a report before the congress binds): never a task or an agenda item of their
    own. The step is tested first, so the correlated subquery runs only for items at a binding step."""
    found = None
    for step, binders in registry.binders():
        q = Q(step=step) & Q(Exists(binders()))
        found = q if found is None else found | q
    return found


def through_item():
    """An annotation on work items: the id of the open item that decides the item with its own resolution
    (a report's before the same body, S2.3, S3.5), None for an item decided on its own."""
    found = [Subquery(binders().values("id")[:1]) for _step, binders in registry.binders()]
    if not found:
        return None
    return found[0] if len(found) == 1 else Coalesce(*found)


def documents_by_reference(wanted: dict[str, set[int]]) -> dict[tuple[str, int], tuple[str, str]]:
    """The documents an obligation's "met by" names ("budget:12"), set-based: one query per kind of
    document named, each document's title (as its status has it) and page (core.obligation_links)."""
    models = {}
    for kind in registry.kinds():
        model = kind.document_model()
        name = model._meta.model_name
        if name in wanted and name not in models:
            models[name] = (model, kind)
    found = {}
    for name, (model, kind) in models.items():
        for document in model.objects.filter(pk__in=sorted(wanted[name])):
            found[(name, document.pk)] = (str(document), kind.url(document.pk) or "")
    return found
