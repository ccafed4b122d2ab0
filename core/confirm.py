"""Asking before a dangerous POST (end a term, withdraw a document, submit upward, agree in bulk).

The question is asked by the server, so it works without JavaScript and the Django test client sees it:
a POST without ``confirm=yes`` changes nothing and gets a page that states what will happen and posts
the same fields again with ``confirm=yes``. Where the form carries ``data-confirm``, static/js/wuyi.js
asks in a dialog first and adds ``confirm=yes`` itself, so the page is only seen without script.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.shortcuts import render

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"
# Never re-posted: the token comes fresh with the page, the answer is the page's own button.
_NOT_REPOSTED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


def confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def reposted_fields(request) -> list[tuple[str, str]]:
    """The fields of the POST being confirmed, to send again unchanged."""
    return [
        (name, value)
        for name in request.POST
        if name not in _NOT_REPOSTED
        for value in request.POST.getlist(name)
    ]


def confirmation_page(
    request,
    *,
    question: str,
    answer: str,
    cancel_url: str,
    details: Iterable[str] = (),
    title: str = "",
):
    """The page that asks ``question`` (``details`` say what will happen) before the same POST is sent
    again with the answer ``answer`` (the button's label); Cancel goes back to ``cancel_url``."""
    return render(
        request,
        "core/confirm.html",
        {
            "title": title or question,
            "question": question,
            "details": list(details),
            "answer": answer,
            "cancel_url": cancel_url,
            "action_url": request.get_full_path(),
            "fields": reposted_fields(request),
            "confirm_field": CONFIRM_FIELD,
            "confirm_value": CONFIRM_VALUE,
        },
    )
