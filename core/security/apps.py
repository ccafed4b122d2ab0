from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "core.security"
    label = "security"
    verbose_name = _("Platform administration and audit (等保 2.0)")

    def ready(self) -> None:
        from core.security import receivers  # noqa: F401
