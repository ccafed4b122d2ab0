"""Forms of the annual plan pages: start a plan, edit its seven duty areas, submit, record progress.
They parse what was typed; the services in services.py decide (S2.1–S2.3)."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms_people import PersonField
from core.people import PeopleScope, people_rows
from workflows import errors
from workflows.forms import CONTROL, date_input

from .models import DutyArea, ProgressState
from .services import PARTY_REFERENCE_MAX, ItemInput, SectionInput

MAX_ROWS = 40
DATES_MISSING = _("Give the day the task starts and the day it ends.")
REFERENCE_WITHOUT_FLAG = _(
    "A Party document reference is given for a task deployed together with Party building: tick that box, "
    "or clear the reference."
)


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(
        label=_("Plan year"), min_value=2000, max_value=2100, widget=forms.NumberInput(attrs=dict(CONTROL))
    )
    foreword = forms.CharField(
        label=_("Guiding ideas"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={**CONTROL, "rows": 4}),
        help_text=_("The plan's guiding ideas and main goals for the year."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + 1


def _name(area: str, row: int, part: str) -> str:
    return f"{area}-{row}-{part}"


# with_party, party_reference: S1.2 planning together (一起研究、一起部署)
ROW_PARTS = ("title", "owner", "owner_text", "starts_on", "ends_on", "with_party", "party_reference")
# what makes a row typed: its fields, and a name typed in its owner's search box (core.forms_people)
TYPED_PARTS = (*ROW_PARTS, "owner_q")


class PlanEditForm(forms.Form):
    """One block per duty area: ``rows`` item rows (title, owner chosen with the people picker among
    ``scope`` or owner text, from, until) and the reason an area is left empty (S2.1). Blank rows are
    ignored; a row with anything typed in it must be complete. Item keys travel in hidden fields so
    that progress follows an item across versions."""

    foreword = forms.CharField(
        label=_("Guiding ideas"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={**CONTROL, "rows": 3}),
    )

    def __init__(
        self, *args, rows: int, scope: PeopleScope, ref: str, known_keys: set[str] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.known_keys = known_keys or set()
        for area in DutyArea:
            for i in range(rows):
                self.fields[_name(area, i, "title")] = forms.CharField(
                    label=_("Task"),
                    required=False,
                    max_length=200,
                    widget=forms.TextInput(attrs=dict(CONTROL)),
                )
                self.fields[_name(area, i, "owner")] = PersonField(
                    action="plan_owner", label=_("Owner"), required=False
                )
                self.fields[_name(area, i, "owner_text")] = forms.CharField(
                    label=_("or department / person"),
                    required=False,
                    max_length=100,
                    widget=forms.TextInput(attrs=dict(CONTROL)),
                )
                self.fields[_name(area, i, "starts_on")] = forms.DateField(
                    label=_("From"), required=False, widget=date_input()
                )
                self.fields[_name(area, i, "ends_on")] = forms.DateField(
                    label=_("Until"), required=False, widget=date_input()
                )
                self.fields[_name(area, i, "with_party")] = forms.BooleanField(
                    label=_("deployed together with Party building"),
                    required=False,
                    widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
                )
                self.fields[_name(area, i, "party_reference")] = forms.CharField(
                    label=_("Party document reference"),
                    required=False,
                    max_length=PARTY_REFERENCE_MAX,
                    widget=forms.TextInput(attrs=dict(CONTROL)),
                )
                self.fields[_name(area, i, "key")] = forms.CharField(
                    required=False, max_length=40, widget=forms.HiddenInput
                )
            self.fields[f"{area}-reason"] = forms.CharField(
                label=_("If this area has no task: why"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={**CONTROL, "rows": 2}),
            )
        self._owner_scope(scope, ref)

    def _owner_scope(self, scope: PeopleScope, ref: str) -> None:
        """Every owner picker searches the plan's people; the owners already chosen are read once for
        all rows (two queries), not once a row."""
        names = [_name(area, i, "owner") for area in DutyArea for i in range(self.rows)]
        if self.is_bound:
            chosen = [self.data.get(self.add_prefix(name), "") for name in names]
        else:
            chosen = [self.initial.get(name, "") for name in names]
        ids = [int(v) for v in map(str, chosen) if v.isdigit() and len(v) < 19]
        known = {row.pk: row for row in people_rows(ids=ids, scope=scope)}
        for name in names:
            self.fields[name].set_scope(scope, ref=ref, known=known)

    # --- rendering helpers ---------------------------------------------------------------------

    def areas(self):
        """For the template: (area value, label, [row of bound fields], reason field) per duty area."""
        for area in DutyArea:
            rows = [
                {part: self[_name(area, i, part)] for part in (*ROW_PARTS, "key")} | {"number": i + 1}
                for i in range(self.rows)
            ]
            yield {"value": area.value, "label": area.label, "rows": rows, "reason": self[f"{area}-reason"]}

    # --- cleaning ------------------------------------------------------------------------------

    def _row_typed(self, area: str, i: int) -> bool:
        """Anything typed in the row (raw input, so that a date that did not parse counts too)."""
        return any(
            str(self.data.get(self.add_prefix(_name(area, i, part)), "")).strip() for part in TYPED_PARTS
        )

    def clean(self):
        data = super().clean()
        for area in DutyArea:
            for i in range(self.rows):
                if not self._row_typed(area, i):
                    continue
                title = (data.get(_name(area, i, "title")) or "").strip()
                if not title:
                    self.add_error(_name(area, i, "title"), errors.PLAN_ITEM_TITLE)
                starts, ends = data.get(_name(area, i, "starts_on")), data.get(_name(area, i, "ends_on"))
                unparsed = (
                    _name(area, i, "starts_on") in self.errors or _name(area, i, "ends_on") in self.errors
                )
                if unparsed:
                    pass  # a date that did not parse already carries its field's error
                elif starts is None or ends is None:
                    self.add_error(_name(area, i, "ends_on" if starts else "starts_on"), DATES_MISSING)
                elif ends < starts:
                    self.add_error(
                        _name(area, i, "ends_on"), ValidationError(errors.PLAN_ITEM_DATES % {"title": title})
                    )
                reference = (data.get(_name(area, i, "party_reference")) or "").strip()
                if reference and not data.get(_name(area, i, "with_party")):
                    self.add_error(_name(area, i, "party_reference"), REFERENCE_WITHOUT_FLAG)
        return data

    def problems(self) -> list[str]:
        """Every error, named by its duty area and row, for the summary at the top of the page."""
        out: list[str] = [str(e) for e in self.non_field_errors()]
        labels = {area.value: area.label for area in DutyArea}
        for name, field_errors in self.errors.items():
            if name == "__all__":
                continue
            parts = name.split("-")
            if len(parts) == 3 and parts[0] in labels:
                where = _("%(area)s, row %(row)s") % {"area": labels[parts[0]], "row": int(parts[1]) + 1}
            elif name in self.fields:
                where = str(self.fields[name].label)
            else:
                where = name
            out.extend(f"{where}: {e}" for e in field_errors)
        return out

    def sections(self):
        """The cleaned seven areas as SectionInput rows for plan_save."""
        data = self.cleaned_data
        seen: set[str] = set()
        sections = []
        for area in DutyArea:
            items = []
            for i in range(self.rows):
                if not self._row_typed(area, i):
                    continue
                key = (data.get(_name(area, i, "key")) or "").strip()
                if key not in self.known_keys or key in seen:
                    key = ""  # a forged or repeated key makes a new item
                seen.add(key)
                items.append(
                    ItemInput(
                        title=data[_name(area, i, "title")].strip(),
                        starts_on=data[_name(area, i, "starts_on")],
                        ends_on=data[_name(area, i, "ends_on")],
                        owner=data.get(_name(area, i, "owner")),
                        owner_text=(data.get(_name(area, i, "owner_text")) or "").strip(),
                        key=key,
                        with_party=bool(data.get(_name(area, i, "with_party"))),
                        party_reference=(data.get(_name(area, i, "party_reference")) or "").strip(),
                    )
                )
            sections.append(SectionInput(area.value, items, data.get(f"{area}-reason") or ""))
        return sections


def initial_from_version(version, sections, rows: int) -> dict:
    """The edit form's initial values from a saved version's sections (items in timetable order)."""
    initial = {"foreword": version.foreword}
    for section in sections:
        initial[f"{section.area}-reason"] = section.empty_reason
        for i, item in enumerate(section.items.all()[:rows]):
            initial[_name(section.area, i, "title")] = item.title
            initial[_name(section.area, i, "owner")] = item.owner_id or ""
            initial[_name(section.area, i, "owner_text")] = item.owner_text
            initial[_name(section.area, i, "starts_on")] = item.starts_on
            initial[_name(section.area, i, "ends_on")] = item.ends_on
            initial[_name(section.area, i, "key")] = item.key
            initial[_name(section.area, i, "with_party")] = item.with_party
            initial[_name(section.area, i, "party_reference")] = item.party_reference
    return initial


class PlanSubmitForm(forms.Form):
    """At the draft step: who is asked for opinions (S2.2), and by when."""

    recipients = forms.MultipleChoiceField(
        label=_("Ask for opinions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    due_date = forms.DateField(label=_("Opinions due by"), required=False, widget=date_input())

    def __init__(self, *args, choices: list[tuple[str, str]], needs_recipients: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = choices
        self.needs_recipients = needs_recipients
        self.fields["due_date"].initial = timezone.localdate() + datetime.timedelta(days=7)

    def clean(self):
        data = super().clean()
        if self.needs_recipients:
            if not data.get("recipients"):
                raise ValidationError(errors.OPINION_NO_RECIPIENTS)
            due = data.get("due_date")
            if due is None or due <= timezone.localdate():
                raise ValidationError(errors.OPINION_DUE_IN_PAST)
        return data


class ProgressForm(forms.Form):
    """An owner's (or an officer's) progress on one task of the plan in force (S2.3)."""

    state = forms.ChoiceField(
        label=_("State"), choices=ProgressState.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    percent = forms.IntegerField(
        label=_("Percent done"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={**CONTROL, "inputmode": "numeric"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={**CONTROL, "rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("state") == ProgressState.DONE and data.get("percent") not in (None, 100):
            self.add_error("percent", _("A finished task is 100 percent done."))
        return data
