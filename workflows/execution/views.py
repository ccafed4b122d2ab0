"""Half-year execution analysis pages (S3.4): the union's analyses, start, actuals (typed or imported),
file with the union committee's note, the analysis page, .xlsx template and export, and the
upper-level union's page of filed analyses below it. Thin: parse input, call one service.

Access: the union's officers see its analyses; supervisors above see filed ones; everyone else 404.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess, union_access
from core.statutory import Obligation, ObligationCode
from workflows.budget.actuals import ActualsForm, ActualsImportError, actuals_template, parse_actuals
from workflows.budget.models import Budget, BudgetStatus
from workflows.document_pages import acting_context
from workflows.trail import document_trail

from .forms import FileForm, ImportForm, ReviewCreateForm
from .models import BudgetExecutionReview, period_end
from .selectors import (
    ledger_comparison,
    ledger_paid,
    live_rates_below,
    review_table,
    review_visible_to,
    reviews_filed_below,
    reviews_for_union,
)
from .services import may_file, review_create, review_file, review_save_actuals, review_take_paid
from .xlsx import review_to_xlsx, title_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _viewed(request, pk: int) -> tuple[BudgetExecutionReview, UnionAccess]:
    review = (
        BudgetExecutionReview.objects.select_related("union", "budget", "version", "prepared_by", "filed_by")
        .filter(pk=pk)
        .first()
    )
    if review is None:
        raise Http404
    access = union_access(user=request.user, union=review.union)
    if not review_visible_to(user=request.user, review=review, access=access):
        refuse(request, union=review.union, reason="execution analysis not visible")
    return review, access


def review_for_viewer(request, pk: int) -> BudgetExecutionReview:
    return _viewed(request, pk)[0]


def _budgets_in_force(union):
    return list(Budget.objects.filter(union=union, status=BudgetStatus.IN_FORCE).order_by("-year"))


@login_required
def review_list(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_view_documents:
        refuse(request, union=union, reason="documents not visible", status=403)
    reviews = list(reviews_for_union(user=request.user, union=union, access=access))
    obligations = list(
        Obligation.objects.filter(union=union, code=ObligationCode.EXECUTION_ANALYSIS).order_by(
            "-fiscal_year", "-period"
        )[:6]
    )
    form = ReviewCreateForm(budgets=_budgets_in_force(union)) if access.can_draft else None
    return render(
        request,
        "execution/list.html",
        {"union": union, "access": access, "reviews": reviews, "obligations": obligations, "form": form},
    )


@login_required
@require_POST
def review_new(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not draft", status=403)
    budgets = _budgets_in_force(union)
    form = ReviewCreateForm(request.POST, budgets=budgets)
    problems: list[str] = []
    if form.is_valid():
        budget = next(b for b in budgets if b.pk == form.cleaned_data["budget"])
        try:
            review = review_create(actor=request.user, budget=budget, period=form.cleaned_data["period"])
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            messages.success(request, _("Analysis started. Enter or import the actual amounts."))
            return redirect("execution:actuals", pk=review.pk)
    else:
        problems = [_("Please correct the errors below.")]
    return render(
        request,
        "execution/list.html",
        {
            "union": union,
            "access": access,
            "reviews": list(reviews_for_union(user=request.user, union=union, access=access)),
            "obligations": [],
            "form": form,
            "problems": problems,
        },
        status=400,
    )


def _detail_context(request, review: BudgetExecutionReview, access: UnionAccess, *, can_file: bool) -> dict:
    trail = document_trail(document=review)
    table = review_table(review=review)
    return {
        "review": review,
        "union": review.union,
        "table": table,
        "ledger": ledger_comparison(review=review, table=table),
        "can_edit": not review.is_filed and access.can_draft,
        "can_file": can_file,
        "read_only_supervisor": access.supervised and not access.is_officer,
        "adjusted_since": review.budget.current_version_id != review.version_id and not review.is_filed,
        "trail": trail,
        # the viewer's open steps on the analysis, as every document page lists them
        # (_document_actions.html); filing and the actuals are the page's own buttons
        **acting_context(
            user=request.user,
            document=review,
            trail=trail,
            access=access,
            page_url=reverse("execution:detail", args=[review.pk]),
        ),
    }


@login_required
def review_detail(request, pk: int):
    review, access = _viewed(request, pk)
    can_file = not review.is_filed and may_file(user=request.user, union=review.union)
    context = _detail_context(request, review, access, can_file=can_file)
    context["file_form"] = FileForm(initial={"note": review.note}) if can_file else None
    return render(request, "execution/detail.html", context)


def _editable_review(request, pk: int) -> BudgetExecutionReview:
    review = review_for_viewer(request, pk)
    if not union_access(user=request.user, union=review.union).can_draft:
        refuse(request, union=review.union, reason="may not draft", status=403)
    return review


@login_required
def review_actuals(request, pk: int):
    """Type the actual amounts (a bound form keeps every figure typed, errors on their line)."""
    review = _editable_review(request, pk)
    version = review.budget.current_version
    known = {line.account_id: line.actual for line in review.lines.all() if line.actual is not None}
    form = ActualsForm.for_version(request.POST or None, version=version, initial=known)
    problems: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                review_save_actuals(actor=request.user, review=review, actuals=form.actuals())
            except ValidationError as exc:
                problems = list(exc.messages)
            else:
                messages.success(request, _("Actual amounts saved."))
                return redirect("execution:detail", pk=review.pk)
        else:
            problems = [_("Please correct the errors below.")]
    return render(
        request,
        "execution/actuals.html",
        {
            "review": review,
            "form": form,
            "import_form": ImportForm(),
            "problems": problems,
            "filed": review.is_filed,
            **_ledger_offer(review),
        },
        status=400 if problems else 200,
    )


def _ledger_offer(review: BudgetExecutionReview) -> dict:
    """Whether the actuals page offers the ledger's paid amounts, up to which day."""
    return {
        "ledger_has_paid": bool(ledger_paid(review=review)),
        "ledger_end": period_end(review.fiscal_year, review.period),
    }


