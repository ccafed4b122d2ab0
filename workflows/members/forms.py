"""Forms of the members' register (S5.3 membership). They parse input; workflows.members.services
decides (a number active elsewhere, a date in the future, a group of another union, a transfer to the
member's own union are refused there, beside the field)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Union
from workflows.budget.forms import bootstrap
from workflows.forms import date_input

from . import errors, selectors

UPLOAD_MAX_BYTES = 5 * 1024 * 1024  # a register of a few thousand members is a few hundred kilobytes


class GroupField(forms.ModelChoiceField):
    def __init__(self, union: Union, **kwargs):
        super().__init__(
            queryset=selectors.groups_of(union),
            required=False,
            empty_label=_("(no union group)"),
            error_messages={"invalid_choice": errors.GROUP_CHOICE},
            **kwargs,
        )


class MemberForm(forms.Form):
    member_number = forms.CharField(label=_("member number"), max_length=30)
    name = forms.CharField(label=_("member's name"), max_length=100)
    joined_on = forms.DateField(label=_("joined the union on"), widget=date_input())
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"] = GroupField(union, label=_("union group"))
        self.order_fields(["member_number", "name", "group", "joined_on", "phone", "email"])
        bootstrap(self)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("left the union on"), initial=timezone.localdate, widget=date_input())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ReceivingUnionField(forms.ChoiceField):
    """The receiving unions as a list grouped by upper-level union. Any value is taken here: the form
    says in words why a union that does not exist, or the member's own, cannot receive them."""

    def valid_value(self, value) -> bool:
        return True


class TransferForm(forms.Form):
    to_union = ReceivingUnionField(
        label=_("receiving union"), error_messages={"required": errors.TRANSFER_CHOOSE_UNION}
    )
    note = forms.CharField(
        label=_("note to the receiving union"),
        max_length=200,
        required=False,
        help_text=_("For example the new post or department of the member."),
    )

    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.union = union
        grouped: dict[str, list[tuple[int, str]]] = {}
        for other in selectors.receiving_unions(union):
            heading = other.parent.name if other.parent_id else ""
            grouped.setdefault(heading, []).append((other.pk, other.name))
        self.fields["to_union"].choices = [("", _("(choose the union)")), *grouped.items()]
        bootstrap(self)

    def clean_to_union(self) -> Union:
        value = self.cleaned_data["to_union"]
        if str(value) == str(self.union.pk):
            raise ValidationError(errors.TRANSFER_SAME_UNION)
        found = None
        if str(value).isdigit():
            found = Union.objects.filter(
                pk=int(value), is_active=True, kind__in=selectors.REGISTER_KINDS
            ).first()
        if found is None:
            raise ValidationError(errors.TRANSFER_UNKNOWN_UNION)
        return found


class AcceptForm(forms.Form):
    def __init__(self, *args, union: Union, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"] = GroupField(
            union,
            label=_("union group in the receiving union"),
            help_text=_("Can be set later too."),
        )
        bootstrap(self)


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for refusing"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("The register as an .xlsx workbook"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > UPLOAD_MAX_BYTES:
            raise ValidationError(errors.FILE_TOO_LARGE, params={"limit": UPLOAD_MAX_BYTES // (1024 * 1024)})
        return upload
