"""What the archive's users are told when something is refused (S5.3 档案管理)."""

from django.utils.translation import gettext_lazy as _

NOT_KEEPER = _("Only the union's chair or its office staff keep the union's archive.")
# S5.3: nothing is deleted before its retention period ends (the rule is named with its period and date)
RETENTION_PERMANENT = _(
    "This record is kept permanently (the retention rule of its category “%(category)s”): "
    "it is never deleted."
)
RETENTION_NOT_ENDED = _(
    "This record is kept for %(period)s under the retention rule of its category “%(category)s”, until "
    "%(until)s: it cannot be deleted before then."
)
ALREADY_DELETED = _("This record has been deleted already.")
ALREADY_TRANSFERRED = _("This record has been transferred to the upper union's archive already.")
NO_UPPER_UNION = _("This union has no upper union to transfer its archive to.")
DELETED_NOT_TRANSFERRED = _("A deleted record cannot be transferred.")
