from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MemberPagesConfig(AppConfig):
    name = "workflows.memberpages"
    label = "memberpages"
    verbose_name = _("The members' pages")
