from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinalAccountsConfig(AppConfig):
    name = "workflows.final_accounts"
    label = "final_accounts"
    verbose_name = _("Final accounts and half-year execution analyses")

    def ready(self):
        from workflows import registry

        from .kind import KINDS  # flows and services need the app registry ready

        for kind in KINDS:
            registry.register(kind)
