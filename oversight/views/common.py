"""Input parsing, scope checks and responses shared by the oversight pages."""

from __future__ import annotations

import base64
import datetime
import json
import re
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.http import refuse
from oversight import errors, xlsx
from oversight.selectors.nav import nav_counts
from oversight.selectors.scope import OversightScope, oversight_scope

MAX_OLDER_THAN_DAYS = 3650
STEP = re.compile(r"^[a-z0-9_]{1,50}$")


def int_or_none(value: str | None) -> int | None:
    """An integer filter value, or None when empty, not a number or beyond a bigint."""
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or -(2**62) < number < 2**62 else None


def warn_ignored(request, bad: list[str]) -> None:
    if bad:
        messages.warning(request, errors.FILTERS_IGNORED % {"names": "、".join(str(b) for b in bad)})


def scope_or_refuse(request, *extra: str) -> OversightScope:
    """The user's scope, with the union ids the filters name checked in the same query."""
    asked = [
        int_or_none(request.GET.get(name) or request.POST.get(name))
        for name in ("union", "department", *extra)
    ]
    scope = oversight_scope(user=request.user, asked=[a for a in asked if a is not None])
    if scope.is_empty:
        refuse(request, union=None, reason="not a supervisor or chair", status=403)
    return scope


def union_filter(request, scope: OversightScope, bad: list[str]) -> tuple[int | None, int | None]:
    """(union, department) chosen by the filters, each dropped (and named in ``bad``) when outside
    the scope."""
    get = request.GET
    union_id = department_id = None
    if get.get("union", "") != "":
        union_id = int_or_none(get["union"])
        if union_id is None or not scope.covers(union_id):
            bad.append(_("union"))
            union_id = None
    if get.get("department", "") != "":
        department_id = int_or_none(get["department"])
        if department_id not in {d.pk for d in scope.departments}:
            bad.append(_("department"))
            department_id = None
    return union_id, department_id


def render_page(request, template: str, context: dict, **kwargs):
    # an oversight page is open only to someone with a scope: the menu needs no query to know it
    context = {**nav_counts(user=request.user), "may_oversee": True, **context}
    return render(request, template, context, **kwargs)


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{name}-{stamp}.xlsx')}"
    return response


def encode_cursor(value, pk: int) -> str:
    """The keyset of the next page as an opaque URL value: (sort value, id) in base64 JSON."""
    if isinstance(value, datetime.datetime):
        value = value.isoformat()
    return base64.urlsafe_b64encode(json.dumps([value, pk]).encode()).decode().rstrip("=")


def decode_cursor(raw: str):
    """The JSON of ``encode_cursor``; raises ValueError, TypeError or UnicodeDecodeError when mangled."""
    return json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def back(request, fallback: str):
    """Redirect to the page the form was posted from (same host only), else to ``fallback``."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)
