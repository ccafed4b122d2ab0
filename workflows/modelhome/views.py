"""The Model Workers' Home pages of a union (S5.1, S5.2): its overview (titles, applications, the
standard in use, what awaits it as a reviewing or evaluating union), the self-evaluation page of an
application, the department union's review and the provincial organs union's evaluation. Who may open
each: access.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.http import refuse

from . import access, evidence, selectors, services, standards
from .forms import ApplyForm, EvaluateForm, ReviewForm, score_entries
from .models import OPEN_STATUSES, HomeApplication

APPLICATION_PAGE = "workflows/modelhome/application.html"


def _year(union) -> int:
    return timezone.localdate(timezone=union.tz).year


def _standard_in_use(union, year):
    """(standard, refusal) for the union's overview: the published standard of its provincial root."""
    if union.kind not in selectors.APPLICANT_KINDS:
        return None, None
    try:
        return standards.standard_for(union, year), None
    except ValidationError as exc:
        return None, exc.messages[0]


@login_required
@require_http_methods(["GET"])
def overview(request, union_pk: int):
    union, union_access = access.home_union(request, union_pk)
    year = _year(union)
    standard, no_standard = _standard_in_use(union, year)
    titles = selectors.titles_of([union.pk]).get(union.pk, [])
    applications = list(selectors.applications_of(union))
    has_open = any(a.year == year and a.status in OPEN_STATUSES for a in applications)
    may_apply = union_access.can_manage_seats and standard is not None and not has_open
    awaiting = selectors.applications_awaiting([union.pk]) if union_access.can_manage_seats else []
    context = {
        "union": union,
        "access": union_access,
        "year": year,
        "standard": standard,
        "no_standard": no_standard,
        "titles": titles,
        "due": [t for t in titles if t.reexamine_in <= year],
        "applications": applications,
        "awaiting": awaiting,
        "apply_form": ApplyForm() if may_apply else None,
        "keeps_standard": union.kind == "provincial" and union_access.can_manage_seats,
    }
    return render(request, "workflows/modelhome/overview.html", context)


@login_required
@require_POST
def apply(request, union_pk: int):
    union, _access = access.home_union(request, union_pk, manage=True)
    form = ApplyForm(request.POST)
    level = form.cleaned_data["level_sought"] if form.is_valid() else ""
    try:
        application = services.application_create(actor=request.user, union=union, level_sought=level)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("modelhome:overview", union.pk)
    messages.success(request, _("The self-evaluation is started: score each criterion and add its evidence."))
    return redirect("modelhome:application", application.pk)


def _rows(application: HomeApplication, scores, report, posted: dict | None, problems: dict):
    """One row per criterion: the score, its evidence, and what was typed (posted, else saved)."""
    rows = []
    for row in report.rows:
        score = row.score
        cid = score.criterion_id
        typed = posted.get(cid) if posted else None
        rows.append(
            {
                "score": score,
                "criterion": score.criterion,
                "evidence": row.evidence,
                "missing": row.missing,
                "self_score": typed["self_score"]
                if typed
                else ("" if score.self_score is None else score.self_score),
                "note": typed["note"] if typed else score.note,
                "evidence_text": typed["evidence"] if typed else score.evidence,
                "linked": {int(v) for v in typed["plan_items"]}
                if typed
                else {t.pk for t in score.plan_items.all()},
                "problems": problems.get(f"score-{cid}", []),
            }
        )
    return rows


def _application_page(request, application, union_access, *, posted=None, problems=None, status=200):
    scores = selectors.scores_of(application)
    report = evidence.evidence_report(application, scores=scores)
    editable = application.editable and union_access.can_manage_seats
    problems = problems or {}
    context = {
        "application": application,
        "union": application.union,
        "rows": _rows(application, scores, report, posted, problems),
        "missing": report.missing,
        "total": report.total,
        "editable": editable,
        "plan_items": selectors.plan_item_choices(application.union, application.year) if editable else [],
        "reviews": list(selectors.reviews_of(application)),
        "general_problems": problems.get("__all__", []),
        "summary": posted.get("summary") if posted else application.summary,
        "may_review": application.status == "submitted" and services.reviews(request.user, application),
        "may_evaluate": application.status == "recommended" and services.evaluates(request.user, application),
    }
    return render(request, APPLICATION_PAGE, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def application(request, pk: int):
    """S5.2: the self-evaluation. POST saves (``action=save``) or saves and sends (``action=submit``);
    a refusal shows the page again with everything typed."""
    application, union_access = access.viewed_application(request, pk)
    if request.method == "GET":
        return _application_page(request, application, union_access)
    if not union_access.can_manage_seats:
        refuse(request, union=application.union, reason=access.NOT_MANAGER, status=403)
    ids = [s.criterion_id for s in selectors.scores_of(application)]
    entries = score_entries(request.POST, ids)
    summary = request.POST.get("summary", "")
    try:
        services.scores_save(actor=request.user, application=application, entries=entries, summary=summary)
        if request.POST.get("action") == "submit":
            services.application_submit(actor=request.user, application=application)
            messages.success(request, _("The application is sent."))
        else:
            messages.success(request, _("The self-evaluation is saved."))
    except PermissionDenied:
        refuse(request, union=application.union, reason=access.NOT_MANAGER, status=403)
    except ValidationError as exc:
        problems = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        posted = {**entries, "summary": summary}
        return _application_page(
            request, application, union_access, posted=posted, problems=problems, status=400
        )
    return redirect("modelhome:application", application.pk)


def _decision_page(request, application, form, template: str, status: int = 200):
    scores = selectors.scores_of(application)
    report = evidence.evidence_report(application, scores=scores)
    context = {
        "application": application,
        "union": application.union,
        "rows": _rows(application, scores, report, None, {}),
        "total": report.total,
        "missing": report.missing,
        "reviews": list(selectors.reviews_of(application)),
        "form": form,
    }
    return render(request, template, context, status=status)


def _decide(request, pk: int, *, stage: str, form_class, service, template: str):
    application = access.deciding_application(request, pk, stage=stage)
    if request.method == "GET":
        return _decision_page(request, application, form_class(), template)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=request.user, application=application, **form.cleaned_data)
        except PermissionDenied:
            refuse(request, union=application.union, reason=stage, status=403)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, problems in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Your decision is recorded."))
            return redirect("modelhome:application", application.pk)
    return _decision_page(request, application, form, template, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk: int):
    """S5.2: the department union returns the application with opinions or recommends it."""
    return _decide(
        request,
        pk,
        stage="review",
        form_class=ReviewForm,
        service=services.application_review,
        template="workflows/modelhome/review.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluate(request, pk: int):
    """S5.2: the provincial organs union awards the title, with its level, or does not."""
    return _decide(
        request,
        pk,
        stage="evaluate",
        form_class=EvaluateForm,
        service=services.application_evaluate,
        template="workflows/modelhome/evaluate.html",
    )
