"""The compliance scorecard and its export: each union below me × each Five Ones obligation of a year,
with totals per obligation."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.models import UnionKind
from core.statutory import STATUS_MEANINGS, ObligationStatus, obligation_words
from oversight import errors, rollups, xlsx
from oversight.models import RollupPage
from oversight.selectors.scope import OversightScope
from oversight.selectors.scorecard import (
    CELL_STATUSES,
    REQUESTS_CODE,
    REQUESTS_LABEL,
    SCORE_CODES,
    SCORE_STATUS_LABELS,
    ScoreFilters,
    scorecard_page,
    scorecard_totals,
)
from oversight.selectors.team import team_of
from oversight.views.common import (
    decode_cursor,
    encode_cursor,
    int_or_none,
    render_page,
    scope_or_refuse,
    union_filter,
    warn_ignored,
    xlsx_response,
)


def _parse_score(request, scope: OversightScope) -> ScoreFilters:
    get = request.GET
    bad: list[str] = []
    year = timezone.localdate().year
    if get.get("year", "") != "":
        value = int_or_none(get["year"])
        if value is None or not 2000 <= value <= 2100:
            bad.append(_("year"))
        else:
            year = value
    _union_id, department_id = union_filter(request, scope, bad)
    kind = get.get("kind", "")
    if kind and kind not in (UnionKind.DEPARTMENT, UnionKind.GRASSROOTS):
        bad.append(_("kind"))
        kind = ""
    status = get.get("status", "")
    if status and status not in CELL_STATUSES:
        bad.append(_("status"))
        status = ""
    code = get.get("code", "")
    if code and code not in SCORE_CODES:
        bad.append(_("obligation"))
        code = ""
    warn_ignored(request, bad)
    return ScoreFilters(year=year, department_id=department_id, kind=kind, status=status, code=code)


def _score_cursor(request) -> tuple[str, int] | None:
    raw = request.GET.get("after", "")
    if not raw:
        return None
    try:
        name, pk = decode_cursor(raw)
        if not isinstance(name, str) or not isinstance(pk, int):
            raise ValueError
    except (ValueError, TypeError, UnicodeDecodeError):
        messages.warning(request, errors.PAGE_LINK_INVALID)
        return None
    return name, pk


# The cells' marks and what each means (one legend under the grid; core.statutory.STATUS_MEANINGS).
SCORE_LEGEND = [
    ("text-muted", "○", ObligationStatus.PENDING.label, STATUS_MEANINGS[ObligationStatus.PENDING]),
    ("text-primary", "⟳", _lazy("in progress"), _lazy("its document is on its way through the chain")),
    ("text-danger", "⚠", ObligationStatus.LATE.label, STATUS_MEANINGS[ObligationStatus.LATE]),
    ("text-danger fw-bold", "✘", ObligationStatus.MISSED.label, STATUS_MEANINGS[ObligationStatus.MISSED]),
    ("text-warning", "↩", ObligationStatus.RETURNED.label, STATUS_MEANINGS[ObligationStatus.RETURNED]),
    ("text-success", "✔", ObligationStatus.MET.label, STATUS_MEANINGS[ObligationStatus.MET]),
]


def _code_words(code: str) -> str:
    """An obligation in words; S1.3's column (graded from the requests, no obligation row) in its own."""
    return str(REQUESTS_LABEL) if code == REQUESTS_CODE else obligation_words(code)


def _column_labels(columns) -> dict:
    """Each column's obligation in words (its seed clause goes in the header's 依据 tooltip)."""
    return {c: f"{_code_words(c[0])}{' ' + c[1] if c[1] else ''}" for c in columns}


def _score_kept(filters: ScoreFilters) -> dict:
    kept = {
        "year": filters.year,
        "department": filters.department_id or "",
        "kind": filters.kind,
        "status": filters.status,
        "code": filters.code,
    }
    return {k: v for k, v in kept.items() if v not in ("", None)}


def _score_totals(scope: OversightScope, filters: ScoreFilters, today: datetime.date):
    """The totals row: from the rollup for the whole province (with its moment), else live."""
    cached = rollups.figures(
        page=RollupPage.SCORECARD, scope=scope, variant=rollups.score_variant(filters), now=timezone.now()
    )
    return cached or (scorecard_totals(scope=scope, filters=filters, today=today), None)


@login_required
def scorecard(request):
    """Each union below me × each Five Ones obligation of a year: met (date), in progress (step),
    pending, returned, late, missed; totals per obligation."""
    scope = scope_or_refuse(request)
    filters = _parse_score(request, scope)
    today = timezone.localdate()
    after = _score_cursor(request)
    rows, cursor = scorecard_page(scope=scope, filters=filters, today=today, after=after)
    totals, totals_as_of = _score_totals(scope, filters, today)
    labels = _column_labels(totals.columns)
    kept = _score_kept(filters)
    # S4.1 rules, S4.2 staffing, S4.4 contacts: no obligation rows, read for the page's unions at once
    team = team_of([(row.union_id, row.name) for row in rows], on=today)
    grid = [
        {
            "row": row,
            "cells": [row.cells.get(column) for column in totals.columns],
            "team": team[row.union_id],
        }
        for row in rows
    ]
    return render_page(
        request,
        "oversight/scorecard.html",
        {
            "grid": grid,
            "columns": [(c, labels[c]) for c in totals.columns],
            "totals": [[totals.counts[c].get(s, 0) for s in CELL_STATUSES] for c in totals.columns],
            "union_count": totals.unions,
            "totals_as_of": totals_as_of,
            "statuses": [(s, SCORE_STATUS_LABELS[s]) for s in CELL_STATUSES],
            "filters": filters,
            "departments": scope.departments,
            "codes": [(code, _code_words(code)) for code in SCORE_CODES],
            "legend": SCORE_LEGEND,
            "query": urlencode(kept),
            "next_url": "?" + urlencode({**kept, "after": encode_cursor(*cursor)}) if cursor else None,
            "first_url": "?" + urlencode(kept) if after else None,
            "tab": "scorecard",
        },
    )


@login_required
def scorecard_export(request):
    scope = scope_or_refuse(request)
    filters = _parse_score(request, scope)
    today = timezone.localdate()
    rows, _cursor = scorecard_page(scope=scope, filters=filters, today=today, size=10**6)
    totals = scorecard_totals(scope=scope, filters=filters, today=today)  # the export is live
    content = xlsx.scorecard_to_xlsx(
        [rows], columns=totals.columns, column_labels=_column_labels(totals.columns), totals=totals
    )
    return xlsx_response(content, f"五个一履职-{filters.year}")
