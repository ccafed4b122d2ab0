"""Forms of the contact pages (S4.4). They parse input; workflows.contacts.services decides (a member off
the three committees, a date in the future, a follow-up due before the contact are refused there,
beside the field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms_people import NOT_ALLOWED, PersonField
from core.models import Union
from core.people import PeopleScope
from workflows.budget.forms import bootstrap
from workflows.forms import CHECK, date_input

from . import errors, selectors
from .models import ContactKind, Way

MEMBER_PICKER = "contacts_member"
VIEWER_PICKER = "contacts_viewer"
OWNER_PICKER = "contacts_owner"


def member_scope(*, union: Union) -> PeopleScope:
    """Who keeps contacts: the members of the union's three committees."""
    return PeopleScope(allowed=selectors.committee_members(union), near_union_id=union.pk)


def union_people_scope(*, union: Union) -> PeopleScope:
    """A reader of the records of workers in difficulty, a follow-up's owner: a person of the union."""
    return PeopleScope(allowed=selectors.seat_holders(union), near_union_id=union.pk)


def _member_field(**kwargs) -> PersonField:
    return PersonField(
        action=MEMBER_PICKER,
        label=_("committee member keeping contact"),
        error_messages={NOT_ALLOWED: errors.MEMBER_NOT_ON_COMMITTEE},
        **kwargs,
    )


class ContactForm(forms.Form):
    member = _member_field(
        help_text=_(
            "A member of the union committee, the fund audit committee or the women workers' committee."
        )
    )
    kind = forms.ChoiceField(
        label=_("contact kind"), choices=ContactKind.choices, widget=forms.RadioSelect(attrs=dict(CHECK))
    )
    contact_union = forms.ModelChoiceField(
        label=_("union group or subordinate union"),
        queryset=Union.objects.none(),
        required=False,
        empty_label=_("(a person)"),
    )
    name = forms.CharField(label=_("full name"), max_length=100, required=False)
    unit = forms.CharField(label=_("unit"), max_length=200, required=False)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    assigned_on = forms.DateField(label=_("assigned on"), required=False, widget=date_input())

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].set_scope(member_scope(union=union), ref=str(union.pk))
        self.fields["contact_union"].queryset = Union.objects.filter(parent=union, is_active=True).order_by(
            "name", "id"
        )
        bootstrap(self)


class ReassignForm(forms.Form):
    member = _member_field()

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].set_scope(member_scope(union=union), ref=str(union.pk))
        bootstrap(self)


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("ended on"), widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class LogForm(forms.Form):
    """The member's log of one contact, on a phone: the day, the way, what was raised, the follow-up."""

    contacted_on = forms.DateField(label=_("date of contact"), widget=date_input())
    way = forms.ChoiceField(label=_("way"), choices=Way.choices, widget=forms.RadioSelect(attrs=dict(CHECK)))
    raised = forms.CharField(
        label=_("what was raised"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    for_plan = forms.BooleanField(
        label=_("carry into next year's plan"),
        required=False,
        help_text=_("An opinion from below, put before those who draft next year's annual plan."),
    )
    follow_up = forms.CharField(
        label=_("follow-up"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What is to be done about it, if anything."),
    )
    follow_up_owner = PersonField(action=OWNER_PICKER, label=_("follow-up owner"), required=False)
    follow_up_owner_name = forms.CharField(
        label=_("or the owner's name"),
        max_length=100,
        required=False,
        help_text=_("Someone without an account, or a department."),
    )
    follow_up_due = forms.DateField(label=_("follow-up due"), required=False, widget=date_input())

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_owner"].set_scope(union_people_scope(union=union), ref=str(union.pk))
        bootstrap(self)


class ViewerForm(forms.Form):
    person = PersonField(
        action=VIEWER_PICKER,
        label=_("person of the union"),
        help_text=_("They may read the records of workers in difficulty; each view is logged."),
    )

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].set_scope(union_people_scope(union=union), ref=str(union.pk))
        bootstrap(self)
