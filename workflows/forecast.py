"""Deadline risk (issue 24): when an open document, at its steps' usual durations, will be through its
chain, and whether that is after the deadline of the statutory obligation its kind meets (S3.3 for a
budget, S2.2 for a plan, …). A document flagged here is not late yet: it is expected to be.

- The remaining steps: the kind's chain (``kind.chain_of``) from the document's open step to its end.
  A document back with its drafter (the revise step, outside the chain) goes on where the return said
  (``restart_step``), else after the draft.
- A step's usual duration: the median time it took (finished − created) over the top-level work items
  of the same document type and step finished in the last MEDIAN_WINDOW_DAYS, in every union, when
  there are at least MIN_SAMPLES of them; else its default (``workflows.steps.step_days``: the union's
  StepDuration row, the default row, the flow's StepSpec), the durations the steps' due dates use.
- Days are calendar days, as ``step_due`` counts them. The open step counts what is left of its usual
  duration after the days already spent in it (never below zero).
- The deadline: the earliest unmet obligation of the kind's code for the document's union and year
  (the row ``workflows.services.workitems._deadline`` fits the steps' due dates before). Without one
  there is no risk; a deadline already past is lateness (the stuck and scorecard pages), not a forecast.

Reads are set-based, a fixed number of queries whatever the number of documents: the documents of
every kind with their deadline (one UNION ALL), the medians (one), the documents' open work items
(one), the step durations (``core.refcache``), and the candidates of a kind whose chain depends on the
document (``chain_for``: one per such kind).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import CharField, Exists, OuterRef, Q, Subquery, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.statutory import Obligation
from workflows import registry
from workflows.documents import document_url
from workflows.models import WorkItem, WorkItemState
from workflows.steps import step_days, step_durations_any_union

MEDIAN_WINDOW_DAYS = 365
# fewer finished steps than this say little: the step's default applies
MIN_SAMPLES = 5
# an item holds its document while open, or while it waits for a signer added before it (加签)
OPEN_STATES = (WorkItemState.OPEN, WorkItemState.BLOCKED)


class Source:
    MEDIAN = "median"
    DEFAULT = "default"


SOURCE_LABELS = {
    Source.MEDIAN: gettext_lazy("median of the last year"),
    Source.DEFAULT: gettext_lazy("default"),
}


@dataclass(frozen=True)
class ForecastStep:
    """One remaining step: the days counted for it and where they come from."""

    step: str
    title: Any  # the step's title (lazy translation)
    days: int  # days still to go
    source: str  # Source.MEDIAN or Source.DEFAULT
    usual_days: int
    spent_days: int = 0  # the open step: days already spent in it

    @property
    def source_label(self):
        return SOURCE_LABELS[self.source]

    def __str__(self) -> str:
        values = {"step": self.title, "days": self.days, "source": self.source_label}
        if self.spent_days:
            return _("%(step)s %(days)s more days (%(source)s %(usual)s days, %(spent)s days spent)") % {
                **values,
                "usual": self.usual_days,
                "spent": self.spent_days,
            }
        return _("%(step)s %(days)s days (%(source)s)") % values


@dataclass(frozen=True)
class DocumentForecast:
    """When an open document is expected through its chain, against its deadline."""

    document_type: str
    document_id: int
    title: str
    type_label: Any  # the kind's name (lazy translation)
    union_id: int
    union_name: str
    url: str | None
    current_step: Any  # the open step's title (lazy translation)
    deadline: datetime.date | None
    forecast: datetime.date
    steps: tuple[ForecastStep, ...]

    @property
    def at_risk(self) -> bool:
        return self.deadline is not None and self.forecast > self.deadline

    @property
    def days_over(self) -> int:
        return (self.forecast - self.deadline).days if self.deadline is not None else 0

    @property
    def explanation(self) -> str:
        """The forecast said in words: "expected done on 2027-03-02: Party approval 14 days (…) + …"."""
        return _("Expected done on %(date)s: %(steps)s") % {
            "date": self.forecast.isoformat(),
            "steps": " + ".join(str(step) for step in self.steps),
        }


class _Document(NamedTuple):
    kind: registry.DocumentKind
    document_id: int
    union_id: int
    union_name: str
    title: str
    restart_step: str
    deadline: datetime.date | None


def documents_at_risk(*, union_ids: Iterable[int], today: datetime.date) -> list[DocumentForecast]:
    """The open documents of these unions expected to miss their deadline, soonest deadline first."""
    ids = [int(i) for i in union_ids]
    if not ids:
        return []
    return documents_at_risk_within(within=Q(union_id__any=ids), today=today)


def documents_at_risk_within(*, within: Q, today: datetime.date) -> list[DocumentForecast]:
    """``documents_at_risk`` for the documents whose union matches ``within`` (a Q on ``union_id``:
    oversight's scope, which is a predicate rather than a list at provincial scale)."""
    kinds = [k for k in registry.kinds() if k.obligation_code]
    documents = _documents(kinds=kinds, within=within, today=today)
    if not documents:
        return []
    medians = usual_medians(document_types={d.kind.document_type for d in documents}, today=today)
    # no remaining path is longer than every step of the kind: a deadline beyond that is safe
    horizons = {d.kind.document_type: _horizon(d.kind, medians) for d in documents}
    documents = [
        d for d in documents if d.deadline <= today + datetime.timedelta(days=horizons[d.kind.document_type])
    ]
    items = _open_items(documents)
    chains = _chains(documents)
    forecasts = []
    for document in documents:
        key = (document.kind.document_type, document.document_id)
        if key not in items:
            continue
        forecast = _forecast(document, chains.get(key), items[key], medians, today)
        if forecast is not None and forecast.at_risk:
            forecasts.append(forecast)
    return sorted(forecasts, key=lambda f: (f.deadline, -f.days_over, f.union_name, f.title, f.document_id))


def document_forecast(
    document, kind: registry.DocumentKind, *, today: datetime.date | None = None
) -> DocumentForecast | None:
    """One document's forecast (its page), at risk or not; None when none of its flow's steps is open."""
    today = today or timezone.localdate()
    deadline = None
    if kind.obligation_code:
        deadline = (
            Obligation.objects.filter(
                union_id=document.union_id,
                code=kind.obligation_code,
                fiscal_year=document.year,
                met_on__isnull=True,
            )
            .order_by("due_date")
            .values_list("due_date", flat=True)
            .first()
        )
    row = _Document(
        kind,
        document.pk,
        document.union_id,
        document.union.name,
        document.title,
        document.restart_step,
        deadline,
    )
    items = _open_items([row]).get((kind.document_type, document.pk))
    if not items:
        return None
    medians = usual_medians(document_types={kind.document_type}, today=today)
    return _forecast(row, kind.chain_of(document), items, medians, today)


# --- reads ----------------------------------------------------------------------------------------------


def _documents(*, kinds, within: Q, today: datetime.date) -> list[_Document]:
    """One UNION ALL over the kinds' document tables: the documents with an open top-level work item,
    with the deadline of their obligation when it is unmet and not yet past."""
    parts = []
    for kind in kinds:
        open_item = WorkItem.objects.filter(
            document_type=kind.document_type,  # workitem_document (document_type, document_id, …)
            document_id=OuterRef("pk"),
            state__in=OPEN_STATES,
            parent__isnull=True,
        )
        deadline = (
            Obligation.objects.filter(
                union_id=OuterRef("union_id"),
                code=kind.obligation_code,
                fiscal_year=OuterRef("year"),
                met_on__isnull=True,
            )
            .order_by("due_date")
            .values("due_date")[:1]
        )
        parts.append(
            kind.document_model()
            .objects.filter(within, Exists(open_item))
            .annotate(
                kind_type=Value(kind.document_type, output_field=CharField()), deadline=Subquery(deadline)
            )
            .filter(deadline__gte=today)
            .order_by()
            .values_list("kind_type", "pk", "union_id", "union__name", "title", "restart_step", "deadline")
        )
    if not parts:
        return []
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    by_type = {k.document_type: k for k in kinds}
    return [_Document(by_type[row[0]], *row[1:]) for row in rows]


_MEDIANS_SQL = """
SELECT w.document_type, w.step,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (w.finished_at - w.created_at)))
FROM workflows_workitem w
WHERE w.state = 'done' AND w.parent_id IS NULL AND w.finished_at >= %s AND w.finished_at < %s
    AND w.document_type = ANY(%s)
GROUP BY w.document_type, w.step
HAVING COUNT(*) >= %s"""


def usual_medians(*, document_types: Iterable[str], today: datetime.date) -> dict[tuple[str, str], int]:
    """One query: (document type, step) → the median days its top-level items took, finished in the
    MEDIAN_WINDOW_DAYS before today, where at least MIN_SAMPLES were (``workitem_done_top_finished``).
    Rounded up: a step that usually takes 13.2 days is not done in 13."""
    types = sorted(document_types)
    if not types:
        return {}
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(
        today - datetime.timedelta(days=MEDIAN_WINDOW_DAYS), datetime.time(), tz
    )
    end = datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time(), tz)
    with connection.cursor() as cursor:
        cursor.execute(_MEDIANS_SQL, [start, end, types, MIN_SAMPLES])
        rows = cursor.fetchall()
    return {(t, step): math.ceil(max(float(seconds), 0.0) / 86400) for t, step, seconds in rows}


