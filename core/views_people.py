"""The people picker's search (issue 25): ``/people/search/?for=<action>&ref=<object>&name=<field>``
answers the list of people that action allows who match what was typed, as an HTML fragment for htmx.

The action's resolver (core.people.register_scope, in the app the action belongs to) first checks that
the viewer may act on ``ref``: an outsider gets 404, someone who may see it but not act 403, each
logged by core.http.refuse. A bounded number of queries: the session, the resolver's check, two for
the search.
"""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.people import MAX_QUERY, MAX_RESULTS, people_search, scope_resolver

# the form field the results are named after (plan rows: "ideology-0-owner")
_FIELD_NAME = re.compile(r"^[A-Za-z][\w-]{0,59}$")


@login_required
@require_GET
def people_search_view(request):
    resolver = scope_resolver(request.GET.get("for", ""))
    name = request.GET.get("name", "")
    if resolver is None or not _FIELD_NAME.match(name):
        raise Http404("no such picker")
    scope = resolver(request, request.GET.get("ref", "")[:80])
    q = (request.GET.get(f"{name}_q") or request.GET.get("q") or "").strip()[:MAX_QUERY]
    rows = people_search(q=q, scope=scope, limit=MAX_RESULTS + 1)
    return render(
        request,
        "core/people/_results.html",
        {
            "rows": rows[:MAX_RESULTS],
            "more": len(rows) > MAX_RESULTS,
            "q": q,
            "name": name,
            "multiple": request.GET.get("multiple") == "1",
        },
    )
