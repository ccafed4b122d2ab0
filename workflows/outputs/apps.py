from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutputsConfig(AppConfig):
    name = "workflows.outputs"
    label = "outputs"
    verbose_name = _("Official outputs")

    def ready(self):
        from workflows.outputs import approval, official  # noqa: F401 (the builders register)
