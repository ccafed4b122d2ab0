from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingPapersConfig(AppConfig):
    name = "workflows.meetingpapers"
    label = "meetingpapers"
    verbose_name = _("Meeting papers")
