"""The union's side of the satisfaction survey (S5.2), under ``/unions/<id>/surveys/``: the cycles, a new
one from the default questionnaire, its questions while drafted, opening it (with the printable slips:
each member's link and QR code, shown only then), the missing or replaced tokens, closing it, the results
with their .xlsx export and the union's reply to the findings.

Who (as the members' register, workflows.members.access): the union's chair and office staff manage; the
supervisors above read the list and the results; anyone who may not see the union gets 404, those who
see it but may not, 403 (core.http.refuse logs both)."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.http import refuse
from workflows.members.access import NOT_MANAGER, register_union

from . import selectors, services, xlsx
from .forms import CycleForm, QuestionFormSet, ReissueForm, ReplyForm, questions_from
from .models import SurveyCycle, SurveyToken

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, problems in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, exc)


def _cycle(request, union_pk: int, pk: int, *, manage: bool):
    union, access = register_union(request, union_pk, manage=manage)
    cycle = SurveyCycle.objects.filter(pk=pk, union=union).first()
    if cycle is None:
        raise Http404
    cycle.union = union
    return union, access, cycle


def _refused(request, union):
    refuse(request, union=union, reason=NOT_MANAGER, status=403)


@login_required
def cycles(request, union_pk: int):
    """S5.2: the union's cycles with their figures; the managers start a new one here."""
    union, access = register_union(request, union_pk, manage=request.method == "POST")
    today = services.union_today(union)
    form = CycleForm(
        request.POST or None,
        initial={
            "title": _("Members' satisfaction survey %(year)s") % {"year": today.year},
            "opens_on": today,
            "closes_on": today + datetime.timedelta(days=30),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_create(
                actor=request.user,
                union=union,
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                threshold_pct=data["threshold_pct"],
            )
        except PermissionDenied:
            _refused(request, union)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The survey is drafted with the default questions: check them."))
            return redirect("surveys:edit", union.pk, cycle.pk)
    rows = list(selectors.cycles_of_union(union.pk))
    outcomes = selectors.outcomes_of(rows)
    context = {
        "union": union,
        "can_manage": access.can_manage_seats,
        "rows": [(cycle, outcomes[cycle.pk]) for cycle in rows],
        "form": form,
    }
    return render(request, "workflows/surveys/list.html", context, status=400 if form.is_bound else 200)


@login_required
def edit(request, union_pk: int, pk: int):
    """S5.2: while drafted, the title, the days, the threshold and the questions."""
    union, _access, cycle = _cycle(request, union_pk, pk, manage=True)
    if not cycle.is_draft:
        return redirect("surveys:results", union.pk, cycle.pk)
    questions = selectors.questions_of(cycle)
    form = CycleForm(
        request.POST or None,
        initial={
            "title": cycle.title,
            "opens_on": cycle.opens_on,
            "closes_on": cycle.closes_on,
            "threshold_pct": cycle.satisfied_threshold_pct,
        },
    )
    formset = QuestionFormSet(
        request.POST or None,
        prefix="q",
        initial=[{"text": q.text, "kind": q.kind, "required": q.required} for q in questions],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            services.cycle_update(
                actor=request.user,
                cycle=cycle,
                title=data["title"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                threshold_pct=data["threshold_pct"],
                questions=questions_from(formset),
            )
        except PermissionDenied:
            _refused(request, union)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("surveys:edit", union.pk, cycle.pk)
    context = {"union": union, "cycle": cycle, "form": form, "formset": formset}
    return render(request, "workflows/surveys/edit.html", context, status=400 if form.is_bound else 200)


def _qr(link: str) -> str:
    """The link as an inline SVG QR code: segno writes presentation attributes only (no style
    attribute), which the strict CSP allows."""
    svg = segno.make(link, error="m").svg_inline(
        scale=3, border=2, svgclass="survey-qr", lineclass=None, omitsize=True
    )
    return mark_safe(svg)  # segno's own markup of our own link


def _slips(request, union, cycle, issued):
    """The printable slips: each member's link and QR code, shown only now (the tokens' hashes are kept)."""
    rows = []
    for item in issued:
        link = request.build_absolute_uri(reverse("surveys:answer", args=[item.token]))
        rows.append((item.member, link, _qr(link)))
    context = {"union": union, "cycle": cycle, "rows": rows}
    return render(request, "workflows/surveys/slips.html", context)


@never_cache  # the slips carry the clear links
@login_required
@require_POST
def open_cycle(request, union_pk: int, pk: int):
    """S5.2: open the cycle: one token per member in force, and their slips to print."""
    union, _access, cycle = _cycle(request, union_pk, pk, manage=True)
    try:
        issued = services.cycle_open(actor=request.user, cycle=cycle)
    except PermissionDenied:
        _refused(request, union)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("surveys:edit" if cycle.is_draft else "surveys:results", union.pk, cycle.pk)
    return _slips(request, union, cycle, issued)


@never_cache
@login_required
def tokens(request, union_pk: int, pk: int):
    """S5.2: links for members who joined since the cycle opened, and a new link for a member who lost
    theirs (their old one stops working). Whether a member answered is not shown here."""
    union, _access, cycle = _cycle(request, union_pk, pk, manage=True)
    members = [
        token.member
        for token in SurveyToken.objects.filter(cycle=cycle)
        .select_related("member")
        .only("member__name", "member__member_number", "cycle_id")
        .order_by("member__member_number", "member_id")
    ]
    form = ReissueForm(request.POST if "member" in request.POST else None, members=members)
    if request.method == "POST":
        try:
            if "missing" in request.POST:
                issued = services.tokens_issue_missing(actor=request.user, cycle=cycle)
                if not issued:
                    messages.info(request, _("Every member in force has a link already."))
                    return redirect("surveys:tokens", union.pk, cycle.pk)
                return _slips(request, union, cycle, issued)
            if form.is_valid():
                item = services.token_reissue(
                    actor=request.user, cycle=cycle, member_id=form.cleaned_data["member"]
                )
                return _slips(request, union, cycle, [item])
        except PermissionDenied:
            _refused(request, union)
        except ValidationError as exc:
            apply_errors(form, exc)
    context = {"union": union, "cycle": cycle, "form": form, "issued": len(members)}
    return render(request, "workflows/surveys/tokens.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def close_cycle(request, union_pk: int, pk: int):
    union, _access, cycle = _cycle(request, union_pk, pk, manage=True)
    try:
        services.cycle_close(actor=request.user, cycle=cycle)
    except PermissionDenied:
        _refused(request, union)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The survey is closed: no more answers are taken."))
    return redirect("surveys:results", union.pk, cycle.pk)


def _results_page(request, union, access, cycle, *, reply_form=None, status=200):
    results = selectors.results_of(cycle)
    context = {
        "union": union,
        "cycle": cycle,
        "results": results,
        "outcome": results.outcome,
        "can_manage": access.can_manage_seats,
        "reply_form": reply_form or ReplyForm(initial={"reply": cycle.reply}),
    }
    return render(request, "workflows/surveys/results.html", context, status=status)


@login_required
def results(request, union_pk: int, pk: int):
    """S5.2: the response rate, the satisfaction per question and overall against the threshold, the
    suggestions; the managers close the cycle and publish the reply here."""
    union, access, cycle = _cycle(request, union_pk, pk, manage=False)
    return _results_page(request, union, access, cycle)


@login_required
def export(request, union_pk: int, pk: int):
    union, _access, cycle = _cycle(request, union_pk, pk, manage=False)
    body = xlsx.results_to_xlsx(selectors.results_of(cycle))
    response = HttpResponse(body, content_type=XLSX)
    name = f"{union.name}{cycle.title}结果.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def reply(request, union_pk: int, pk: int):
    """S5.2, S5.4: the union's reply to the findings, published on the members' page with the results."""
    union, access, cycle = _cycle(request, union_pk, pk, manage=True)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply_publish(actor=request.user, cycle=cycle, reply=form.cleaned_data["reply"])
        except PermissionDenied:
            _refused(request, union)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The reply is published on the members' page with the results."))
            return redirect("surveys:results", union.pk, cycle.pk)
    return _results_page(request, union, access, cycle, reply_form=form, status=400)
