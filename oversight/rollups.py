"""Figures of the oversight pages for the whole province, kept in ``Rollup``.

When the scope is every union below the only root (a provincial supervisor), counting the stuck
items, grading the obligations of a year and taking a year of medians cost seconds. For that scope,
and for the filters listed below, the pages read the figures from ``Rollup`` instead: one indexed
row. The figures are computed by the same selectors as the live page (``oversight.selectors``) with
the same scope, so they are the live figures as of ``taken_at``, which the page shows ("as of HH:MM").
The lists themselves (the stuck items, the scorecard's page of unions) stay live: each is one index
scan of a page.

- The beat sweep ``rollups_refresh`` recomputes the default figures (stuck: no filter; scorecard:
  last, this and next year, each kind; efficiency: no filter) when older than ``REFRESH``. It is
  idempotent: a second run finds them fresh and does nothing; two sweeps racing upsert the same row.
- Any other figures served from here (another threshold, step or type of the stuck page, another
  year or status of the scorecard, a step of the efficiency page) are computed on first use, stored,
  reused while younger than ``MAX_AGE``, then computed again, and dropped by the sweep after a day.
- A page whose rollup is missing or older than ``MAX_AGE`` (beat not running, or the day changed:
  statuses and age buckets count whole days) computes it live and stores it, so it is never wrong by
  more than ``MAX_AGE``; smaller scopes (a department, a union) are always live.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import asdict

from django.utils import timezone

from core.models import Union, UnionKind
from oversight.models import Rollup, RollupPage
from oversight.selectors.efficiency import (
    EfficiencyFilters,
    StepTime,
    TrendPoint,
    efficiency_by_step,
    efficiency_by_union,
    overdue_trend,
)
from oversight.selectors.scope import OversightScope
from oversight.selectors.scorecard import ScoreFilters, ScoreTotals, scorecard_totals
from oversight.selectors.stuck import StuckCounts, StuckFilters, stuck_counts, stuck_items
from workflows.models import DocumentType

logger = logging.getLogger(__name__)

REFRESH = {
    RollupPage.STUCK: datetime.timedelta(minutes=5),
    RollupPage.SCORECARD: datetime.timedelta(minutes=15),
    RollupPage.EFFICIENCY: datetime.timedelta(minutes=60),
}
# Older than this (twice the refresh interval: the beat missed a run), the page computes again.
MAX_AGE = {page: 2 * interval for page, interval in REFRESH.items()}
DROP_AFTER = datetime.timedelta(days=1)
# "Refresh now" on a page recomputes figures older than this (a second click within it is served the
# figures the first one just took: the whole province's counts cost seconds).
ON_DEMAND_MIN_AGE = datetime.timedelta(seconds=30)


# --- Which requests a rollup serves ------------------------------------------------------------------


def rollup_root(scope: OversightScope) -> Union | None:
    """The root union when the scope is exactly "every union below the only root": one supervisor
    seat at the root, nothing chaired outside it. Other scopes are small enough to count live."""
    roots = scope.supervisor_roots
    if scope.tops != 1 or len(roots) != 1 or roots[0].parent_id is not None or scope.chaired_ids:
        return None
    return roots[0]


def _root_scope(root: Union) -> OversightScope:
    """The scope a provincial supervisor has (what the sweep computes for)."""
    root.supervised, root.chaired, root.supervisor_seat = False, False, True
    return OversightScope(unions=[root], tops=1)


def stuck_variant(filters: StuckFilters) -> str | None:
    """ "" for the default figures (kept fresh by the sweep); a threshold, step or document type over
    the whole province is counted on first use and kept like the others (o=days&s=step&t=type)."""
    if filters.union_id is not None or filters.department_id is not None:
        return None
    if filters == StuckFilters():
        return ""
    return f"o={filters.older_than}&s={filters.step}&t={filters.document_type}"


def score_variant(filters: ScoreFilters) -> str | None:
    if filters.department_id is not None:
        return None
    return f"year={filters.year}&kind={filters.kind}&status={filters.status}&code={filters.code}"


def efficiency_variant(filters: EfficiencyFilters) -> str | None:
    if filters.union_id is not None or filters.department_id is not None:
        return None
    return f"step={filters.step}"


# --- Figures <-> JSON ----------------------------------------------------------------------------------


def _stuck_encode(counts: StuckCounts) -> dict:
    data = asdict(counts)
    for row in data["by_type"]:
        row.pop("label", None)  # a translated label: put back in the reader's language
    return data


def _stuck_decode(data: dict) -> StuckCounts:
    labels = dict(DocumentType.choices)
    for row in data["by_type"]:
        row["label"] = labels.get(row["document_type"], row["document_type"])
    data["buckets"] = [tuple(b) for b in data["buckets"]]
    return StuckCounts(**data)


def _score_encode(totals: ScoreTotals) -> dict:
    return {
        "columns": [list(c) for c in totals.columns],
        "counts": [[code, period, counts] for (code, period), counts in totals.counts.items()],
        "unions": totals.unions,
    }


def _score_decode(data: dict) -> ScoreTotals:
    return ScoreTotals(
        columns=[tuple(c) for c in data["columns"]],
        counts={(code, period): counts for code, period, counts in data["counts"]},
        unions=data["unions"],
    )


def _efficiency_encode(figures: tuple) -> dict:
    by_step, by_union, trend = figures
    return {
        "by_step": [asdict(s) for s in by_step],
        "by_union": [asdict(s) for s in by_union],
        "trend": [[p.month.isoformat(), p.open, p.overdue] for p in trend],
    }


def _efficiency_decode(data: dict) -> tuple:
    return (
        [StepTime(**s) for s in data["by_step"]],
        [StepTime(**s) for s in data["by_union"]],
        [TrendPoint(datetime.date.fromisoformat(m), o, d) for m, o, d in data["trend"]],
    )


def _compute(page: str, scope: OversightScope, variant: str, now: datetime.datetime):
    """The live figures (the selectors of the page) and their JSON form."""
    params = dict(part.split("=", 1) for part in variant.split("&")) if variant else {}
    if page == RollupPage.STUCK:
        filters = StuckFilters()
        if params:
            filters = StuckFilters(older_than=int(params["o"]), step=params["s"], document_type=params["t"])
        items = stuck_items(scope=scope, filters=filters, now=now)
        figures = stuck_counts(items=items, now=now)
        return figures, _stuck_encode(figures)
    if page == RollupPage.SCORECARD:
        filters = ScoreFilters(
            year=int(params["year"]), kind=params["kind"], status=params["status"], code=params["code"]
        )
        figures = scorecard_totals(scope=scope, filters=filters, today=timezone.localdate(now))
        return figures, _score_encode(figures)
    filters = EfficiencyFilters(step=params["step"])
    figures = (
        efficiency_by_step(scope=scope, filters=filters, now=now),
        efficiency_by_union(scope=scope, filters=filters, now=now),
        overdue_trend(scope=scope, filters=filters, now=now),
    )
    return figures, _efficiency_encode(figures)


_DECODE = {
    RollupPage.STUCK: _stuck_decode,
    RollupPage.SCORECARD: _score_decode,
    RollupPage.EFFICIENCY: _efficiency_decode,
}


def _store(union_id: int, page: str, variant: str, data: dict, now: datetime.datetime) -> None:
    """Upsert on (union, page, variant): a sweep and a page filling the same miss both just write."""
    Rollup.objects.bulk_create(
        [Rollup(union_id=union_id, page=page, variant=variant, figures=data, taken_at=now)],
        update_conflicts=True,
        unique_fields=["union", "page", "variant"],
        update_fields=["figures", "taken_at"],
    )


def _fresh(rollup: Rollup | None, page: str, now: datetime.datetime) -> bool:
    if rollup is None or now - rollup.taken_at > MAX_AGE[page] or rollup.taken_at > now:
        return False
    return timezone.localdate(rollup.taken_at) == timezone.localdate(now)


def figures(
    *, page: str, scope: OversightScope, variant: str | None, now: datetime.datetime, refresh: bool = False
):
    """(figures, as of) from the rollup when it serves this scope and these filters, else None.

    One query on a hit; on a miss the live selectors run and their result is stored. ``refresh``
    (the page's "refresh now") recomputes figures older than ON_DEMAND_MIN_AGE."""
    root = rollup_root(scope) if variant is not None else None
    if root is None:
        return None
    rollup = Rollup.objects.filter(union_id=root.pk, page=page, variant=variant).first()
    recent = rollup is not None and now - rollup.taken_at < ON_DEMAND_MIN_AGE
    if _fresh(rollup, page, now) and (not refresh or recent):
        return _DECODE[page](rollup.figures), rollup.taken_at
    result, data = _compute(page, _root_scope(root), variant, now)
    _store(root.pk, page, variant, data, now)
    return result, now


# --- The sweep -----------------------------------------------------------------------------------------


def _default_variants(now: datetime.datetime) -> list[tuple[str, str]]:
    year = timezone.localdate(now).year
    kinds = ["", UnionKind.DEPARTMENT, UnionKind.GRASSROOTS]
    score = [f"year={y}&kind={k}&status=&code=" for y in (year - 1, year, year + 1) for k in kinds]
    return [
        (RollupPage.STUCK, ""),
        *[(RollupPage.SCORECARD, v) for v in score],
        (RollupPage.EFFICIENCY, "step="),
    ]


def rollups_refresh(*, now: datetime.datetime | None = None) -> int:
    """Beat, every 5 minutes: recompute the default figures older than their page's REFRESH for the
    only root union; drop other figures not used for a day. Returns how many were recomputed.

    Idempotent: a second run within the interval finds everything fresh and writes nothing."""
    now = now or timezone.now()
    roots = list(Union.objects.filter(parent__isnull=True)[:2])
    if len(roots) != 1:
        return 0
    root = roots[0]
    defaults = _default_variants(now)
    existing = {
        (r.page, r.variant): r for r in Rollup.objects.filter(union=root).only("page", "variant", "taken_at")
    }
    done = 0
    for page, variant in defaults:
        rollup = existing.get((page, variant))
        if rollup is not None and _fresh(rollup, page, now) and now - rollup.taken_at < REFRESH[page]:
            continue
        _result, data = _compute(page, _root_scope(root), variant, now)
        _store(root.pk, page, variant, data, now)
        done += 1
    stale = [r.pk for key, r in existing.items() if key not in defaults and now - r.taken_at > DROP_AFTER]
    if stale:
        Rollup.objects.filter(pk__in=stale).delete()
    logger.info("oversight rollups: %s recomputed, %s dropped", done, len(stale))
    return done
