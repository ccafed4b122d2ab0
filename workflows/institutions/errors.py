"""What the users of the rules pages are told when something is refused (S4.1, S5.3)."""

from django.utils.translation import gettext_lazy as _

NOT_DRAFTER = _("Only the union's chair or its office staff may draft working rules and institutions.")
NOT_EDITABLE = _("These rules are no longer with you for editing.")
NOT_WITHDRAWABLE = _("Rules approved or withdrawn can no longer be withdrawn.")
UNKNOWN_TYPE = _("Choose which rules or institution this is.")
NO_TITLE = _("Give the rules a title.")
NO_TEXT = _("Write the text of the rules: the committee cannot approve an empty text.")
NO_BODY = _("The union has no %(body)s: it needs no such rules, and nobody could approve them.")
IN_PROGRESS = _(
    "A new version of “%(title)s” is already on its way: revise or withdraw it before starting another."
)
SINGLE_PERSON_MEETING = _(
    "“%(document)s”: %(body)s has a single member, who cannot hold a meeting. Withdraw the rules and "
    "send them again: the union committee will approve the duty statement."
)
