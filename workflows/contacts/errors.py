"""What the users of the contact pages are told when something is refused (S4.4)."""

from django.utils.translation import gettext_lazy as _

NOT_MANAGER = _("Only the union's chair or its office staff may assign contacts.")
NOT_CHAIR = _("Only the chair of the union committee names who may read records of workers in difficulty.")
DIFFICULTY_RESERVED = _(
    "Records of workers in difficulty are kept by the chair and the people the union names: ask the chair."
)
MEMBER_NOT_ON_COMMITTEE = _(
    "Choose a member of this union's union committee, fund audit committee or women workers' committee."
)
MEMBER_NO_SEAT = _(
    "%(person)s holds no seat on this union's union committee, fund audit committee or women workers' "
    "committee: contacts are kept by the three committees' members."
)
UNION_NEEDED = _("Choose the union group or subordinate union to keep contact with.")
UNION_NOT_BELOW = _("Choose one of this union's own union groups or subordinate unions.")
NAME_NEEDED = _("Write the name of the person to keep contact with.")
ASSIGNED_IN_FUTURE = _("The date of assignment cannot be in the future.")
ALREADY_ENDED = _("This contact has ended already.")
ENDED_IN_FUTURE = _("The end date cannot be in the future.")
ENDED_BEFORE_ASSIGNED = _("The end date cannot come before the contact was assigned.")
SAME_MEMBER = _("The contact is assigned to this member already.")
NOT_ASSIGNED = _(
    "This contact is assigned to %(person)s: only the committee member keeping it logs contacts with it."
)
CONTACT_IN_FUTURE = _("The date of contact cannot be in the future.")
FOLLOW_UP_BEFORE_CONTACT = _("The follow-up cannot be due before the date of contact.")
FOLLOW_UP_WHAT = _("Say what is to be followed up before naming its owner or due date.")
FOLLOW_UP_OWNER_ONE = _("Choose a person or write a name as the follow-up owner, not both.")
NO_FOLLOW_UP = _("This contact log has no follow-up to close.")
FOLLOW_UP_CLOSED = _("This follow-up is closed already.")
NOT_FOLLOW_UP_KEEPER = _(
    "Only the committee member keeping the contact, the follow-up's owner or the union's chair and "
    "office staff close a follow-up."
)
PLAN_NEEDS_OPINION = _("Write what was raised before carrying it into next year's plan.")
NOT_PLAN_KEEPER = _(
    "Only the committee member keeping the contact or the union's chair and office staff carry an opinion "
    "into the plan."
)
VIEWER_NO_SEAT = _("%(person)s holds no seat in this union: choose one of its people.")
VIEWER_NAMED = _("%(person)s may read these records already.")