@login_required
@require_POST
def review_take_paid_view(request, pk: int):
    """Fill the expenditure lines' actual amounts with what the expenditure ledger paid (issue 26)."""
    review = _editable_review(request, pk)
    try:
        review_take_paid(actor=request.user, review=review)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("execution:actuals", pk=review.pk)
    messages.success(request, _("The expenditure lines now show the amounts paid from the ledger."))
    return redirect("execution:detail", pk=review.pk)


@login_required
def review_import(request, pk: int):
    """Import the filled-in template: all or nothing, every problem by row and column."""
    review = _editable_review(request, pk)
    if request.method != "POST":
        return redirect("execution:actuals", pk=review.pk)
    form = ImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if form.is_valid():
        try:
            actuals = parse_actuals(form.cleaned_data["file"], version=review.budget.current_version)
            review_save_actuals(actor=request.user, review=review, actuals=actuals, source="xlsx")
        except ActualsImportError as exc:
            problems = exc.errors
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            messages.success(request, _("Actual amounts imported."))
            return redirect("execution:detail", pk=review.pk)
    else:
        problems = [m for errs in form.errors.values() for m in errs]
    version = review.budget.current_version
    known = {line.account_id: line.actual for line in review.lines.all() if line.actual is not None}
    return render(
        request,
        "execution/actuals.html",
        {
            "review": review,
            "form": ActualsForm.for_version(version=version, initial=known),
            "import_form": form,
            "problems": problems,
            "filed": review.is_filed,
            **_ledger_offer(review),
        },
        status=400,
    )


@login_required
def review_template(request, pk: int):
    review = _editable_review(request, pk)
    content = actuals_template(version=review.budget.current_version, title=title_for(review))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(title_for(review) + '（实际数）.xlsx')}"
    )
    return response


@login_required
@require_POST
def review_file_view(request, pk: int):
    review, access = _viewed(request, pk)
    form = FileForm(request.POST)
    problems: list[str] = []
    if form.is_valid():
        try:
            review_file(actor=request.user, review=review, note=form.cleaned_data["note"])
        except PermissionDenied:
            refuse(request, union=review.union, reason="may not file", status=403)
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            messages.success(
                request, _("Filed: the half-year obligation is met and the upper-level union sees it.")
            )
            return redirect("execution:detail", pk=review.pk)
    else:
        if not may_file(user=request.user, union=review.union):
            refuse(request, union=review.union, reason="may not file", status=403)
        problems = [m for errs in form.errors.values() for m in errs]
    context = _detail_context(request, review, access, can_file=True)
    context.update(file_form=form, problems=problems)
    return render(request, "execution/detail.html", context, status=400)


@login_required
def review_export(request, pk: int):
    review = review_for_viewer(request, pk)
    response = HttpResponse(review_to_xlsx(review), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title_for(review) + '.xlsx')}"
    return response


@login_required
def reviews_received(request, union_pk: int):
    """The upper-level union's page: filed analyses of the unions below (supervisors only), and each
    union's execution of this year so far, live from the expenditure ledger (read-only)."""
    union, access = union_for_viewer(request, union_pk)
    if not (access.is_supervisor_here or access.supervised):
        refuse(request, union=union, reason="not a supervisor", status=403)
    reviews = list(reviews_filed_below(union=union)[:200])
    year = timezone.localtime(timezone.now(), union.tz).year
    return render(
        request,
        "execution/received.html",
        {"union": union, "reviews": reviews, "year": year, "live": live_rates_below(union=union, year=year)},
    )
