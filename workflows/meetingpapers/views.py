"""The meeting papers' pages (issue 33): a body's notices with the form that issues one, a notice's PDF and
sign-in sheet, and a recorded meeting's papers (minutes, resolution, sign-in sheet). Thin: they parse input
and call one service.

Who: the notices are for the union's officers (union_access.is_officer), issued by its drafters; a notice's
PDF also opens for the body's seat holders it was sent to. A meeting's papers are seen by whoever may see a
document on its agenda (as their download, outputs:download) and made by the union's drafters or the
body's recorders. Others who may view the union get 403, everyone else 404 (core.http.refuse logs both)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.files import file_response
from core.http import refuse
from core.models import Body, Seat
from core.selectors import union_access
from workflows import registry
from workflows.models import WorkItem
from workflows.outputs.models import OutputKind
from workflows.services.decisions import pending_items_of_body

from . import selectors, services
from .forms import NoticeForm

NOT_VISIBLE = "meeting notices are for the union's officers"
NOT_DRAFTER = "only the union's drafters issue meeting notices"
MEETING_NOT_VISIBLE = "no document of the meeting is shown to you"
NOT_MAKER = "only the union's drafters or the body's recorders print meeting papers"


def _refuse(request, union, reason: str, access=None):
    """403 for those who may view the union, 404 for everyone else."""
    access = access or union_access(user=request.user, union=union)
    refuse(request, union=union, reason=reason, status=403 if access.can_view else 404)


def _officer_body(request, body_id: int):
    body = Body.objects.select_related("union").filter(pk=body_id).first()
    if body is None:
        raise Http404
    access = union_access(user=request.user, union=body.union)
    if not access.is_officer:
        _refuse(request, body.union, NOT_VISIBLE, access)
    return body, access


def _agenda_choices(body: Body) -> list[tuple[int, str]]:
    return [
        (item.pk, f"{item.document_title}（{registry.label(item.document_type)}）")
        for item in pending_items_of_body(body=body)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def notices(request, body_id: int):
    """A body's meeting notices, newest meeting first, and the form that issues one."""
    body, access = _officer_body(request, body_id)
    if request.method == "POST" and not access.can_draft:
        _refuse(request, body.union, NOT_DRAFTER, access)
    today = services.union_today(body)
    rule = selectors.rule_for(union=body.union, body_kind=body.kind)
    earliest = selectors.earliest_meeting_day(today, rule.notice_working_days)
    form = NoticeForm(
        request.POST if request.method == "POST" else None,
        agenda_choices=_agenda_choices(body) if access.can_draft else [],
        initial={"meets_on": earliest},
    )
    problems: list[str] = []
    if request.method == "POST":
        notice, problems = _issue(request, body, form)
        if notice is not None:
            messages.success(request, _("The notice was issued and its members were notified."))
            return redirect("meetingpapers:notices", body_id=body.pk)
    context = {
        "body": body,
        "union": body.union,
        "access": access,
        "form": form,
        "problems": problems,
        "rule": rule,
        "earliest": earliest,
        "notices": list(
            selectors.notices_of_body(body).prefetch_related(
                Prefetch("agenda_items", queryset=WorkItem.objects.order_by("created_at", "pk"))
            )
        ),
    }
    return render(request, "meetingpapers/notices.html", context, status=400 if problems else 200)


def _issue(request, body: Body, form: NoticeForm):
    """The notice issued, or the problems to show above the form (the field errors stay on the form)."""
    if not form.is_valid():
        return None, [_("Please correct the errors below.")]
    data = form.cleaned_data
    try:
        notice = services.notice_issue(
            actor=request.user,
            body=body,
            meets_on=data["meets_on"],
            starts_at=data["starts_at"],
            place=data["place"],
            agenda_item_ids=data["agenda_items"],
            agenda_lines=data["agenda_lines"],
            number=data["number"],
        )
    except PermissionDenied:
        refuse(request, union=body.union, reason=NOT_DRAFTER, status=403)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return None, [_("Please correct the errors below.")]
        return None, list(exc.messages)
    return notice, []


def _notice_for(request, pk: int, *, officers_only: bool):
    notice = selectors.notice_with_union(pk)
    if notice is None:
        raise Http404
    access = union_access(user=request.user, union=notice.union)
    if access.is_officer:
        return notice, access
    # the seat holders it was sent to read the notice itself
    seated = (
        Seat.objects.filter(person=request.user, body=notice.body).in_force(notice.meets_on).exists()
        or Seat.objects.filter(person=request.user, body=notice.body).in_force().exists()
    )
    if officers_only or not seated:
        _refuse(request, notice.union, NOT_VISIBLE, access)
    return notice, access


@login_required
@require_GET
def notice_file(request, pk: int):
    notice, _access = _notice_for(request, pk, officers_only=False)
    if notice.output is None:
        raise Http404
    return file_response(notice.output.file, name=f"{notice.output.title}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def notice_sign_in(request, pk: int):
    """GET: the sign-in sheet made from the notice; POST: make it (the union's drafters)."""
    notice, access = _notice_for(request, pk, officers_only=True)
    if request.method == "POST":
        if not access.can_draft:
            _refuse(request, notice.union, NOT_DRAFTER, access)
        services.notice_sign_in_make(actor=request.user, notice=notice)
        messages.success(request, _("The sign-in sheet was made."))
        return redirect("meetingpapers:notices", body_id=notice.body_id)
    if notice.sign_in_output is None:
        raise Http404
    output = notice.sign_in_output
    return file_response(output.file, name=f"{output.title}.pdf")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_papers(request, pk: int):
    """A recorded meeting's papers: those made, and the buttons that make the others."""
    meeting = selectors.meeting_with_body(pk)
    if meeting is None:
        raise Http404
    union = meeting.body.union
    if not selectors.meeting_visible(user=request.user, meeting=meeting):
        _refuse(request, union, MEETING_NOT_VISIBLE)
    may_make = services.may_make_meeting_papers(user=request.user, meeting=meeting)
    problems: list[str] = []
    if request.method == "POST":
        if not may_make:
            refuse(request, union=union, reason=NOT_MAKER, status=403)
        try:
            services.meeting_paper_make(
                actor=request.user, meeting=meeting, kind=request.POST.get("kind", "")
            )
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            messages.success(request, _("The paper was made."))
            return redirect("meetingpapers:meeting_papers", pk=meeting.pk)
    made = selectors.meeting_outputs(meeting)
    context = {
        "meeting": meeting,
        "body": meeting.body,
        "union": union,
        "outputs": made,
        "may_make": may_make,
        "problems": problems,
        "kinds": [
            (kind, OutputKind(kind).label, any(o.kind == kind for o in made))
            for kind in selectors.MEETING_KINDS
        ],
    }
    return render(request, "meetingpapers/meeting_papers.html", context, status=400 if problems else 200)
