"""The upper-level union's received reports (S2.3, S3.5): the reports submitted to it, newest first in
keyset pages, acknowledge or return one with opinions, and the submission rate of the unions below.
Open only for a supervisor seated at that union (403 for others who may view the union)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from core.http import refuse, union_for_viewer
from core.models import Union
from core.selectors import UnionAccess
from workflows.documents import document_url
from workflows.visibility import document_visible

from .forms import SubmissionReturnForm
from .models import Submission, SubmissionState
from .selectors import submission_rates
from .services import submission_acknowledge, submission_return

RECEIVED_PAGE_SIZE = 20
MAX_ID = 2**63 - 1


def _supervised_union(request, union_pk: int) -> tuple[Union, UnionAccess]:
    union, access = union_for_viewer(request, union_pk)
    if not access.is_supervisor_here:
        refuse(request, union=union, reason="not a supervisor of this union", status=403)
    return union, access


def _cursor(raw: str | None) -> tuple[datetime.datetime, int] | None:
    """ "<ISO time>_<id>" of the last row shown; garbage means the first page, never a 500."""
    head, _sep, tail = (raw or "").rpartition("_")
    try:
        pk = int(tail)
        at = parse_datetime(head)
    except ValueError:
        return None
    if at is None or timezone.is_naive(at) or not 0 < pk <= MAX_ID:
        return None
    return at, pk


def _cursor_value(submission: Submission) -> str:
    return f"{submission.submitted_at.astimezone(datetime.UTC):%Y-%m-%dT%H:%M:%S.%fZ}_{submission.pk}"


def _received_context(
    request, union: Union, *, bound: tuple[int, SubmissionReturnForm] | None = None
) -> dict:
    qs = (
        Submission.objects.filter(to_union=union)
        .select_related("report__union", "version", "submitted_by", "acted_by")
        .order_by("-submitted_at", "-id")
    )
    cursor = _cursor(request.GET.get("before"))
    if cursor is not None:
        at, pk = cursor
        qs = qs.filter(Q(submitted_at__lt=at) | Q(submitted_at=at, id__lt=pk))
    rows = list(qs[: RECEIVED_PAGE_SIZE + 1])
    more = len(rows) > RECEIVED_PAGE_SIZE
    rows = rows[:RECEIVED_PAGE_SIZE]
    for submission in rows:
        if bound is not None and bound[0] == submission.pk:
            submission.return_form = bound[1]
        elif submission.state == SubmissionState.SUBMITTED:
            submission.return_form = SubmissionReturnForm(auto_id=f"id_s{submission.pk}_%s")
        else:
            submission.return_form = None
    return {
        "union": union,
        "submissions": rows,
        "rates": submission_rates(union),
        "next_url": f"{request.path}?{urlencode({'before': _cursor_value(rows[-1])})}" if more else None,
        "first_url": request.path if cursor is not None else None,
    }


@login_required
def received(request, union_pk: int):
    union, _access = _supervised_union(request, union_pk)
    return render(request, "workflows/reports/received.html", _received_context(request, union))


def _submission_for_supervisor(request, pk: int) -> Submission:
    submission = Submission.objects.select_related("to_union", "report__union").filter(pk=pk).first()
    if submission is None:
        raise Http404
    _supervised_union(request, submission.to_union_id)
    return submission


def _back_to_received(request, submission: Submission):
    return redirect(
        reverse("reports:received", args=[submission.to_union_id]) + f"#submission-{submission.pk}"
    )


def _landing(request, submission: Submission):
    """After signing for or returning a report, the supervisor lands on the report's page, where the
    outcome shows under its submissions, or on their to-do list when that page is not theirs to see;
    never back on the received page of further buttons (as workflows.views.landing_url for a work
    item)."""
    report = submission.report
    url = document_url(report.kind, report.pk)
    if url and document_visible(user=request.user, union=report.union, process_id=report.process_id):
        return redirect(url)
    return redirect("workflows:my_work")


@login_required
def submission_acknowledge_view(request, pk: int):
    submission = _submission_for_supervisor(request, pk)
    if request.method != "POST":
        return _back_to_received(request, submission)
    try:
        submission_acknowledge(user=request.user, submission=submission)
    except ValidationError as exc:
        context = _received_context(request, submission.to_union)
        context["problems"] = list(exc.messages)
        return render(request, "workflows/reports/received.html", context, status=409)
    except PermissionDenied:
        refuse(request, union=submission.to_union, reason="not a supervisor of this union", status=403)
    messages.success(request, _("“%(report)s” was acknowledged.") % {"report": submission.report.title})
    return _landing(request, submission)


@login_required
def submission_return_view(request, pk: int):
    submission = _submission_for_supervisor(request, pk)
    if request.method != "POST":
        return _back_to_received(request, submission)
    form = SubmissionReturnForm(request.POST, auto_id=f"id_s{submission.pk}_%s")
    problems: list[str] = []
    status = 400
    if form.is_valid():
        try:
            submission_return(
                user=request.user, submission=submission, opinions=form.cleaned_data["opinions"]
            )
        except ValidationError as exc:
            problems = list(exc.messages)
            status = 409 if submission.state != SubmissionState.SUBMITTED else 400
        except PermissionDenied:
            refuse(request, union=submission.to_union, reason="not a supervisor of this union", status=403)
        else:
            messages.success(
                request,
                _("“%(report)s” was returned to %(union)s for correction.")
                % {"report": submission.report.title, "union": submission.report.union.name},
            )
            return _landing(request, submission)
    else:
        problems = [
            _("“%(report)s”: %(problem)s") % {"report": submission.report.title, "problem": m}
            for errs in form.errors.values()
            for m in errs
        ]
    context = _received_context(request, submission.to_union, bound=(submission.pk, form))
    context["problems"] = problems
    return render(request, "workflows/reports/received.html", context, status=status)
