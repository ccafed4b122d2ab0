"""Oversight pages (issue 9): thin views that parse input and call the selectors."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.views import refuse
from oversight.selectors import (
    DEFAULT_OLDER_THAN_DAYS,
    StuckFilters,
    oversight_scope,
    stuck_counts,
    stuck_items,
    stuck_page,
)
from workflows.documents import DOCUMENT_URL_NAMES, document_url
from workflows.models import DocumentType

MAX_OLDER_THAN_DAYS = 3650
_STEP = re.compile(r"^[a-z0-9_]{1,50}$")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _parse_filters(request, union_ids: set[int]) -> StuckFilters:
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
    union_id = None
    if get.get("union", "") != "":
        union_id = _int(get["union"])
        if union_id not in union_ids:
            bad.append(_("union"))
            union_id = None
    step = get.get("step", "")
    if step and not _STEP.match(step):
        bad.append(_("step"))
        step = ""
    document_type = get.get("type", "")
    if document_type and document_type not in DocumentType.values:
        bad.append(_("document type"))
        document_type = ""
    if bad:
        messages.warning(
            request, _("Some filters made no sense and were ignored: %(names)s.") % {"names": ", ".join(bad)}
        )
    return StuckFilters(older_than=older_than, union_id=union_id, step=step, document_type=document_type)


def _parse_cursor(request) -> tuple[datetime.datetime, int] | None:
    raw = request.GET.get("after", "")
    if not raw:
        return None
    when, _sep, pk = raw.rpartition("_")
    try:
        moment = parse_datetime(when)
    except ValueError:
        moment = None
    if moment is None or _int(pk) is None:
        messages.warning(request, _("The page link was not valid; showing the first page."))
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment, int(pk)


@login_required
def stuck(request):
    """Stuck approvals: open work overdue or older than a threshold in the unions I oversee."""
    scope = oversight_scope(user=request.user)
    if scope.is_empty:
        refuse(request, union=None, reason="not a supervisor or chair", status=403)
    now = timezone.now()
    unions = scope.visible
    union_ids = [u.pk for u in unions]
    supervised_ids = scope.supervised_ids
    filters = _parse_filters(request, set(union_ids))
    after = _parse_cursor(request)
    items = stuck_items(union_ids=union_ids, filters=filters, now=now)
    page, cursor = stuck_page(items=items, after=after)
    rows = [
        {
            "item": item,
            "url": document_url(item.document_type, item.document_id)
            if item.document_type in DOCUMENT_URL_NAMES
            else "",
            "days_late": (now - item.due_at).days if item.due_at and item.due_at < now else None,
            "can_urge": item.union_id in supervised_ids,
        }
        for item in page
    ]
    kept = {
        "older_than": filters.older_than,
        "union": filters.union_id or "",
        "step": filters.step,
        "type": filters.document_type,
    }
    kept = {k: v for k, v in kept.items() if v not in ("", None)}
    counts = stuck_counts(items=items, now=now)
    return render(
        request,
        "oversight/stuck.html",
        {
            "rows": rows,
            "filters": filters,
            "unions": unions,
            "type_choices": DocumentType.choices,
            "by_step": counts.by_step,
            "by_union": counts.by_union,
            "buckets": counts.buckets,
            "total": counts.total,
            "next_url": "?" + urlencode({**kept, "after": f"{cursor[0].isoformat()}_{cursor[1]}"})
            if cursor
            else None,
            "first_url": "?" + urlencode(kept) if after else None,
        },
    )
