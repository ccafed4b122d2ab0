from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinalAccountsConfig(AppConfig):
    name = "workflows.final_accounts"
    label = "final_accounts"
    verbose_name = _("Final accounts and half-year execution analyses")

    def ready(self):
        # Imported here: the registry, the flows and the services import models, which exist only
        # once the app registry is ready.
        from workflows import registry

        from .kind import KINDS

        for kind in KINDS:
            registry.register(kind)
