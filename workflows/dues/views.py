"""The dues pages: the year's months with dues collected and expected and the arrears in short
(overview), the record of one month, the arrears member by member (and as .xlsx), the basic wages.

Who sees them: the union's officers and the supervisors above (union_access.can_view_documents); anyone
else gets 404. Who records: the union's finance officer and office staff (may_record_income); anyone
else who sees the pages reads them, and a POST of theirs gets 403 (core.http.refuse logs both)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.http import refuse, union_for_viewer
from workflows.amounts import format_yuan
from workflows.expenditure.income import may_record_income
from workflows.services.actions import refused

from . import errors, selectors, services, xlsx
from .forms import SettingsForm, WagesForm, collection_from_post, parse_month, wage_field_name
from .services import INHERIT

YEAR_MIN, YEAR_MAX = 2000, 2100
NOT_VISIBLE = "dues are for officers and supervisors"
NOT_RECORDER = "only the finance officer or office staff record dues"


def _viewed(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_view_documents:
        refuse(request, union=union, reason=NOT_VISIBLE)
    return union, access


def _recorder(request, union) -> None:
    if not may_record_income(request.user, union.pk):
        refuse(request, union=union, reason=NOT_RECORDER, status=403)


def _refused(request, union, exc: ValidationError, reason: str) -> list[str]:
    """Log the refusal (no transaction is open by then, so the event stays) and say it."""
    refused(actor=request.user, item=None, union=union, reason=reason, exc=exc)
    return list(exc.messages)


# --- overview -----------------------------------------------------------------------------------------------


def _settings_initial(union, start: selectors.Start) -> dict:
    rule = selectors.own_rule(union)
    initial = {"kind": rule.kind if rule else INHERIT, "recorded_from": start.recorded_from}
    if rule is not None:
        initial.update(percent=rule.percent.normalize(), fixed_amount=rule.fixed_amount)
    return initial


def _overview(request, union, access, *, year: int, form=None, problems=(), status: int = 200):
    today = selectors.today_of(union)
    rate = selectors.rate_for(union)
    start = selectors.start_of(union)
    may_record = may_record_income(request.user, union.pk)
    if may_record and form is None:
        form = SettingsForm(initial=_settings_initial(union, start))
    months = selectors.year_months(union, year, rate, today=today)
    owed = selectors.arrears(union, rate, today=today, start=start)
    context = {
        "union": union,
        "access": access,
        "year": year,
        "previous_year": year - 1 if year > YEAR_MIN else None,
        "next_year": year + 1 if year < today.year else None,
        "rate": rate,
        "start": start,
        "months": months,
        "expected": sum((m.expected for m in months), Decimal("0")),
        "collected": sum((m.collected for m in months), Decimal("0")),
        "arrears": selectors.arrears_total(owed),
        "period": selectors.arrears_period(union, today=today, start=start),
        "may_record": may_record,
        "form": form if may_record else None,
        "problems": list(problems),
    }
    return render(request, "workflows/dues/overview.html", context, status=status)


@login_required
@require_GET
def overview(request, union_pk: int):
    union, access = _viewed(request, union_pk)
    wanted = request.GET.get("year", "")
    this_year = selectors.today_of(union).year
    year = int(wanted) if wanted.isdigit() and YEAR_MIN <= int(wanted) <= this_year else this_year
    return _overview(request, union, access, year=year)


@login_required
@require_POST
def settings_save(request, union_pk: int):
    union, access = _viewed(request, union_pk)
    _recorder(request, union)
    form = SettingsForm(request.POST)
    year = selectors.today_of(union).year
    try:
        if not form.is_valid():
            raise ValidationError([_("Please correct the errors below.")])
        services.settings_set(actor=request.user, union=union, **form.cleaned_data)
    except PermissionDenied:
        refuse(request, union=union, reason=NOT_RECORDER, status=403)
    except ValidationError as exc:
        problems = _refused(request, union, exc, "dues settings refused")
        return _overview(request, union, access, year=year, form=form, problems=problems, status=400)
    messages.success(request, _("The dues settings are saved."))
    return redirect("dues:overview", union.pk)


# --- a month ------------------------------------------------------------------------------------------------


def _month_of(year: int, month: int) -> datetime.date:
    if not (YEAR_MIN <= year <= YEAR_MAX and 1 <= month <= 12):
        raise Http404
    return datetime.date(year, month, 1)


def _month_page(request, union, access, month, *, posted=None, problems=(), status: int = 200):
    today = selectors.today_of(union)
    rate = selectors.rate_for(union)
    rows = selectors.month_rows(union, month, rate)
    dues_month = selectors.dues_month_of(union, month)
    ledger = selectors.ledger_state(dues_month)
    ledger_problems = (
        services.ledger_problems(union=union, dues_month=dues_month, state=ledger, today=today)
        if dues_month is not None
        else ()
    )
    lines = []
    for row in rows:
        if posted is not None:
            checked, amount = row.member_id in posted.ticked, posted.typed.get(row.member_id, "")
        else:
            shown = row.paid if row.paid is not None else row.due
            checked, amount = row.paid is not None, format_yuan(shown) if shown is not None else ""
        lines.append({"row": row, "checked": checked, "amount": amount})
    future = month > selectors.month_start(today)
    context = {
        "union": union,
        "access": access,
        "month": month,
        "previous_month": selectors.add_months(month, -1),
        "next_month": None if month >= selectors.month_start(today) else selectors.add_months(month, 1),
        "future": future,
        "rate": rate,
        "lines": lines,
        "expected": sum((r.due for r in rows if r.due is not None), Decimal("0")),
        "without_wage": sum(1 for r in rows if r.due is None),
        "dues_month": dues_month,
        "ledger": ledger,
        "ledger_problems": ledger_problems,
        "may_record": may_record_income(request.user, union.pk) and not future,
        "problems": list(problems),
    }
    if future and not problems:
        context["problems"] = [str(errors.MONTH_IN_FUTURE % {"month": f"{month:%Y-%m}"})]
    return render(request, "workflows/dues/month.html", context, status=status)


@login_required
def month_page(request, union_pk: int, year: int, month: int):
    union, access = _viewed(request, union_pk)
    month = _month_of(year, month)
    if request.method != "POST":
        return _month_page(request, union, access, month)
    _recorder(request, union)
    names = {row.member_id: row.name for row in selectors.month_rows(union, month, selectors.rate_for(union))}
    posted = collection_from_post(request.POST, names)
    try:
        if posted.problems:
            raise ValidationError(posted.problems)
        recorded = services.month_record(actor=request.user, union=union, month=month, paid=posted.paid)
    except PermissionDenied:
        refuse(request, union=union, reason=NOT_RECORDER, status=403)
    except ValidationError as exc:
        problems = _refused(request, union, exc, "dues month refused")
        return _month_page(request, union, access, month, posted=posted, problems=problems, status=400)
    messages.success(
        request,
        _("The dues of %(month)s are recorded: %(paid)s members paid, %(amount)s yuan collected.")
        % {
            "month": f"{month:%Y-%m}",
            "paid": recorded.paid,
            "amount": format_yuan(recorded.ledger.collected),
        },
    )
    return redirect("dues:month", union.pk, month.year, month.month)


# --- arrears ------------------------------------------------------------------------------------------------


def _arrears(union):
    today = selectors.today_of(union)
    start = selectors.start_of(union)
    rows = selectors.arrears(union, selectors.rate_for(union), today=today, start=start)
    return rows, selectors.arrears_period(union, today=today, start=start)


@login_required
@require_GET
def arrears_page(request, union_pk: int):
    union, access = _viewed(request, union_pk)
    rows, period = _arrears(union)
    context = {
        "union": union,
        "access": access,
        "rows": [{"arrears": row, "ranges": selectors.month_ranges(row.months)} for row in rows],
        "total": selectors.arrears_total(rows),
        "period": period,
    }
    return render(request, "workflows/dues/arrears.html", context)


@login_required
@require_GET
def arrears_export(request, union_pk: int):
    union, _access = _viewed(request, union_pk)
    rows, period = _arrears(union)
    title = xlsx.arrears_title(union)
    response = HttpResponse(
        xlsx.arrears_to_xlsx(union, rows, period),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title + '.xlsx')}"
    return response


# --- basic wages --------------------------------------------------------------------------------------------


def _wages_month(request, union) -> datetime.date:
    """The month whose members and wages are shown: ?month=2026-03, else this month."""
    this_month = selectors.month_start(selectors.today_of(union))
    try:
        wanted = parse_month(request.GET.get("month", ""))
    except ValidationError:
        return this_month
    return min(wanted, this_month)


def _wages_page(request, union, access, month, *, form=None, problems=(), status: int = 200):
    members = list(selectors.members_with_wages(union, month))
    may_record = may_record_income(request.user, union.pk)
    if may_record and form is None:
        form = WagesForm(members=members, initial={"applies_from": month})
    lines = [{"member": m, "field": form[wage_field_name(m.pk)] if form else None} for m in members]
    context = {
        "union": union,
        "access": access,
        "month": month,
        "rate": selectors.rate_for(union),
        "lines": lines,
        "without_wage": sum(1 for m in members if m.wage is None),
        "may_record": may_record,
        "form": form if may_record else None,
        "problems": list(problems),
        "wages_url": reverse("dues:wages", args=[union.pk]),
    }
    return render(request, "workflows/dues/wages.html", context, status=status)


@login_required
def wages_page(request, union_pk: int):
    union, access = _viewed(request, union_pk)
    month = _wages_month(request, union)
    if request.method != "POST":
        return _wages_page(request, union, access, month)
    _recorder(request, union)
    form = WagesForm(request.POST, members=list(selectors.members_with_wages(union, month)))
    try:
        if not form.is_valid():
            raise ValidationError([_("Please correct the errors below.")])
        applies_from = form.cleaned_data["applies_from"]
        entered = services.wages_enter(
            actor=request.user, union=union, applies_from=applies_from, wages=form.wages()
        )
    except PermissionDenied:
        refuse(request, union=union, reason=NOT_RECORDER, status=403)
    except ValidationError as exc:
        problems = _refused(request, union, exc, "basic wages refused")
        return _wages_page(request, union, access, month, form=form, problems=problems, status=400)
    messages.success(
        request,
        _("%(count)s basic wages are entered from %(month)s.")
        % {"count": entered, "month": f"{applies_from:%Y-%m}"},
    )
    return redirect(f"{reverse('dues:wages', args=[union.pk])}?month={applies_from:%Y-%m}")
