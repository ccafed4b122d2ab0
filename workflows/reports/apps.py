from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "workflows.reports"
    label = "reports"
    verbose_name = _("Summaries and congress reports")

    def ready(self):
        from workflows import registry

        from .kind import KINDS  # flows and services need the app registry ready

        for kind in KINDS:
            registry.register(kind)
