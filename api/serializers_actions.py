"""What the action endpoints take and give (issue 32). Input serializers check shapes and types only;
who may be named, which budget line may be spent and every rule are checked as on the pages, by the
same forms, scopes and services (api.views_actions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from workflows.models import OpinionAnswer, Resolution, WorkItemState

# --- input ------------------------------------------------------------------------------------------


class TransferInput(serializers.Serializer):
    person = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text=_("The user id of another recorder of the body.")
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DecisionInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Resolution.choices)
    opinion = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Opinions; needed for a return."),
    )


class OpinionInput(serializers.Serializer):
    answer = serializers.ChoiceField(
        choices=[(OpinionAnswer.OPINION, _("I have an opinion")), (OpinionAnswer.NO_OPINION, _("No opinion"))]
    )
    text = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class PayeeInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    bank_account = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")


class ExpenditureRequestInput(serializers.Serializer):
    """The expenditure page's request form (S3.1, S5.3); the line: an account code of the budget in force."""

    account = serializers.CharField(max_length=20, help_text=_("The account code of an expenditure line."))
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    purpose = serializers.CharField(max_length=2000)
    activity_date = serializers.DateField()
    major = serializers.BooleanField(required=False, default=False)
    countersigner = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True, default=None
    )
    instruction = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True, default=None
    )
    standard = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    payees = PayeeInput(many=True, required=False, default=list)


# --- output -----------------------------------------------------------------------------------------


class StepOut(serializers.Serializer):
    id = serializers.IntegerField()
    step = serializers.CharField(allow_blank=True)
    title = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(choices=WorkItemState.choices)
    assignee = serializers.CharField(allow_null=True, allow_blank=True)


class DocumentOut(serializers.Serializer):
    type = serializers.CharField(allow_blank=True)
    id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    status = serializers.CharField(allow_blank=True)
    open_steps = StepOut(many=True, help_text=_("Where the document is now: its open steps."))


class WorkItemResult(serializers.Serializer):
    work_item = StepOut()
    document = DocumentOut()


class UrgeResult(WorkItemResult):
    told = serializers.IntegerField(help_text=_("How many people were told."))


class ExpenditureRequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    status = serializers.CharField(allow_blank=True)
    route = serializers.CharField(allow_blank=True)
    open_steps = StepOut(many=True)
