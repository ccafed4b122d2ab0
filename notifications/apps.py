from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # receivers import models, which exist only once the app registry is ready
        from notifications import signals  # noqa: F401  (connects the receivers)
