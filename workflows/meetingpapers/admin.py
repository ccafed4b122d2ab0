from django.contrib import admin

from .models import MeetingNotice, NoticeRule


@admin.register(NoticeRule)
class NoticeRuleAdmin(admin.ModelAdmin):
    """Rules as data (issue 33): the working days of notice and of the reminder, per union and body kind."""

    list_display = ["__str__", "notice_working_days", "remind_working_days"]
    list_filter = ["body_kind"]


@admin.register(MeetingNotice)
class MeetingNoticeAdmin(admin.ModelAdmin):
    """Issued notices are records: read here, issued on the body's notices page."""

    list_display = ["__str__", "meets_on", "issued_on", "reminded_at"]
    readonly_fields = [f.name for f in MeetingNotice._meta.fields] + ["agenda_items"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