def _open_items(documents: list[_Document]) -> dict[tuple[str, int], list[tuple[str, datetime.datetime]]]:
    """One query: each document's open top-level items as (step, created)."""
    ids: dict[str, list[int]] = {}
    for document in documents:
        ids.setdefault(document.kind.document_type, []).append(document.document_id)
    if not ids:
        return {}
    which = Q()
    for document_type, document_ids in ids.items():
        which |= Q(document_type=document_type, document_id__any=document_ids)
    rows = WorkItem.objects.filter(which, state__in=OPEN_STATES, parent__isnull=True).values_list(
        "document_type", "document_id", "step", "created_at"
    )
    items: dict[tuple[str, int], list[tuple[str, datetime.datetime]]] = {}
    for document_type, document_id, step, created in rows:
        items.setdefault((document_type, document_id), []).append((step, created))
    return items


def _chains(documents: list[_Document]) -> dict[tuple[str, int], list[str]]:
    """The chains that depend on the document (``chain_for``): one query per such kind."""
    chains: dict[tuple[str, int], list[str]] = {}
    for kind in {d.kind.document_type: d.kind for d in documents if d.kind.chain_for}.values():
        ids = [d.document_id for d in documents if d.kind is kind]
        for document in kind.document_model().objects.filter(pk__any=ids):
            chains[(kind.document_type, document.pk)] = kind.chain_of(document)
    return chains


