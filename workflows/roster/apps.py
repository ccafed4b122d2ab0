from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "workflows.roster"
    label = "roster"
    verbose_name = _("The people who do union work")
