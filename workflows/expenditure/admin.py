from django.contrib import admin

from .models import ExpenditureRule, SpendingStandard


@admin.register(ExpenditureRule)
class ExpenditureRuleAdmin(admin.ModelAdmin):
    """Per union (or department union, or the provincial default): who approves by amount (S5.3)."""

    list_display = ["union", "chair_limit", "collective_above"]
    raw_id_fields = ["union"]


@admin.register(SpendingStandard)
class SpendingStandardAdmin(admin.ModelAdmin):
    """Per union (or department union, or the provincial default): each kind of spending's cap (S5.3)."""

    list_display = ["code", "name", "basis", "cap", "union"]
    list_filter = ["basis"]
    raw_id_fields = ["union"]
