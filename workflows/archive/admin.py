from django.contrib import admin

from .models import ArchiveRule


@admin.register(ArchiveRule)
class ArchiveRuleAdmin(admin.ModelAdmin):
    """S5.3: the retention period of each category, per union (the nearest union's row wins)."""

    list_display = ["category", "union", "retention"]
    list_filter = ["category", "retention"]
    raw_id_fields = ["union"]
