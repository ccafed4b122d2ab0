from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingPapersConfig(AppConfig):
    name = "workflows.meetingpapers"
    label = "meetingpapers"
    verbose_name = _("Meeting papers")

    def ready(self) -> None:
        from . import builders  # noqa: PLC0415 (the outputs app's registry is filled once the apps load)

        builders.register()
