"""Forms of the collective steps and opinions: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.models import OpinionAnswer, Resolution, validate_attachment
from workflows.services.decisions import AgendaVote

CONTROL = {"class": "form-control"}
CHECK = {"class": "form-check-input"}


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each one goes through the field's validators."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs=dict(CONTROL)))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(upload, initial) for upload in data if upload]
        return [single(data, initial)] if data else []


class AttendeesField(forms.TypedMultipleChoiceField):
    """Checkboxes of the people seated in the body today.

    Any person id is accepted here: the service checks every attendee against the seats in force on
    the meeting's date and names those who held none, which a choice error could not do.
    """

    def valid_value(self, value) -> bool:
        return True


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=date_input())
    place = forms.CharField(label=_("Place"), max_length=200, widget=forms.TextInput(attrs=dict(CONTROL)))
    attendees = AttendeesField(
        label=_("Attendees"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs=dict(CHECK)),
        help_text=_("People holding a seat in the body today; the seats are checked again on the date."),
    )
    # S5.3: at a member congress the members are counted, not ticked (the view shows one or the other)
    members_present = forms.IntegerField(
        label=_("Members present"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={**CONTROL, "inputmode": "numeric"}),
    )
    minutes = forms.CharField(
        label=_("Minutes"), required=False, widget=forms.Textarea(attrs={**CONTROL, "rows": 4})
    )
    files = MultipleFileField(
        label=_("Sign-in sheet and minutes (files)"),
        required=False,
        validators=[validate_attachment],
        help_text=_("PDF, images, Word, Excel, OFD or text. After an error, choose the files again."),
    )

    def __init__(self, *args, people: list[tuple[int, str]], member_congress: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = people
        if member_congress is not None:
            self.fields["attendees"].required = False
            self.fields["members_present"].required = True
            self.fields["members_present"].max_value = member_congress
            self.fields["members_present"].help_text = _(
                "A member congress: all %(size)s members of the union sit; enter how many attended."
            ) % {"size": member_congress}


def _votes_input() -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": "form-control", "min": 0, "inputmode": "numeric"})


class AgendaRowForm(forms.Form):
    """One pending document on the agenda: votes and resolution (prefix "item-<work item id>")."""

    votes_for = forms.IntegerField(label=_("For"), min_value=0, initial=0, widget=_votes_input())
    votes_against = forms.IntegerField(label=_("Against"), min_value=0, initial=0, widget=_votes_input())
    votes_abstain = forms.IntegerField(label=_("Abstaining"), min_value=0, initial=0, widget=_votes_input())
    resolution = forms.ChoiceField(
        label=_("Resolution"),
        choices=Resolution.choices,
        initial=Resolution.APPROVE,
        widget=forms.RadioSelect(attrs=dict(CHECK)),
    )
    opinions = forms.CharField(
        label=_("Opinions"),
        required=False,
        widget=forms.Textarea(attrs={**CONTROL, "rows": 2}),
        help_text=_(
            "Required for a return with opinions: say what must change. Optional when a vote does not pass."
        ),
    )

    @property
    def vote_fields(self):
        return [self["votes_for"], self["votes_against"], self["votes_abstain"]]

    def vote(self, work_item_id: int) -> AgendaVote:
        data = self.cleaned_data
        return AgendaVote(
            work_item_id=work_item_id,
            resolution=data["resolution"],
            votes_for=data["votes_for"],
            votes_against=data["votes_against"],
            votes_abstain=data["votes_abstain"],
            opinions=data["opinions"],
        )


class WrittenDecisionForm(forms.Form):
    resolution = forms.ChoiceField(
        label=_("Decision"),
        choices=Resolution.choices,
        initial=Resolution.APPROVE,
        widget=forms.RadioSelect(attrs=dict(CHECK)),
    )
    reference_number = forms.CharField(
        label=_("Reference number"),
        max_length=100,
        widget=forms.TextInput(attrs=dict(CONTROL)),
        help_text=_("The number of the written reply, e.g. 机党〔2026〕12号."),
    )
    decided_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=date_input())
    opinions = forms.CharField(
        label=_("Opinions"),
        required=False,
        widget=forms.Textarea(attrs={**CONTROL, "rows": 4}),
        help_text=_("Required when the document is returned: say what must change."),
    )
    scan = forms.FileField(
        label=_("Scan of the reply"),
        required=False,
        validators=[validate_attachment],
        widget=forms.ClearableFileInput(attrs=dict(CONTROL)),
        help_text=_("PDF, images, Word, Excel, OFD or text. After an error, choose the file again."),
    )

    def __init__(self, *args, layout: dict | None = None, **kwargs):
        """``layout``: the document kind's own words (DocumentKind.written_form): its choices, each
        mapped to a Resolution with its opinions required or forbidden, and whether a number is needed."""
        super().__init__(*args, **kwargs)
        self.layout = layout
        if layout is not None:
            self.fields["resolution"].choices = [(value, label) for value, label, *_rest in layout["choices"]]
            self.fields["reference_number"].required = layout["reference_required"]

    def clean(self):
        data = super().clean()
        if self.layout is None or "resolution" not in data:
            return data
        for value, label, resolution, opinions in self.layout["choices"]:
            if value != data["resolution"]:
                continue
            written = bool(data.get("opinions", "").strip())
            if opinions is True and not written:
                self.add_error(
                    "opinions", _("Write the opinions or instructions for “%(choice)s”.") % {"choice": label}
                )
            elif opinions is False and written:
                self.add_error(
                    "opinions",
                    _("“%(choice)s” takes no instructions: choose the option with instructions.")
                    % {"choice": label},
                )
            data["resolution"] = resolution
        return data


class OpinionForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (OpinionAnswer.OPINION, _("I have an opinion")),
            (OpinionAnswer.NO_OPINION, _("No opinion")),
        ],
        widget=forms.RadioSelect(attrs=dict(CHECK)),
    )
    text = forms.CharField(
        label=_("Opinion"), required=False, widget=forms.Textarea(attrs={**CONTROL, "rows": 5})
    )
