"""What the users of the roster page are told when something is refused (S4.2)."""

from django.utils.translation import gettext_lazy as _

NOT_MANAGER = _("Only the union's chair or its office staff may change the roster.")
PERSON_OR_NAME = _("Choose a person of the union or write the name of the person hired.")
PERSON_OUTSIDE = _("%(person)s holds no seat in this union: choose one of its people.")
PERSON_LISTED = _("%(person)s is on the roster already.")
CONTRACT_NEEDED = _("A social union worker is hired on a contract: give its start and end dates.")
CONTRACT_END_BEFORE_START = _("The contract cannot end before it starts.")
CHAIR_FULL_TIME = _("Only a full-time union officer can be marked as the full-time chair.")
CHAIR_TAKEN = _("The union has a full-time chair on the roster already: end that entry first.")
LEFT_IN_FUTURE = _("The date of leaving cannot be in the future.")
LEFT_BEFORE_START = _("The date of leaving cannot come before the contract starts.")
ALREADY_LEFT = _("This person has left the roster already.")
