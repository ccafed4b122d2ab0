"""Oversight pages (issue 9): thin views that parse input and call the selectors and services.

Every page and export is scoped by ``oversight_scope``: a supervisor sees the unions below their
own, a chair their own union; anyone else is refused (403, logged). A filter value that makes no
sense (or names a union outside the scope) is dropped with a message, never a 500. Exports take the
same filters and the same selectors as their page.
"""

from __future__ import annotations

import base64
import datetime
import json
import re
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.models import Union, UnionKind, User
from core.statutory import ObligationCode
from core.views import refuse
from oversight import errors, rollups, selectors, xlsx
from oversight.models import RollupPage
from oversight.selectors import (
    CELL_STATUSES,
    DATETIME_SORTS,
    DEFAULT_OLDER_THAN_DAYS,
    SORTS,
    EfficiencyFilters,
    ScoreFilters,
    Sort,
    StuckFilters,
    nav_counts,
    oversight_scope,
)
from oversight.services import body_seat_holders, may_reassign, report_urge_missing, union_urge_all
from oversight.services import work_item_reassign as reassign_service
from oversight.svg import bar_chart, line_chart
from workflows.documents import DOCUMENT_URL_NAMES, document_url
from workflows.models import DocumentType, WorkItem
from workflows.services.workitems import DocumentBusy

MAX_OLDER_THAN_DAYS = 3650
_STEP = re.compile(r"^[a-z0-9_]{1,50}$")


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or -(2**62) < number < 2**62 else None


def _warn(request, bad: list[str]) -> None:
    if bad:
        messages.warning(request, errors.FILTERS_IGNORED % {"names": "、".join(str(b) for b in bad)})


def _scope_or_refuse(request, *extra: str):
    """The user's scope, with the union ids the filters name checked in the same query."""
    asked = [
        _int(request.GET.get(name) or request.POST.get(name)) for name in ("union", "department", *extra)
    ]
    scope = oversight_scope(user=request.user, asked=[a for a in asked if a is not None])
    if scope.is_empty:
        refuse(request, union=None, reason="not a supervisor or chair", status=403)
    return scope


def _union_filter(request, scope, bad: list[str]) -> tuple[int | None, int | None]:
    get = request.GET
    union_id = department_id = None
    if get.get("union", "") != "":
        union_id = _int(get["union"])
        if union_id is None or not scope.covers(union_id):
            bad.append(_("union"))
            union_id = None
    if get.get("department", "") != "":
        department_id = _int(get["department"])
        if department_id not in {d.pk for d in scope.departments}:
            bad.append(_("department"))
            department_id = None
    return union_id, department_id


def _render(request, template: str, context: dict, **kwargs):
    context = {**nav_counts(user=request.user), **context}
    return render(request, template, context, **kwargs)


def _xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{name}-{stamp}.xlsx')}"
    return response


# --- Stuck approvals ------------------------------------------------------------------------------


def _parse_stuck(request, scope) -> tuple[StuckFilters, Sort]:
    """Read the filters; a value that makes no sense is dropped with a message, never a 500."""
    get = request.GET
    bad: list[str] = []
    older_than = DEFAULT_OLDER_THAN_DAYS
    if get.get("older_than", "") != "":
        value = _int(get["older_than"])
        if value is None or not 0 <= value <= MAX_OLDER_THAN_DAYS:
            bad.append(_("days"))
        else:
            older_than = value
    union_id, department_id = _union_filter(request, scope, bad)
    step = get.get("step", "")
    if step and not _STEP.match(step):
        bad.append(_("step"))
        step = ""
    document_type = get.get("type", "")
    if document_type and document_type not in DocumentType.values:
        bad.append(_("document type"))
        document_type = ""
    sort = Sort()
    raw_sort = get.get("sort", "")
    if raw_sort:
        column = raw_sort.removeprefix("-")
        if column in SORTS:
            sort = Sort(column=column, descending=raw_sort.startswith("-"))
        else:
            bad.append(_("sort"))
    _warn(request, bad)
    filters = StuckFilters(
        older_than=older_than,
        union_id=union_id,
        department_id=department_id,
        step=step,
        document_type=document_type,
    )
    return filters, sort


def _whole_tree(scope, filters: StuckFilters) -> bool:
    """The list covers the whole province: no union or department chosen."""
    return (
        rollups.rollup_root(scope) is not None and filters.union_id is None and filters.department_id is None
    )


