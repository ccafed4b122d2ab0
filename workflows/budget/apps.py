from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    name = "workflows.budget"
    label = "budget"
    verbose_name = _("Budgets")

    def ready(self):
        from workflows import registry

        from .kind import KINDS  # flows and services need the app registry ready

        for kind in KINDS:
            registry.register(kind)
