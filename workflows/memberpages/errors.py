"""What members and the union's office are told when something on the members' pages is refused (S5.4)."""

from django.utils.translation import gettext_lazy as _

NOT_MANAGER = _("Only the union's chair or its office staff may invite members or answer their opinions.")
NO_MEMBERS_CHOSEN = _("Choose at least one member to invite.")
MEMBER_ELSEWHERE = _("Only members of this union in force can be invited: choose them from the list.")
MEMBER_HAS_ACCOUNT = _("%(name)s already has an account for the members' pages and signs in with it.")

LINK_UNKNOWN = _("This link is not valid. Check that it was copied whole, or ask your union for a new one.")
LINK_USED = _(
    "This invitation has been used already. Sign in with your member number and the password you set, "
    "or ask your union for a new invitation."
)
LINK_EXPIRED = _("This invitation expired on %(date)s. Ask your union for a new one.")
LINK_REPLACED = _(
    "A newer invitation has replaced this one. Use the newest link or code your union gave you."
)
MEMBERSHIP_ENDED = _("Your membership of the union has ended: the members' pages are no longer open to you.")
WRONG_CODE = _("The member number or the code is wrong. Check both and try again.")
TOO_MANY_CODES = _("The code was typed wrongly too many times. Ask your union for a new invitation.")
SIGNED_IN = _("You are signed in already. Sign out first to accept an invitation for someone else.")
PASSWORDS_DIFFER = _("The two passwords are not the same.")

TEXT_EMPTY = _("Write your opinion: it cannot be empty.")
RATING_RANGE = _("Choose a rating from 1 to 5.")
RATING_NEEDED = _("An evaluation needs a rating from 1 to 5.")
ANSWER_EMPTY = _("Write the answer: it cannot be empty.")
ALREADY_ANSWERED = _("This opinion has been answered already.")
NUMBER_NEEDED = _("Type your member number.")
CODE_NEEDED = _("Type the code from your invitation.")
PASSWORD_NEEDED = _("Choose a password.")
