"""The stuck approvals page and its export: open work overdue or older than a threshold in the unions
I oversee, one page at a time, with counts by step, union, document type and age."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from oversight import errors, rollups, xlsx
from oversight.models import RollupPage
from oversight.selectors.scope import OversightScope
from oversight.selectors.stuck import (
    DATETIME_SORTS,
    DEFAULT_OLDER_THAN_DAYS,
    SORTS,
    WHOLE_TREE_UNSORTABLE,
    Sort,
    StuckCounts,
    StuckFilters,
    stuck_counts,
    stuck_export_rows,
    stuck_items,
    stuck_page,
)
from oversight.svg import STUCK, bar_chart
from oversight.views.common import (
    MAX_OLDER_THAN_DAYS,
    STEP,
    decode_cursor,
    encode_cursor,
    int_or_none,
    render_page,
    scope_or_refuse,
    union_filter,
    warn_ignored,
    xlsx_response,
)
from workflows.documents import document_url, has_page
from workflows.models import DocumentType


def _parse_stuck(request, scope: OversightScope) -> tuple[StuckFilters, Sort]:
    """Read the filters; a value that makes no sense is dropped with a message, never a 500."""
    get = request.GET
    bad: list[str] = []
    older_than = DEFAULT_OLDER_THAN_DAYS
    if get.get("older_than", "") != "":
        value = int_or_none(get["older_than"])
        if value is None or not 0 <= value <= MAX_OLDER_THAN_DAYS:
            bad.append(_("days"))
        else:
            older_than = value
    union_id, department_id = union_filter(request, scope, bad)
    step = get.get("step", "")
    if step and not STEP.match(step):
        bad.append(_("step"))
        step = ""
    document_type = get.get("type", "")
    if document_type and document_type not in DocumentType.values:
        bad.append(_("document type"))
        document_type = ""
    vacant = get.get("vacant", "")
    if vacant not in ("", "1"):
        bad.append(_("nobody can act"))
    sort = Sort()
    raw_sort = get.get("sort", "")
    if raw_sort:
        column = raw_sort.removeprefix("-")
        if column in SORTS:
            sort = Sort(column=column, descending=raw_sort.startswith("-"))
        else:
            bad.append(_("sort"))
    warn_ignored(request, bad)
    filters = StuckFilters(
        older_than=older_than,
        union_id=union_id,
        department_id=department_id,
        step=step,
        document_type=document_type,
        vacant=vacant == "1",
    )
    return filters, sort


def _whole_tree(scope: OversightScope, filters: StuckFilters) -> bool:
    """The list covers the whole province: no union or department chosen."""
    return (
        rollups.rollup_root(scope) is not None and filters.union_id is None and filters.department_id is None
    )


def _parse_cursor(request, sort: Sort) -> tuple | None:
    raw = request.GET.get("after", "")
    if not raw:
        return None
    try:
        value, pk = decode_cursor(raw)
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
    """The filters and sort as URL parameters, the defaults left out."""
    kept = {
        "older_than": filters.older_than,
        "union": filters.union_id or "",
        "department": filters.department_id or "",
        "step": filters.step,
        "type": filters.document_type,
        "vacant": "1" if filters.vacant else "",
        "sort": sort.param if sort != Sort() else "",
    }
    return {k: v for k, v in kept.items() if v not in ("", None)}


_URL_MARK = 987654321


def _url_filler(resolve):
    """``resolve(pk)`` for many pks at the cost of one reverse(): the URL of a marker id, filled in."""
    template = resolve(_URL_MARK)
    return lambda pk: template.replace(str(_URL_MARK), str(pk))


def _document_urls():
    """``url(document_type, pk)``: the document's page, or "" for a kind without one; each kind's URL
    is reversed once per page."""
    fillers: dict = {}

    def url(document_type: str, pk: int) -> str:
        if document_type not in fillers:
            fillers[document_type] = (
                _url_filler(lambda pk: document_url(document_type, pk)) if has_page(document_type) else None
            )
        filler = fillers[document_type]
        return filler(pk) if filler is not None else ""

    return url


def _rows(scope: OversightScope, page: list, now: datetime.datetime) -> list[dict]:
    """The page's rows with their links and ages."""
    # labels translated once: get_document_type_display translates every choice on each call,
    # twice per row in the template (a fifth of the page's time)
    type_labels = {value: str(label) for value, label in DocumentType.choices}
    # each row's links filled into URLs reversed once per page (50 rows reversed 180 URLs)
    urge_url = _url_filler(lambda pk: reverse("workflows:urge", args=[pk]))
    reassign_url = _url_filler(lambda pk: reverse("oversight:reassign", args=[pk]))
    open_url = _document_urls()
    return [
        {
            "item": item,
            "type_label": type_labels.get(item.document_type, item.document_type),
            "urge_url": urge_url(item.pk),
            "reassign_url": reassign_url(item.pk),
            "url": open_url(item.document_type, item.document_id),
            "days_late": (now - item.due_at).days if item.due_at and item.due_at < now else None,
            "days_waiting": (now - item.created_at).days,
            "can_urge": scope.supervises_listed(item.union_id),
            # nobody holds a seat to take it over while its body is empty
            "can_reassign": item.kind == "body" and item.body_id is not None and not item.vacant,
        }
        for item in page
    ]


