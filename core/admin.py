from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.models import Body, Event, Seat, Union, User
from core.services.events import event_record


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(NoDeleteMixin, DjangoUserAdmin):
    """People are deactivated, never deleted (viewflow's task owner cascades on delete)."""

    fieldsets = DjangoUserAdmin.fieldsets + ((_("Wuyi"), {"fields": ("full_name", "phone", "home_union")}),)
    list_display = ["username", "full_name", "home_union", "phone", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "phone", "email"]
    raw_id_fields = ["home_union"]


class BodyInline(admin.TabularInline):
    model = Body
    extra = 0
    fields = ["kind", "name", "is_single_person", "decision_mode", "term_start", "term_end"]


@admin.register(Union)
class UnionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "member_count", "time_zone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
    inlines = [BodyInline]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "decision_mode", "is_single_person", "term_start", "term_end"]
    list_filter = ["kind", "decision_mode"]
    search_fields = ["union__name", "name"]
    raw_id_fields = ["union"]


@admin.register(Seat)
class SeatAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["person", "union", "body", "role", "start_date", "end_date"]
    list_filter = ["role"]
    search_fields = ["person__username", "person__full_name", "union__name"]
    raw_id_fields = ["person", "union", "body"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        event_record(
            verb="seat_changed" if change else "seat_created",
            actor=request.user,
            subject=obj,
            union=obj.union,
            detail={"fields": sorted(form.changed_data), "via": "admin"},
        )


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """The audit trail is read-only everywhere."""

    list_display = [
        "created_at",
        "verb",
        "actor",
        "union",
        "subject_type",
        "subject_id",
        "from_state",
        "to_state",
    ]
    list_filter = ["verb"]
    search_fields = ["verb", "subject_type", "subject_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
