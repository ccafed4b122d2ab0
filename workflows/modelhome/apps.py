from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModelHomeConfig(AppConfig):
    name = "workflows.modelhome"
    label = "modelhome"
    verbose_name = _("The Model Workers' Home")
