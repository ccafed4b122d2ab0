"""Forms of the hearing pages (S1.2): the union's request with its report, the Party organisation's
record of the hearing with the problems it decides to solve, and an action item's closing note. They
parse input; workflows.party.services and hearings decide (a problem lacking its owner or date, a
meeting without quorum are refused there, named by the problem's number)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.budget.forms import bootstrap
from workflows.forms import CHECK, AttendeesField, date_input

from .models import ReportKind
from .services import Problem

PROBLEMS_PREFIX = "problems"


class HearingForm(forms.Form):
    """The union asks for a place on its Party organisation's agenda with its report. The year is fixed
    once asked (the request's title names it)."""

    year = forms.IntegerField(label=_("year of the union work reported"), min_value=2000, max_value=2100)
    report_kind = forms.ChoiceField(
        label=_("kind of report"), choices=ReportKind.choices, widget=forms.RadioSelect(attrs=dict(CHECK))
    )
    report = forms.CharField(
        label=_("the report on union work"), max_length=50000, widget=forms.Textarea(attrs={"rows": 12})
    )
    wished_on = forms.DateField(
        label=_("meeting wished for"),
        required=False,
        widget=date_input(),
        help_text=_("The date of the Party organisation's meeting the union would like to report at."),
    )

    def __init__(self, *args, year_fixed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if year_fixed:
            self.fields["year"].disabled = True
        bootstrap(self)


class HearingRecordForm(forms.Form):
    """The Party organisation's meeting that heard the report: when, where, who attended (the seats in
    force of the body that meets), what it studied."""

    held_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=date_input())
    place = forms.CharField(label=_("Place"), max_length=200)
    # not required: an empty attendance is refused by the service with the quorum's figures
    attendees = AttendeesField(
        label=_("Attendees"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=dict(CHECK)),
        help_text=_("People holding a seat in the body today; the seats are checked again on the date."),
    )
    # not required here: the service says what is missing in the hearing's own words
    matters_studied = forms.CharField(
        label=_("matters studied"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, people: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = people
        bootstrap(self)


class ProblemForm(forms.Form):
    """One problem the meeting decides to solve; a row left empty is no problem. The owner is a person
    chosen by name (the union's and the Party organisation's seat holders) or a department."""

    text = forms.CharField(
        label=_("problem to solve"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner = forms.TypedChoiceField(label=_("owner"), coerce=int, empty_value=None, required=False)
    owner_department = forms.CharField(label=_("or owner department"), max_length=100, required=False)
    due_on = forms.DateField(label=_("due by"), required=False, widget=date_input())

    def __init__(self, *args, people: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *people]
        for name in ("text", "owner_department"):  # on a phone the column headings are hidden
            self.fields[name].widget.attrs["placeholder"] = self.fields[name].label
        bootstrap(self)

    def problem(self, row: int) -> Problem | None:
        data = getattr(self, "cleaned_data", {})
        text, owner = data.get("text", ""), data.get("owner")
        department, due = data.get("owner_department", ""), data.get("due_on")
        if not text.strip() and owner is None and not department.strip() and due is None:
            return None
        return Problem(text=text, owner_id=owner, owner_department=department, due_on=due, row=row)


class BaseProblemFormSet(forms.BaseFormSet):
    """The problems' rows: every row typed in, then a few empty ones; the rest fold away (no script)."""

    EMPTY_SHOWN = 2

    def problems(self) -> list[Problem]:
        rows = (form.problem(row) for row, form in enumerate(self.forms, start=1))
        return [p for p in rows if p is not None]

    @property
    def shown_count(self) -> int:
        filled = [i for i, form in enumerate(self.forms) if self.is_bound and form.has_changed()]
        return (filled[-1] + 1 if filled else 0) + self.EMPTY_SHOWN


ProblemFormSet = forms.formset_factory(
    ProblemForm, formset=BaseProblemFormSet, extra=12, max_num=50, validate_max=True
)


def problem_formset(data=None, *, people: list[tuple[int, str]]) -> BaseProblemFormSet:
    """The rows of the record form; ``data`` without them (a script posting the meeting alone) is an
    unbound set: no problems."""
    if data is not None and f"{PROBLEMS_PREFIX}-TOTAL_FORMS" not in data:
        data = None
    return ProblemFormSet(data, prefix=PROBLEMS_PREFIX, form_kwargs={"people": people})


class ReturnForm(forms.Form):
    """The Party organisation sends the report back for more; the union reads the reasons."""

    opinions = forms.CharField(
        label=_("Why it is returned"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ActionCloseForm(forms.Form):
    """How the problem was solved: the owner, the chair or the office closes the action item."""

    note = forms.CharField(
        label=_("how it was solved"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