def _sort_links(kept: dict, sort: Sort) -> dict[str, str]:
    """Each column header's link: sorts on it, or the other way round when it is the current sort."""
    links = {}
    for column in SORTS:
        descending = sort.column == column and not sort.descending
        links[column] = "?" + urlencode({**kept, "sort": ("-" if descending else "") + column})
    return links


def _union_choices(scope: OversightScope, counts: StuckCounts, filters: StuckFilters) -> list[dict]:
    """The union filter's choices: the unions of the "by union" counts, and the chosen one."""
    choices = [{"pk": r["union_id"], "name": r["union__name"]} for r in counts.by_union]
    if filters.union_id is not None and filters.union_id not in {u["pk"] for u in choices}:
        chosen = scope.union_named(filters.union_id)
        choices.insert(0, {"pk": chosen.pk, "name": chosen.name})
    return choices


def _counts_context(scope: OversightScope, counts: StuckCounts, filters: StuckFilters) -> dict:
    for row in counts.by_union:
        row["can_urge"] = scope.supervises_listed(row["union_id"])
    chart = [(_(r["step_title"]), r["count"]) for r in counts.by_step]
    return {
        "unions": _union_choices(scope, counts, filters),
        "by_step": counts.by_step,
        "by_union": counts.by_union,
        "by_type": counts.by_type,
        "buckets": counts.buckets,
        "total": counts.total,
        "unions_total": counts.unions_total,
        "chart": bar_chart(chart, title=_("Stuck by step"), colour=STUCK) if counts.by_step else "",
    }


@login_required
def stuck(request):
    """Stuck approvals: open work overdue or older than a threshold in the unions I oversee."""
    scope = scope_or_refuse(request)
    now = timezone.now()
    filters, sort = _parse_stuck(request, scope)
    if sort.column in WHOLE_TREE_UNSORTABLE and _whole_tree(scope, filters):
        messages.info(request, errors.SORT_NEEDS_NARROWER_SCOPE)
        sort = Sort()
    after = _parse_cursor(request, sort)
    items = stuck_items(scope=scope, filters=filters, now=now)
    page, cursor = stuck_page(items=items, sort=sort, after=after, now=now)
    rows = _rows(scope, page, now)
    kept = _kept(filters, sort)
    # the steps nobody can act on are few, and a rollup would show them late: counted live
    variant = None if filters.vacant else rollups.stuck_variant(filters)
    cached = rollups.figures(
        page=RollupPage.STUCK,
        scope=scope,
        variant=variant,
        now=now,
        refresh=request.GET.get("refresh") == "1",
    )
    counts, counts_as_of = cached or (stuck_counts(items=items, now=now), None)
    return render_page(
        request,
        "oversight/stuck.html",
        {
            "rows": rows,
            "filters": filters,
            "sort": sort,
            "sort_links": _sort_links(kept, sort),
            "urge_union_url": reverse("oversight:urge_union"),
            "departments": scope.departments,
            "type_choices": DocumentType.choices,
            **_counts_context(scope, counts, filters),
            "counts_as_of": counts_as_of,
            "query": urlencode(kept),
            "refresh_url": "?" + urlencode({**kept, "refresh": "1"}),
            "next_url": "?" + urlencode({**kept, "after": encode_cursor(*cursor)}) if cursor else None,
            "first_url": "?" + urlencode(kept) if after else None,
            "tab": "stuck",
        },
    )


@login_required
def stuck_export(request):
    scope = scope_or_refuse(request)
    now = timezone.now()
    filters, sort = _parse_stuck(request, scope)
    items = stuck_items(scope=scope, filters=filters, now=now)
    content = xlsx.stuck_to_xlsx(stuck_export_rows(items=items, sort=sort), now=now)
    return xlsx_response(content, "积压审批")
