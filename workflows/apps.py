from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Approval workflows")

    def ready(self) -> None:
        from core.services.permissions import permissions_revoked

        def hand_back(sender, user, **kwargs):
            from workflows.services.actions import handover_claimed_items

            handover_claimed_items(user=user)

        permissions_revoked.connect(hand_back, dispatch_uid="workflows.handover", weak=False)

        from workflows import reminders  # imports models: only once the app registry is ready

        reminders.register()
