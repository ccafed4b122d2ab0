from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import Body, Event, Seat, Union, UnionKind, User
from core.services.calendar import calendar_import, notice_decode
from core.services.events import event_record
from core.services.permissions import party_link_set
from core.statutory import (
    CalendarDay,
    CalendarYear,
    Obligation,
    ObligationRecord,
    ObligationRule,
    unknown_years,
)

CALENDAR_YEARS_MISSING = _(
    "No working-day calendar for %(years)s: each of these years falls back to Monday–Friday, without "
    "public holidays or 调休 working weekends. Add the year and its exception days from the State "
    "Council notice."
)
RULE_KINDS = _("Union kinds are a comma-separated list of: %(kinds)s.")
CALENDAR_IMPORTED = _(
    "%(year)s: %(days)s days off on weekdays and weekend working days imported from “%(source)s”."
)


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
    fields = [
        "kind",
        "name",
        "is_single_person",
        "decision_mode",
        "term_start",
        "term_end",
        "member_congress_below",
    ]


@admin.register(Union)
class UnionAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "code",
        "kind",
        "parent",
        "member_count",
        "worker_count",
        "time_zone",
        "is_active",
    ]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
    inlines = [BodyInline]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "decision_mode", "is_single_person", "term_start", "term_end"]
    list_filter = ["kind", "decision_mode"]
    search_fields = ["union__name", "name"]
    raw_id_fields = ["union", "led_by"]

    def save_model(self, request, obj, form, change):
        linked = "led_by" in form.changed_data
        led_by = obj.led_by
        if linked:
            obj.led_by_id = form.initial.get("led_by")  # the stored leader, so both get resynced
        super().save_model(request, obj, form, change)
        if linked:
            party_link_set(body=obj, led_by=led_by)  # S1.1


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


# --- the statutory calendar --------------------------------------------------------------------------


class CalendarWarningMixin:
    """The administrator adds each year's State Council notice; warn about the years near now that
    have none, for which reminders fall back to Monday–Friday."""

    def changelist_view(self, request, extra_context=None):
        this_year = timezone.localdate().year
        missing = unknown_years(list(range(this_year - 1, this_year + 3)))
        if missing and request.method == "GET":
            messages.warning(request, CALENDAR_YEARS_MISSING % {"years": "、".join(map(str, missing))})
        return super().changelist_view(request, extra_context)


class NoticeImportForm(forms.Form):
    file = forms.FileField(
        label=_("The notice as a text file"),
        help_text=_(
            "One line each: 年度 2027; 来源 …; 放假 2027-01-01 至 2027-01-03 元旦; "
            "上班 2027-01-04 元旦调休上班 (several working days separated by 、). "
            "core/fixtures/holidays/2026.txt is the 2026 notice."
        ),
    )


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarWarningMixin, admin.ModelAdmin):
    list_display = ["year", "source", "note"]
    search_fields = ["source", "note"]
    change_list_template = "admin/core/calendaryear/change_list.html"
    actions = ["import_notice"]

    def get_urls(self):
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="core_calendaryear_import",
            )
        ]
        return extra + super().get_urls()

    @admin.action(description=_("Import a State Council holiday notice"))
    def import_notice(self, request, queryset):
        """The action menu's way to the import page (the notice is a file, not the rows chosen)."""
        return redirect("admin:core_calendaryear_import")

    def import_view(self, request):
        """Next year's holidays and 调休 working days from the State Council notice, typed into a short
        text file (core.services.calendar); all or nothing, each wrong line named."""
        if not (
            request.user.has_perm("core.add_calendarday")
            and request.user.has_perm("core.change_calendaryear")
        ):
            raise PermissionDenied
        form = NoticeImportForm(request.POST or None, request.FILES or None)
        problems: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                year, days = calendar_import(
                    text=notice_decode(upload.read()), actor=request.user, source=upload.name
                )
            except ValidationError as exc:
                problems = exc.messages
            else:
                messages.success(
                    request,
                    CALENDAR_IMPORTED % {"year": year.year, "days": days, "source": year.source},
                )
                return redirect("admin:core_calendaryear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a State Council holiday notice"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(
            request, "admin/core/calendaryear/import.html", context, status=400 if problems else 200
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarWarningMixin, admin.ModelAdmin):
    list_display = ["date", "weekday", "is_working", "name"]
    list_filter = ["is_working"]
    search_fields = ["name"]
    date_hierarchy = "date"

    @admin.display(description=_("weekday"))
    def weekday(self, obj: CalendarDay) -> str:
        return date_format(obj.date, "D")


class ObligationRuleForm(forms.ModelForm):
    class Meta:
        model = ObligationRule
        fields = [
            "union",
            "code",
            "periods",
            "missed_after_days",
            "min_members",
            "kinds",
            "active",
            "generated",
        ]
        help_texts = {
            "periods": _(
                'A list of due dates, e.g. [{"period": "H1", "month": 7, "day": 31}, '
                '{"period": "H2", "month": 1, "day": 31, "year_offset": 1}]. Day 0 is the last day of the '
                "month; year offset 1 is the year after the fiscal year."
            ),
            "kinds": _("Comma-separated: department, grassroots."),
        }

    def clean_kinds(self) -> str:
        kinds = [k.strip() for k in self.cleaned_data["kinds"].split(",") if k.strip()]
        if not kinds or any(k not in UnionKind.values for k in kinds):
            raise forms.ValidationError(RULE_KINDS, params={"kinds": ", ".join(UnionKind.values)})
        return ",".join(kinds)


@admin.register(ObligationRule)
class ObligationRuleAdmin(admin.ModelAdmin):
    """Rules as data: the provincial defaults (no union), a department union's rows for its unions,
    a union's own rows. Changes apply to the obligations generated afterwards."""

    form = ObligationRuleForm
    list_display = [
        "code",
        "union",
        "periods",
        "missed_after_days",
        "min_members",
        "kinds",
        "active",
        "generated",
    ]
    list_filter = ["code", "active", "generated"]
    search_fields = ["union__name", "code"]
    raw_id_fields = ["union"]
    list_select_related = ["union"]


class ObligationRecordInline(admin.TabularInline):
    model = ObligationRecord
    extra = 0
    fields = ["held_on", "note", "attachment", "recorded_by", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Obligation)
class ObligationAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ["union", "code", "fiscal_year", "period", "due_date", "status", "met_on", "met_by"]
    list_filter = ["code", "status", "fiscal_year"]
    search_fields = ["union__name", "union__code"]
    raw_id_fields = ["union"]
    list_select_related = ["union"]
    date_hierarchy = "due_date"
    # met and status change through the services (a flow ending, a meeting, a record), each with an event
    readonly_fields = ["status", "met_on", "met_by"]
    inlines = [ObligationRecordInline]


@admin.register(ObligationRecord)
class ObligationRecordAdmin(admin.ModelAdmin):
    """Records are entered on the union's obligations page by its officers; here they are read."""

    list_display = ["obligation", "held_on", "recorded_by", "created_at"]
    search_fields = ["obligation__union__name", "note"]
    list_select_related = ["obligation__union", "recorded_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
