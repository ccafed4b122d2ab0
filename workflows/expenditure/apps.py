from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpenditureConfig(AppConfig):
    name = "workflows.expenditure"
    label = "expenditure"
    verbose_name = _("Expenditure approval")

    def ready(self):
        # Imported here: the registry, the flow and the services import models, which exist only once
        # the app registry is ready.
        from workflows import registry

        from .kind import KIND

        registry.register(KIND)
