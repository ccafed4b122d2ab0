from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Unions and people")

    def ready(self) -> None:
        from core import lookups, signals  # noqa: F401  (registers field__any, connects receivers)