def _encode_cursor(value, pk: int) -> str:
    if isinstance(value, datetime.datetime):
        value = value.isoformat()
    return base64.urlsafe_b64encode(json.dumps([value, pk]).encode()).decode().rstrip("=")


def _parse_cursor(request, sort: Sort) -> tuple | None:
    raw = request.GET.get("after", "")
    if not raw:
        return None
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not isinstance(pk, int) or not (value is None or isinstance(value, str)):
            raise ValueError
        if value is not None and sort.field in DATETIME_SORTS:
            moment = parse_datetime(value)
            if moment is None:
                raise ValueError
            value = moment if timezone.is_aware(moment) else timezone.make_aware(moment, datetime.UTC)
    except (ValueError, TypeError, UnicodeDecodeError):
        messages.warning(request, errors.PAGE_LINK_INVALID)
        return None
    return value, pk


def _kept(filters: StuckFilters, sort: Sort) -> dict:
    kept = {
        "older_than": filters.older_than,
        "union": filters.union_id or "",
        "department": filters.department_id or "",
        "step": filters.step,
        "type": filters.document_type,
        "sort": sort.param if sort != Sort() else "",
    }
    return {k: v for k, v in kept.items() if v not in ("", None)}


_URL_MARK = 987654321


def _url_filler(resolve):
    """``resolve(pk)`` for many pks at the cost of one reverse(): the URL of a marker id, filled in."""
    template = resolve(_URL_MARK)
    return lambda pk: template.replace(str(_URL_MARK), str(pk))


@login_required
def stuck(request):
    """Stuck approvals: open work overdue or older than a threshold in the unions I oversee."""
    scope = _scope_or_refuse(request)
    now = timezone.now()
    filters, sort = _parse_stuck(request, scope)
    if sort.column in selectors.WHOLE_TREE_UNSORTABLE and _whole_tree(scope, filters):
        messages.info(request, errors.SORT_NEEDS_NARROWER_SCOPE)
        sort = Sort()
    after = _parse_cursor(request, sort)
    items = selectors.stuck_items(scope=scope, filters=filters, now=now)
    page, cursor = selectors.stuck_page(items=items, sort=sort, after=after)
    # labels translated once: get_document_type_display translates every choice on each call,
    # twice per row in the template (bench P5: a fifth of the page's time)
    type_labels = {value: str(label) for value, label in DocumentType.choices}
    # each row's links filled into URLs reversed once per page (50 rows reversed 180 URLs)
    urge_url = _url_filler(lambda pk: reverse("workflows:urge", args=[pk]))
    reassign_url = _url_filler(lambda pk: reverse("oversight:reassign", args=[pk]))
    open_url = {t: _url_filler(lambda pk, t=t: document_url(t, pk)) for t in DOCUMENT_URL_NAMES}
    rows = [
        {
            "item": item,
            "type_label": type_labels.get(item.document_type, item.document_type),
            "urge_url": urge_url(item.pk),
            "reassign_url": reassign_url(item.pk),
            "url": open_url[item.document_type](item.document_id)
            if item.document_type in DOCUMENT_URL_NAMES
            else "",
            "days_late": (now - item.due_at).days if item.due_at and item.due_at < now else None,
            "days_waiting": (now - item.created_at).days,
            "can_urge": scope.supervises_listed(item.union_id),
            "can_reassign": item.kind == "body" and item.body_id is not None,
        }
        for item in page
    ]
    kept = _kept(filters, sort)
    cached = rollups.figures(
        page=RollupPage.STUCK, scope=scope, variant=rollups.stuck_variant(filters), now=now
    )
    counts, counts_as_of = cached or (selectors.stuck_counts(items=items, now=now), None)
    sort_links = {}
    for column in SORTS:
        descending = sort.column == column and not sort.descending
        sort_links[column] = "?" + urlencode({**kept, "sort": ("-" if descending else "") + column})
    for row in counts.by_union:
        row["can_urge"] = scope.supervises_listed(row["union_id"])
    union_choices = [{"pk": r["union_id"], "name": r["union__name"]} for r in counts.by_union]
    if filters.union_id is not None and filters.union_id not in {u["pk"] for u in union_choices}:
        chosen = scope.union_named(filters.union_id)
        union_choices.insert(0, {"pk": chosen.pk, "name": chosen.name})
    return _render(
        request,
        "oversight/stuck.html",
        {
            "rows": rows,
            "filters": filters,
            "sort": sort,
            "sort_links": sort_links,
            "unions": union_choices,
            "urge_union_url": reverse("oversight:urge_union"),
            "departments": scope.departments,
            "type_choices": DocumentType.choices,
            "by_step": counts.by_step,
            "by_union": counts.by_union,
            "by_type": counts.by_type,
            "buckets": counts.buckets,
            "total": counts.total,
            "unions_total": counts.unions_total,
            "counts_as_of": counts_as_of,
            "chart": bar_chart(
                [(_(r["step_title"]), r["count"]) for r in counts.by_step], title=_("Stuck by step")
            )
            if counts.by_step
            else "",
            "query": urlencode(kept),
            "next_url": "?" + urlencode({**kept, "after": _encode_cursor(*cursor)}) if cursor else None,
            "first_url": "?" + urlencode(kept) if after else None,
            "tab": "stuck",
        },
    )


