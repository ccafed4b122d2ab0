"""The issuing organs (issue 33): each union's mark and code for its official documents, and the codes of
its series of numbers. Issued numbers are read-only here: they are given by 签发 and never edited."""

from django.contrib import admin

from .models import IssuedNumber, IssuingOrgan, SeriesCode


class SeriesCodeInline(admin.TabularInline):
    model = SeriesCode
    extra = 0


@admin.register(IssuingOrgan)
class IssuingOrganAdmin(admin.ModelAdmin):
    list_display = ["union", "name", "code", "signature"]
    search_fields = ["name", "code", "union__name"]
    raw_id_fields = ["union"]
    inlines = [SeriesCodeInline]


@admin.register(IssuedNumber)
class IssuedNumberAdmin(admin.ModelAdmin):
    list_display = ["number", "union", "kind", "document_type", "issued_at", "revoked_at"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "union__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
