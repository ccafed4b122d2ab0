from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    name = "workflows.institutions"
    label = "institutions"
    verbose_name = _("The committees' rules and the union's institutions")

    def ready(self):
        # Imported here: the registry, the flows and the services import models, which exist only once
        # the app registry is ready.
        from workflows import registry

        from .kind import KINDS

        for kind in KINDS:
            registry.register(kind)
