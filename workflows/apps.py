from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Approval workflows")

    def ready(self) -> None:
        # Imported here: these modules import models, which exist only once the app registry is ready.
        from core.obligation_links import register_met_by_resolver
        from core.services.permissions import permissions_revoked
        from core.signals import seat_ended
        from workflows import reminders
        from workflows.documents import documents_by_reference
        from workflows.services.actions import handover_claimed_items
        from workflows.services.vacancy import seat_ended_received

        def hand_back(sender, user, **kwargs):
            handover_claimed_items(user=user)

        permissions_revoked.connect(hand_back, dispatch_uid="workflows.handover", weak=False)
        seat_ended.connect(seat_ended_received, dispatch_uid="workflows.vacancy", weak=False)
        reminders.register()
        register_met_by_resolver(documents_by_reference)  # the calendar links what met an obligation
