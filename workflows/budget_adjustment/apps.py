from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetAdjustmentConfig(AppConfig):
    name = "workflows.budget_adjustment"
    label = "budget_adjustment"
    verbose_name = _("Budget adjustments")
