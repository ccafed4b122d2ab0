from django.contrib import admin

from .models import DuesRule, DuesStart


@admin.register(DuesRule)
class DuesRuleAdmin(admin.ModelAdmin):
    """Per union (or department union, or the provincial default with no union): the monthly dues, a
    share of the basic wage or a fixed amount; without a row, 0.5 % of the basic wage. Nearest wins."""

    list_display = ["__str__", "kind", "percent", "fixed_amount", "updated_at"]
    raw_id_fields = ["union"]


@admin.register(DuesStart)
class DuesStartAdmin(admin.ModelAdmin):
    """The month from which a union records dues: months before it are never arrears."""

    list_display = ["__str__", "recorded_from"]
    raw_id_fields = ["union"]
