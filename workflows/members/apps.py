from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "workflows.members"
    label = "members"
    verbose_name = _("The members' register")

    def ready(self) -> None:
        from workflows import registry

        from .counting import member_list_on, members_on

        # S5.3: a member congress's quorum is over the members on the meeting day, and its sign-in sheet
        # names them
        registry.register_member_counter(members_on)
        registry.register_member_list(member_list_on)
