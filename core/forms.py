from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Body, Role, Union, User

PERSON_UNKNOWN = _("No active person with the username “%(value)s”.")


class SeatForm(forms.Form):
    person = forms.CharField(label=_("Person (username)"), max_length=150)
    body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.none(),
        required=False,
        help_text=_("Leave empty for office staff, finance officer and supervisor."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    start_date = forms.DateField(
        label=_("Term starts"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    end_date = forms.DateField(
        label=_("Term ends"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        self.fields["body"].queryset = Body.objects.filter(union=union)
        self.fields["body"].label_from_instance = lambda body: body.display_name

    def clean_person(self) -> User:
        username = self.cleaned_data["person"].strip()
        person = User.objects.filter(username=username, is_active=True).first()
        if person is None:
            raise forms.ValidationError(PERSON_UNKNOWN, params={"value": username})
        return person


class SeatEndForm(forms.Form):
    end_date = forms.DateField(
        label=_("Term ends"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
