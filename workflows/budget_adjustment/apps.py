from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetAdjustmentConfig(AppConfig):
    name = "workflows.budget_adjustment"
    label = "budget_adjustment"
    verbose_name = _("Budget adjustments")

    def ready(self):
        from workflows import registry

        from .kind import KINDS  # flows and services need the app registry ready

        for kind in KINDS:
            registry.register(kind)
