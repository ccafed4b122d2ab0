"""What the users of the training pages are told when something is refused (S4.3)."""

from django.utils.translation import gettext_lazy as _

NOT_DRAFTER = _("Only the union's chair, vice-chair and office staff may record training.")
NO_PARTICIPANTS = _("Tick at least one participant: a training record needs its sign-in.")
IN_FUTURE = _("The training date cannot be in the future: record it once it has taken place.")
PARTICIPANT_NO_SEAT = _("%(names)s held no seat in the union on %(date)s.")
