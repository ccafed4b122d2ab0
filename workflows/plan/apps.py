from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    name = "workflows.plan"
    label = "plan"
    verbose_name = _("Annual plans")

    def ready(self):
        from workflows import registry

        from .kind import KINDS  # flows and services need the app registry ready

        for kind in KINDS:
            registry.register(kind)