@login_required
def stuck_export(request):
    scope = _scope_or_refuse(request)
    now = timezone.now()
    filters, sort = _parse_stuck(request, scope)
    items = selectors.stuck_items(scope=scope, filters=filters, now=now)
    content = xlsx.stuck_to_xlsx(selectors.stuck_export_rows(items=items, sort=sort), now=now)
    return _xlsx_response(content, "审批滞留")


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
def urge_union(request):
    """催办 every stuck task of one union (supervisors above it only)."""
    scope = _scope_or_refuse(request)
    union_id = _int(request.POST.get("union"))
    if union_id is None or not scope.supervises(union_id):
        refuse(request, union=None, reason="urge a union outside the scope", status=403)
    union = Union.objects.get(pk=union_id)
    older_than = _int(request.POST.get("older_than"))
    if older_than is None or not 0 <= older_than <= MAX_OLDER_THAN_DAYS:
        older_than = DEFAULT_OLDER_THAN_DAYS
    items = selectors.stuck_items(
        scope=scope, filters=StuckFilters(older_than=older_than, union_id=union_id), now=timezone.now()
    )
    try:
        result = union_urge_all(union=union, user=request.user, items=items)
    except PermissionDenied:
        refuse(request, union=union, reason="urge all not allowed", status=403)
    messages.success(
        request,
        _("%(union)s: %(urged)s tasks urged, %(skipped)s skipped (urged less than 24 hours ago).")
        % {"union": union.name, "urged": result.urged, "skipped": result.too_soon},
    )
    return _back(request, reverse("oversight:stuck"))


def _item_in_scope(request, pk: int) -> tuple[WorkItem, object]:
    item = WorkItem.objects.select_related("union", "body", "assignee").filter(pk=pk).first()
    scope = oversight_scope(user=request.user, asked=[item.union_id] if item else [])
    if scope.is_empty:
        refuse(request, union=None, reason="not a supervisor or chair", status=403)
    if item is None or not scope.covers(item.union_id):
        refuse(request, union=item.union if item else None, reason="work item outside the scope")
    return item, scope


@login_required
def reassign(request, pk: int):
    """Reassign a stuck body task to another seat holder of the same body (chair or supervisor)."""
    item, _scope = _item_in_scope(request, pk)
    if not may_reassign(user=request.user, union=item.union):
        refuse(request, union=item.union, reason="reassign not allowed", status=403)
    holders = body_seat_holders(item=item)
    problems: list[str] = []
    status = 200
    chosen = request.POST.get("to", "")
    note = request.POST.get("note", "")
    if request.method == "POST":
        to_id = _int(chosen)
        to = User.objects.filter(pk=to_id).first() if to_id is not None else None
        try:
            reassign_service(item=item, user=request.user, to=to, note=note.strip()[:1000])
        except ValidationError as exc:
            problems, status = list(exc.messages), 400
        except PermissionDenied:
            refuse(request, union=item.union, reason="reassign not allowed", status=403)
        except DocumentBusy as exc:
            problems, status = [str(exc.message)], 409
        else:
            messages.success(request, _("The task was reassigned to %(person)s.") % {"person": to})
            return _back(request, reverse("oversight:stuck"))
    return _render(
        request,
        "oversight/reassign.html",
        {
            "item": item,
            "holders": holders,
            "problems": problems,
            "chosen": chosen,
            "note": note,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "url": document_url(item.document_type, item.document_id)
            if item.document_type in DOCUMENT_URL_NAMES
            else "",
            "tab": "stuck",
        },
        status=status,
    )


