from urllib.parse import urlparse

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.models import (
    ChannelPreference,
    Delivery,
    DeliveryAttempt,
    Notification,
    Reminder,
    ReminderRule,
    UnionWebhook,
    WebhookAllowedHost,
)


class ReadOnlyMixin:
    """Rows written by the sweep and the delivery tasks: an audit of what went out, never edited."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "union", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "recipient__username", "recipient__full_name"]
    raw_id_fields = ["recipient", "union"]
    date_hierarchy = "created_at"


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    """Rules as data: the default (no union) and a union's own. Offsets are validated on save."""

    list_display = [
        "subject_kind",
        "union",
        "offsets",
        "send_hour",
        "escalate_chair_after_days",
        "escalate_supervisors_after_days",
    ]
    list_filter = ["subject_kind"]
    search_fields = ["union__name"]
    raw_id_fields = ["union"]
    list_select_related = ["union"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = [
        "subject_kind",
        "subject_id",
        "union",
        "kind",
        "offset_days",
        "due_on",
        "fire_at",
        "state",
        "sent_at",
        "recipients",
    ]
    list_filter = ["state", "subject_kind", "kind"]
    search_fields = ["union__name", "=subject_id"]
    list_select_related = ["union"]
    date_hierarchy = "fire_at"


class DeliveryAttemptInline(ReadOnlyMixin, admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    fields = ["at", "ok", "error"]
    readonly_fields = fields


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["notification", "channel", "target", "state", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["state", "channel"]
    search_fields = ["target", "idempotency_key", "notification__title"]
    list_select_related = ["notification"]
    date_hierarchy = "created_at"
    inlines = [DeliveryAttemptInline]


@admin.register(ChannelPreference)
class ChannelPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "wecom", "dingtalk", "sms", "daily_digest"]
    list_filter = ["email", "wecom", "dingtalk", "sms", "daily_digest"]
    search_fields = ["user__username", "user__full_name"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
    # the feed token is a secret: renewed by its owner on the preferences page, never shown here
    exclude = ["ical_token"]


@admin.register(UnionWebhook)
class UnionWebhookAdmin(admin.ModelAdmin):
    list_display = ["union", "preset", "host", "signed", "active"]
    list_filter = ["preset", "active"]
    search_fields = ["union__name", "url"]
    raw_id_fields = ["union"]
    list_select_related = ["union"]
    # the signing secret is set by the union's officers on the robots page, never shown here
    exclude = ["secret"]

    @admin.display(description=_("host"))
    def host(self, obj: UnionWebhook) -> str:
        return urlparse(obj.url).netloc

    @admin.display(description=_("signed"), boolean=True)
    def signed(self, obj: UnionWebhook) -> bool:
        return bool(obj.secret)


@admin.register(WebhookAllowedHost)
class WebhookAllowedHostAdmin(admin.ModelAdmin):
    """The message gateways unions' generic robots may post to (security review): nothing else
    outside WeCom's and DingTalk's own hosts is reachable from a robot address."""

    list_display = ["host", "port", "allow_http", "address", "note", "created_at"]
    list_filter = ["allow_http"]
    search_fields = ["host", "address", "note"]
    fields = ["host", "port", "allow_http", "address", "note"]
