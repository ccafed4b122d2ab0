"""The union's income page (issue 26, the income side): the income lines of the budget in force with what
was budgeted and received, the year's records, and the form the finance officer or office staff record
income with. Officers of the union and supervisors above read it; anyone else gets 404."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.http import refuse, union_for_viewer
from workflows.budget.forms import AmountField, bootstrap
from workflows.services.actions import refused

from . import errors_income, income, selectors


class IncomeForm(forms.Form):
    """Income as the recorder types it. The line is offered from the budget in force but taken as typed:
    the service refuses any other line in the officer's words, naming it."""

    account = forms.CharField(
        label=gettext_lazy("income line"),
        widget=forms.Select,
        error_messages={"required": errors_income.NO_ACCOUNT},
    )
    amount = AmountField(label=gettext_lazy("amount (yuan)"))
    received_on = forms.DateField(
        label=gettext_lazy("received on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    note = forms.CharField(
        label=gettext_lazy("note"),
        max_length=income.NOTE_MAX,
        required=False,
        help_text=gettext_lazy(
            "For example: membership dues of November, or the administration's allocation."
        ),
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].widget.choices = [("", "—")] + [
            (line.account_id, str(line.account)) for line, _figures in lines
        ]
        bootstrap(self)


def _year(request, union) -> int:
    """The year shown: ?year= (2000 to 2100), else this year in the union's calendar."""
    wanted = request.GET.get("year", "")
    return (
        int(wanted) if wanted.isdigit() and 2000 <= int(wanted) <= 2100 else selectors.budget_year_for(union)
    )


def _viewed(request, union_pk: int):
    union, access = union_for_viewer(request, union_pk)
    if not access.can_view_documents:
        refuse(request, union=union, reason="income not visible")
    return union


def _render(request, union, year: int, *, ledger=None, form=None, problems=(), status: int = 200):
    ledger = income.income_ledger(union.pk, year) if ledger is None else ledger
    may_record = income.may_record_income(request.user, union.pk)
    if may_record and form is None:
        today = income.today_in(union)
        form = IncomeForm(lines=ledger, initial={"received_on": today} if today.year == year else {})
    context = {
        "union": union,
        "year": year,
        "ledger": ledger,
        "total": income.income_total(ledger),
        "records": income.income_records(union.pk, year),
        "may_record": may_record,
        "form": form if may_record else None,
        "problems": list(problems),
    }
    return render(request, "workflows/expenditure/income.html", context, status=status)


@login_required
def income_page(request, union_pk: int):
    union = _viewed(request, union_pk)
    return _render(request, union, _year(request, union))


def _form_problems(form: IncomeForm) -> list[str]:
    return [_("Please correct the errors below."), *(str(e) for errs in form.errors.values() for e in errs)]


@login_required
@require_POST
def income_record_view(request, union_pk: int):
    """Record income; a refusal keeps what was typed and is written as an event (no transaction is open
    by then, so the event stays)."""
    union = _viewed(request, union_pk)
    year = _year(request, union)
    if not income.may_record_income(request.user, union.pk):
        refuse(request, union=union, reason="may not record income", status=403)
    ledger = income.income_ledger(union.pk, year)
    form = IncomeForm(request.POST, lines=ledger)
    try:
        if not form.is_valid():
            raise ValidationError(_form_problems(form))
        data = form.cleaned_data
        record = income.income_record(
            actor=request.user,
            union=union,
            account_id=data["account"],
            amount=data["amount"],
            received_on=data["received_on"],
            note=data["note"],
        )
    except PermissionDenied:  # the seat ended between the check above and the service's own
        refuse(request, union=union, reason="may not record income", status=403)
    except ValidationError as exc:
        refused(actor=request.user, item=None, union=union, reason="income refused", exc=exc)
        # a form error is shown under its field; the heading alone goes above
        shown = exc.messages[:1] if form.errors else exc.messages
        return _render(request, union, year, ledger=ledger, form=form, problems=shown, status=400)
    messages.success(request, _("The income was recorded."))
    url = reverse("expenditure:income", args=[union.pk])
    if record.year != selectors.budget_year_for(union):
        url += f"?year={record.year}"
    return redirect(url)