# --- the forecast ---------------------------------------------------------------------------------------


def _horizon(kind: registry.DocumentKind, medians: dict[tuple[str, str], int]) -> int:
    """Days of every step of the kind at its longest duration: no remaining path is longer."""
    rows = step_durations_any_union(document_type=kind.document_type)
    return sum(
        max(spec.days, rows.get(name, 0), medians.get((kind.document_type, name), 0))
        for name, spec in kind.steps.items()
    )


def _remaining(chain: list[str], current: str, restart_step: str) -> list[str]:
    """The steps after the open one: the rest of the chain, or after a revision, from where the
    return restarts it."""
    if current in chain:
        return chain[chain.index(current) + 1 :]
    if restart_step in chain:
        return chain[chain.index(restart_step) :]
    return chain[1:]


def _forecast(
    document: _Document,
    chain: list[str] | None,
    items: list[tuple[str, datetime.datetime]],
    medians: dict[tuple[str, str], int],
    today: datetime.date,
) -> DocumentForecast | None:
    """None when only items outside the kind's flow are open (an upper union signing for a report:
    the chain is through)."""
    kind = document.kind
    items = [(step, created) for step, created in items if step in kind.steps]
    if not items:
        return None
    chain = chain if chain is not None else list(kind.chain)
    # several open items (one per opinion recipient, parallel branches): the least advanced counts
    current = min((step for step, _created in items), key=lambda s: chain.index(s) if s in chain else -1)
    started = min(created for step, created in items if step == current)
    spent = max((today - timezone.localtime(started).date()).days, 0)
    defaults = step_days(union_id=document.union_id, document_type=kind.document_type, steps=kind.steps)
    steps = [_step(kind, current, medians, defaults, spent=spent)]
    steps += [
        _step(kind, name, medians, defaults) for name in _remaining(chain, current, document.restart_step)
    ]
    return DocumentForecast(
        document_type=kind.document_type,
        document_id=document.document_id,
        title=document.title,
        type_label=kind.label,
        union_id=document.union_id,
        union_name=document.union_name,
        url=document_url(kind.document_type, document.document_id),
        current_step=steps[0].title,
        deadline=document.deadline,
        forecast=today + datetime.timedelta(days=sum(step.days for step in steps)),
        steps=tuple(steps),
    )


def _step(kind, name: str, medians, defaults: dict[str, int], *, spent: int = 0) -> ForecastStep:
    median = medians.get((kind.document_type, name))
    usual, source = (median, Source.MEDIAN) if median is not None else (defaults.get(name, 0), Source.DEFAULT)
    return ForecastStep(
        step=name,
        title=kind.step(name).title,
        days=max(usual - spent, 0),
        source=source,
        usual_days=usual,
        spent_days=spent,
    )
