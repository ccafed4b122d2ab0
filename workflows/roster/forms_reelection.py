"""The re-election form (换届, S4.1/S4.2): who elected and when, the new term, and a fixed number of
member rows (a person picked among the union's people — those who may be given a seat in it, as on the
seat form — and a role the committee admits). It parses input; workflows.roster.reelection decides."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import SEAT_PERSON_OUTSIDE, seat_scope
from core.forms_people import NOT_ALLOWED, PersonField
from core.models import BODY_ROLES, Body, Role, Union
from core.people import people_rows
from workflows.budget.forms import bootstrap
from workflows.forms import date_input
from workflows.models import Meeting

from . import reelection_selectors as selectors
from .models import COMMITTEE_HEAD
from .reelection import PERSON_NEEDED, ROLE_NEEDED, add_years

ROWS = 12  # blank member rows: enough for a grassroots committee, no script needed to add more
# the people picker of the seat form: same circle and same right (core.views.seat_people checks it)
PICKER = "seat"
# A row's role saying its person is not elected: a person once chosen cannot be unticked without a
# script, so the row of a member in force who leaves is emptied this way.
NOT_ELECTED = "not_elected"


def _roles(body: Body) -> list[tuple[str, str]]:
    """The roles the committee admits, its head first (S4.1)."""
    head = COMMITTEE_HEAD[body.kind]
    admitted = sorted(BODY_ROLES[body.kind], key=lambda r: (r != head, Role.values.index(r)))
    choices = [(role, Role(role).label) for role in admitted]
    return [("", "—"), *choices, (NOT_ELECTED, _("not elected (leaves)"))]


def initial_for(body: Body, *, today: datetime.date) -> dict:
    """What the empty form suggests: the term after the current one, as long as it (five years when
    unknown), and the members in force in their roles — a re-election often returns most of them."""
    start = body.term_end + datetime.timedelta(days=1) if body.term_end else today
    years = 5
    if body.term_start and body.term_end:
        years = max(1, round((body.term_end - body.term_start).days / 365.25))
    initial = {"term_start": start, "term_end": add_years(start, years) - datetime.timedelta(days=1)}
    head = COMMITTEE_HEAD[body.kind]
    seats = sorted(getattr(body, "seats_in_force", []), key=lambda s: (s.role != head, s.role, s.pk))
    for i, seat in enumerate(seats[:ROWS]):
        initial[f"person_{i}"] = seat.person_id
        initial[f"role_{i}"] = seat.role
    return initial


class ReElectionForm(forms.Form):
    elected_on = forms.DateField(label=_("elected on"), widget=date_input())
    meeting = forms.ModelChoiceField(
        label=_("elected at the congress meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("(not on record here: describe the meeting below)"),
    )
    meeting_text = forms.CharField(
        label=_("or the member meeting that elected"),
        max_length=200,
        required=False,
        help_text=_(
            "A member meeting or a women workers' meeting not recorded here: its name, as in the minutes."
        ),
    )
    term_start = forms.DateField(
        label=_("new term starts"),
        widget=date_input(),
        help_text=_("The members elected take their seats that day; the current seats end the day before."),
    )
    term_end = forms.DateField(label=_("new term ends"), widget=date_input())

    def __init__(self, *args, union: Union, body: Body, **kwargs):
        super().__init__(*args, **kwargs)
        self.body = body
        self.fields["meeting"].queryset = selectors.congress_meetings(union)
        self.fields["meeting"].label_from_instance = lambda m: f"{m.held_on:%Y-%m-%d} {m.place}"
        roles = _roles(body)
        for i in range(ROWS):
            self.fields[f"person_{i}"] = PersonField(
                action=PICKER,
                label=_("person elected"),
                required=False,
                error_messages={NOT_ALLOWED: SEAT_PERSON_OUTSIDE},
            )
            self.fields[f"role_{i}"] = forms.ChoiceField(label=_("role"), choices=roles, required=False)
        bootstrap(self)
        self._person_scope(union)

    def _person_scope(self, union: Union) -> None:
        """Every row searches the same circle; the people already chosen are read once for all rows
        (two queries), not once a row."""
        scope = seat_scope(union=union)
        names = [f"person_{i}" for i in range(ROWS)]
        if self.is_bound:
            posted = self.data.getlist if hasattr(self.data, "getlist") else lambda key: [self.data.get(key)]
            chosen = [v for name in names for v in posted(self.add_prefix(name)) if v is not None]
        else:
            chosen = [self.initial.get(name, "") for name in names]
        ids = [int(v) for v in map(str, chosen) if v.isdigit() and len(v) < 19]
        known = {row.pk: row for row in people_rows(ids=ids, scope=scope)}
        for name in names:
            self.fields[name].set_scope(scope, ref=str(union.pk), known=known)

    def rows(self):
        """For the template: the member rows, numbered."""
        for i in range(ROWS):
            yield {"number": i + 1, "person": self[f"person_{i}"], "role": self[f"role_{i}"]}

    def clean(self):
        data = super().clean()
        members = []
        for i in range(ROWS):
            person, role = data.get(f"person_{i}"), data.get(f"role_{i}")
            if role == NOT_ELECTED:
                continue
            if person and not role:
                self.add_error(f"role_{i}", ROLE_NEEDED)
            elif role and not person and f"person_{i}" not in self.errors:
                self.add_error(f"person_{i}", PERSON_NEEDED)
            elif person and role:
                members.append((person, role))
        data["members"] = members
        return data
