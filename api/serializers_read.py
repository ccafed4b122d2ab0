"""What the read endpoints answer (issue 32): plain serializers over the pages' own selectors' rows, so
the OpenAPI schema says exactly what comes back."""

from __future__ import annotations

from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class ErrorSerializer(serializers.Serializer):
    """The one shape of every error (api.errors)."""

    error = ErrorDetailSerializer()


class InboxEntrySerializer(serializers.Serializer):
    """A row of the inbox: a work item (to do, done) or a watched document (watching)."""

    work_item_id = serializers.IntegerField(allow_null=True)
    document_type = serializers.CharField()
    document_id = serializers.IntegerField()
    document_title = serializers.CharField(allow_blank=True)
    union = serializers.CharField()
    step_title = serializers.CharField(allow_blank=True)
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True, help_text="watching: started or copied")
    current_steps = serializers.ListField(child=serializers.CharField())


class InboxPageSerializer(serializers.Serializer):
    box = serializers.ChoiceField(choices=["todo", "watching", "done"])
    results = InboxEntrySerializer(many=True)
    next = serializers.CharField(allow_null=True, help_text="the cursor of the next page, if any")


class TrailItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    step = serializers.CharField()
    step_title = serializers.CharField()
    state = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(allow_blank=True)


class TrailEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    verb = serializers.CharField()
    who = serializers.CharField(allow_blank=True)
    text = serializers.CharField(allow_blank=True)


class DocumentSerializer(serializers.Serializer):
    document_type = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField(allow_blank=True)
    union = serializers.CharField()
    status = serializers.CharField(allow_blank=True)
    open_steps = serializers.ListField(child=serializers.CharField(), help_text="the steps open now")
    items = TrailItemSerializer(many=True)
    events = TrailEventSerializer(many=True)


class ObligationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    period = serializers.CharField(allow_blank=True)
    due_date = serializers.DateField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    met_on = serializers.DateField(allow_null=True)


class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField(allow_blank=True)
    url = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationPageSerializer(serializers.Serializer):
    results = NotificationSerializer(many=True)
    next = serializers.IntegerField(allow_null=True, help_text="pass as ?before= for the next page")


class LedgerRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    activity_date = serializers.DateField()
    purpose = serializers.CharField()
    drafter = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    status = serializers.CharField()
    voucher_number = serializers.CharField(allow_blank=True)
    paid_on = serializers.DateField(allow_null=True)


class LedgerLineSerializer(serializers.Serializer):
    union = serializers.CharField()
    year = serializers.IntegerField()
    account_id = serializers.CharField()
    account = serializers.CharField()
    budgeted = serializers.DecimalField(max_digits=14, decimal_places=2)
    committed = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    remaining = serializers.DecimalField(max_digits=14, decimal_places=2)
    count = serializers.IntegerField(help_text="requests on the line")
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    requests = LedgerRequestSerializer(many=True, help_text="one page of the line's requests, oldest first")
