"""The year-end summary's pages (S1.2, S2.3): start it pre-filled from the year's plan, edit it, report
it in writing to the Party organisation, and its page. Access as described in views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.http import refuse, union_for_viewer
from core.selectors import UnionAccess
from workflows import errors
from workflows.models import DocumentType
from workflows.services.workitems import DocumentBusy

from .forms import SummaryCreateForm, SummaryEditForm
from .models import YearEndSummary
from .services import summary_create, summary_prefill, summary_save, summary_submit
from .views import TextEdit, document_context, editable, prefill_year, summary_for_viewer, text_edit_page


@login_required
def summary_new(request, union_pk: int):
    """Start the year's summary; the text comes pre-filled from the year's plan and its progress."""
    union, access = union_for_viewer(request, union_pk)
    if not access.can_draft:
        refuse(request, union=union, reason="may not draft", status=403)
    problems: list[str] = []
    if request.method == "POST":
        form = SummaryCreateForm(request.POST)
        if form.is_valid():
            try:
                summary = summary_create(
                    actor=request.user,
                    union=union,
                    year=form.cleaned_data["year"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            except PermissionDenied:
                refuse(request, union=union, reason="may not draft", status=403)
            else:
                messages.success(
                    request, _("Summary started. Check the text, then report it to the Party organisation.")
                )
                return redirect("reports:summary_detail", pk=summary.pk)
        else:
            problems = [_("Please correct the errors below.")]
    else:
        year = prefill_year(request.GET.get("year"))
        form = SummaryCreateForm(initial={"year": year, "text": summary_prefill(union=union, year=year)})
    return render(
        request,
        "workflows/reports/summary_new.html",
        {"union": union, "form": form, "problems": problems},
        status=400 if problems else 200,
    )


def _summary_context(request, summary: YearEndSummary, access: UnionAccess) -> dict:
    context = document_context(request, summary, DocumentType.YEAR_END_SUMMARY, access)
    context.update(
        summary=summary,
        submit_problems=(
            [str(errors.SUMMARY_EMPTY)] if context["can_edit"] and not context["current"].text.strip() else []
        ),
    )
    return context


@login_required
def summary_detail(request, pk: int):
    summary, access = summary_for_viewer(request, pk)
    return render(
        request, "workflows/reports/summary_detail.html", _summary_context(request, summary, access)
    )


SUMMARY_EDIT = TextEdit(
    form=SummaryEditForm,
    save=lambda actor, summary, text: summary_save(actor=actor, summary=summary, text=text),
    submit=lambda actor, summary: summary_submit(actor=actor, summary=summary),
    saved=gettext_lazy("The summary was saved."),
    submitted=gettext_lazy("The summary was reported to the Party organisation."),
    detail_url="reports:summary_detail",
    edit_url="reports:summary_edit",
    template="workflows/reports/summary_edit.html",
    name="summary",
)


@login_required
def summary_edit(request, pk: int):
    summary, _access = summary_for_viewer(request, pk)
    editable(request, summary)
    return text_edit_page(request, summary, SUMMARY_EDIT)


@login_required
def summary_submit_view(request, pk: int):
    """POST: report the summary in writing to the Party organisation (S2.3)."""
    summary, access = summary_for_viewer(request, pk)
    if request.method != "POST":
        return redirect("reports:summary_detail", pk=summary.pk)
    editable(request, summary)
    problems: list[str] = []
    status = 400
    try:
        summary_submit(actor=request.user, summary=summary)
    except ValidationError as exc:
        problems = list(exc.messages)
    except DocumentBusy:
        problems = [str(errors.LOCKED)]
        status = 409
    except PermissionDenied:
        refuse(request, union=summary.union, reason="not the drafter's step", status=403)
    else:
        messages.success(request, _("The summary was reported to the Party organisation."))
        return redirect("reports:summary_detail", pk=summary.pk)
    summary.refresh_from_db()
    context = _summary_context(request, summary, access)
    context["problems"] = problems
    return render(request, "workflows/reports/summary_detail.html", context, status=status)