# --- Received reports -----------------------------------------------------------------------------


def _rates(scope):
    from workflows.reports.views import submission_rates

    return [(root, submission_rates(root)) for root in scope.supervisor_roots]


@login_required
def reports(request):
    """The reports submitted to my union: submission rate per report and year, the non-submitters,
    and the action to urge them (acknowledge and return stay on the received-reports page)."""
    scope = _scope_or_refuse(request)
    return _render(request, "oversight/reports.html", {"rates": _rates(scope), "tab": "reports"})


@login_required
def reports_export(request):
    scope = _scope_or_refuse(request)
    return _xlsx_response(xlsx.reports_to_xlsx(_rates(scope)), "报告报送情况")


@login_required
@require_POST
def urge_report(request):
    scope = _scope_or_refuse(request)
    receiver_id = _int(request.POST.get("receiver"))
    receiver = next((r for r in scope.supervisor_roots if r.pk == receiver_id), None)
    if receiver is None:
        refuse(request, union=None, reason="urge for a union not supervised", status=403)
    year = _int(request.POST.get("year"))
    kind = request.POST.get("kind", "")
    try:
        result = report_urge_missing(
            receiver=Union.objects.get(pk=receiver.pk), user=request.user, kind=kind, year=year or 0
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        refuse(request, union=receiver, reason="urge report not allowed", status=403)
    else:
        messages.success(
            request,
            _(
                "%(urged)s open steps urged, %(notified)s people told to start, "
                "%(skipped)s skipped (urged less than 24 hours ago)."
            )
            % {"urged": result.urged, "notified": result.notified, "skipped": result.too_soon},
        )
    return redirect("oversight:reports")


# --- Compliance scorecard -------------------------------------------------------------------------


def _parse_score(request, scope) -> ScoreFilters:
    get = request.GET
    bad: list[str] = []
    year = timezone.localdate().year
    if get.get("year", "") != "":
        value = _int(get["year"])
        if value is None or not 2000 <= value <= 2100:
            bad.append(_("year"))
        else:
            year = value
    _union_id, department_id = _union_filter(request, scope, bad)
    kind = get.get("kind", "")
    if kind and kind not in (UnionKind.DEPARTMENT, UnionKind.GRASSROOTS):
        bad.append(_("kind"))
        kind = ""
    status = get.get("status", "")
    if status and status not in CELL_STATUSES:
        bad.append(_("status"))
        status = ""
    code = get.get("code", "")
    if code and code not in ObligationCode.values:
        bad.append(_("obligation"))
        code = ""
    _warn(request, bad)
    return ScoreFilters(year=year, department_id=department_id, kind=kind, status=status, code=code)


def _score_cursor(request) -> tuple[str, int] | None:
    raw = request.GET.get("after", "")
    if not raw:
        return None
    try:
        name, pk = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if not isinstance(name, str) or not isinstance(pk, int):
            raise ValueError
    except (ValueError, TypeError, UnicodeDecodeError):
        messages.warning(request, errors.PAGE_LINK_INVALID)
        return None
    return name, pk


def _column_labels(columns) -> dict:
    labels = dict(ObligationCode.choices)
    return {c: f"{labels.get(c[0], c[0])}{' ' + c[1] if c[1] else ''}" for c in columns}


def _score_kept(filters: ScoreFilters) -> dict:
    kept = {
        "year": filters.year,
        "department": filters.department_id or "",
        "kind": filters.kind,
        "status": filters.status,
        "code": filters.code,
    }
    return {k: v for k, v in kept.items() if v not in ("", None)}


def _score_totals(scope, filters: ScoreFilters, today: datetime.date):
    """The totals row: from the rollup for the whole province (with its moment), else live."""
    cached = rollups.figures(
        page=RollupPage.SCORECARD, scope=scope, variant=rollups.score_variant(filters), now=timezone.now()
    )
    return cached or (selectors.scorecard_totals(scope=scope, filters=filters, today=today), None)


@login_required
def scorecard(request):
    """Each union below me × each Five Ones obligation of a year: met (date), in progress (step),
    pending, returned, late, missed; totals per obligation."""
    scope = _scope_or_refuse(request)
    filters = _parse_score(request, scope)
    today = timezone.localdate()
    after = _score_cursor(request)
    rows, cursor = selectors.scorecard_page(scope=scope, filters=filters, today=today, after=after)
    totals, totals_as_of = _score_totals(scope, filters, today)
    labels = _column_labels(totals.columns)
    kept = _score_kept(filters)
    grid = [{"row": row, "cells": [row.cells.get(column) for column in totals.columns]} for row in rows]
    return _render(
        request,
        "oversight/scorecard.html",
        {
            "grid": grid,
            "columns": [(c, labels[c]) for c in totals.columns],
            "totals": [[totals.counts[c].get(s, 0) for s in CELL_STATUSES] for c in totals.columns],
            "union_count": totals.unions,
            "totals_as_of": totals_as_of,
            "statuses": [(s, selectors.SCORE_STATUS_LABELS[s]) for s in CELL_STATUSES],
            "filters": filters,
            "departments": scope.departments,
            "codes": ObligationCode.choices,
            "query": urlencode(kept),
            "next_url": "?" + urlencode({**kept, "after": _encode_cursor(*cursor)}) if cursor else None,
            "first_url": "?" + urlencode(kept) if after else None,
            "tab": "scorecard",
        },
    )


@login_required
def scorecard_export(request):
    scope = _scope_or_refuse(request)
    filters = _parse_score(request, scope)
    today = timezone.localdate()
    rows, _cursor = selectors.scorecard_page(scope=scope, filters=filters, today=today, size=10**6)
    totals = selectors.scorecard_totals(scope=scope, filters=filters, today=today)  # the export is live
    content = xlsx.scorecard_to_xlsx(
        [rows], columns=totals.columns, column_labels=_column_labels(totals.columns), totals=totals
    )
    return _xlsx_response(content, f"五个一履职-{filters.year}")


# --- Efficiency -----------------------------------------------------------------------------------


def _parse_efficiency(request, scope) -> EfficiencyFilters:
    bad: list[str] = []
    union_id, department_id = _union_filter(request, scope, bad)
    step = request.GET.get("step", "")
    if step and not _STEP.match(step):
        bad.append(_("step"))
        step = ""
    _warn(request, bad)
    return EfficiencyFilters(union_id=union_id, department_id=department_id, step=step)


def _efficiency_data(scope, filters):
    """(by step, by union, trend) and the moment they were taken: from the rollup for the whole
    province (any step filter), else live (None)."""
    now = timezone.now()
    cached = rollups.figures(
        page=RollupPage.EFFICIENCY, scope=scope, variant=rollups.efficiency_variant(filters), now=now
    )
    if cached:
        return cached
    figures = (
        selectors.efficiency_by_step(scope=scope, filters=filters, now=now),
        selectors.efficiency_by_union(scope=scope, filters=filters, now=now),
        selectors.overdue_trend(scope=scope, filters=filters, now=now),
    )
    return figures, None


@login_required
def efficiency(request):
    """Mean and median time per step over the last 12 months, by step and by union; overdue rate
    per union; open and overdue counts per month."""
    scope = _scope_or_refuse(request)
    filters = _parse_efficiency(request, scope)
    (by_step, by_union, trend), as_of = _efficiency_data(scope, filters)
    kept = {
        k: v
        for k, v in {
            "union": filters.union_id or "",
            "department": filters.department_id or "",
            "step": filters.step,
        }.items()
        if v
    }
    chosen = scope.union_named(filters.union_id)
    return _render(
        request,
        "oversight/efficiency.html",
        {
            "by_step": by_step,
            "by_union": by_union,
            "trend": trend,
            "trend_chart": line_chart(
                [f"{p.month:%Y-%m}" for p in trend],
                [(_("open"), [p.open for p in trend]), (_("overdue"), [p.overdue for p in trend])],
                title=_("Open and overdue at each month end"),
            ),
            "filters": filters,
            "departments": scope.departments,
            "chosen_union": chosen,
            "figures_as_of": as_of,
            "query": urlencode(kept),
            "tab": "efficiency",
        },
    )


@login_required
def efficiency_export(request):
    scope = _scope_or_refuse(request)
    filters = _parse_efficiency(request, scope)
    (by_step, by_union, trend), _as_of = _efficiency_data(scope, filters)
    return _xlsx_response(
        xlsx.efficiency_to_xlsx(by_step=by_step, by_union=by_union, trend=trend), "审批效率"
    )
