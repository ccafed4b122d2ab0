from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "workflows.training"
    label = "training"
    verbose_name = _("Training and study")

    def ready(self) -> None:
        # Imported here: the selectors import models, which exist only once the app registry is ready.
        # A training record is no document kind of the registry, so the calendar learns its links here.
        from core.obligation_links import register_met_by_resolver

        from .selectors import training_by_reference

        register_met_by_resolver(training_by_reference)
