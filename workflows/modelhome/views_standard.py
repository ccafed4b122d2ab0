"""The provincial organs union's standard pages (S5.2): its standards by year, adopting the shipped
text for a year, editing a draft's dimensions and criteria, publishing it, copying it to a new year."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.http import refuse

from . import access, selectors
from . import standards as keeping
from .forms import YearForm, standard_changes
from .models import EvidenceSource

PAGE = "workflows/modelhome/standard.html"


@login_required
@require_http_methods(["GET", "POST"])
def standards(request, union_pk: int):
    """The union's standards, newest year first; its keepers adopt the shipped text for a year."""
    union, union_access = access.standard_union(request, union_pk, manage=request.method == "POST")
    form = YearForm(request.POST or None, initial={"year": timezone.localdate(timezone=union.tz).year})
    if request.method == "POST" and form.is_valid():
        try:
            standard = keeping.standard_adopt_shipped(
                union=union, year=form.cleaned_data["year"], by=request.user
            )
        except ValidationError as exc:
            for problems in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
                for problem in problems:
                    form.add_error(None, problem)
        else:
            messages.success(request, _("The standard is adopted as a draft: edit it, then publish it."))
            return redirect("modelhome:standard", standard.pk)
    context = {
        "union": union,
        "standards": list(selectors.standards_of(union)),
        "form": form if union_access.can_manage_seats else None,
    }
    return render(request, "workflows/modelhome/standards.html", context, status=400 if form.errors else 200)


def _typed(standard, dimensions, posted) -> None:
    """Show what was typed again beside a refusal (the instances are not saved)."""
    for name in ("title", "source", "pass_score", "reexamine_every_years"):
        setattr(standard, name, posted.get(name, getattr(standard, name)))
    for d in dimensions:
        d.name, d.weight = posted.get(f"dname-{d.pk}", d.name), posted.get(f"dweight-{d.pk}", d.weight)
        for c in d.criteria.all():
            c.text = posted.get(f"ctext-{c.pk}", c.text)
            c.points = posted.get(f"cpoints-{c.pk}", c.points)
            c.threshold_pct = posted.get(f"cthreshold-{c.pk}", c.threshold_pct)
            c.how_evidenced = posted.get(f"chow-{c.pk}", c.how_evidenced)
            c.evidence_source = posted.get(f"csource-{c.pk}", c.evidence_source)
            c.evidence_required = posted.get(f"crequired-{c.pk}") == "on"


def _page(request, standard, union_access, *, posted=None, problems=(), copy_form=None, status=200):
    dimensions = selectors.standard_with_criteria(standard)
    if posted is not None:
        _typed(standard, dimensions, posted)
    context = {
        "standard": standard,
        "union": standard.union,
        "dimensions": dimensions,
        "editable": standard.is_draft and union_access.can_manage_seats,
        "keeper": union_access.can_manage_seats,
        "sources": EvidenceSource.choices,
        "problems": list(problems),
        "publish_problems": keeping.standard_problems(standard) if standard.is_draft else [],
        "copy_form": copy_form or YearForm(initial={"year": standard.year + 1}),
    }
    return render(request, PAGE, context, status=status)


def _save(request, standard) -> list:
    dimensions = selectors.standard_with_criteria(standard)
    criterion_ids = [c.pk for d in dimensions for c in d.criteria.all()]
    head, dims, criteria, problems = standard_changes(request.POST, [d.pk for d in dimensions], criterion_ids)
    if problems:
        return problems
    try:
        keeping.standard_update(
            standard=standard, by=request.user, head=head, dimensions=dims, criteria=criteria
        )
    except ValidationError as exc:
        return exc.messages
    return []


@login_required
@require_http_methods(["GET", "POST"])
def standard(request, standard_pk: int):
    """A standard's page; its keepers save the draft (``action=save``), publish it (``publish``) or copy
    it to a new year (``copy``)."""
    standard, union_access = access.viewed_standard(request, standard_pk, manage=request.method == "POST")
    if request.method == "GET":
        return _page(request, standard, union_access)
    action = request.POST.get("action")
    try:
        if action == "copy":
            form = YearForm(request.POST)
            if not form.is_valid():
                return _page(request, standard, union_access, copy_form=form, status=400)
            copy = keeping.standard_copy_to_year(
                standard=standard, year=form.cleaned_data["year"], by=request.user
            )
            messages.success(
                request, _("The standard is copied to %(year)s as a draft.") % {"year": copy.year}
            )
            return redirect("modelhome:standard", copy.pk)
        problems = _save(request, standard)
        if problems:
            return _page(request, standard, union_access, posted=request.POST, problems=problems, status=400)
        if action == "publish":
            keeping.standard_publish(standard=standard, by=request.user)
            messages.success(request, _("The standard is published."))
        else:
            messages.success(request, _("The standard is saved."))
    except PermissionDenied:
        refuse(request, union=standard.union, reason=access.NOT_KEEPER, status=403)
    except ValidationError as exc:
        standard.refresh_from_db()
        return _page(request, standard, union_access, problems=exc.messages, status=400)
    return redirect("modelhome:standard", standard.pk)
