from django.contrib import admin

from .models import AdjustmentRule


@admin.register(AdjustmentRule)
class AdjustmentRuleAdmin(admin.ModelAdmin):
    """Per union (or department union, or the provincial default): who approves last, how many a year."""

    list_display = ["union", "final_body", "per_year"]
    raw_id_fields = ["union"]
