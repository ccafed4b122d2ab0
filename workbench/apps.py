from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    """The home workbench (工作台): what each person has to do and what their unions are waiting for.
    It sits above oversight in the layers because a supervisor's section reads oversight's scope."""

    name = "workbench"
    verbose_name = _("Workbench")
