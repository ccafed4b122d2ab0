"""What the users of the Party organisation's pages are told when something is refused (S1.1–S1.3)."""

from django.utils.translation import gettext_lazy as _

ONE_MATTER = _(
    "One matter per document (一文一事): a request or report names exactly one item of the catalogue. "
    "Draft a separate one for each further matter."
)
NO_MATTER = _("Choose the item of the catalogue this request or report is about.")
NOT_DRAFTER = _("Only the union's office staff may draft requests, reports and hearing requests.")
NOT_EDITABLE = _("This document is no longer with you for editing.")
NOT_WITHDRAWABLE = _("Once the Party organisation has replied, the document can no longer be withdrawn.")
NO_CHAIR = _("The union has no chair in office to sign it: fill the seat first.")
NO_PARTY_BODY = _("The union has no Party organisation body: ask the administrator to add it first.")
CARRIED_OUT_EMPTY = _("Say how the reply was carried out.")
HEARING_NO_QUORUM = _(
    "The hearing cannot be recorded: %(present)s of the %(seated)s members attended; at least %(needed)s "
    "must attend for the Party organisation's meeting to decide."
)
HEARING_ATTENDEE_NO_SEAT = _("%(names)s held no seat in %(body)s on %(date)s.")
HEARING_NO_PROBLEMS_TEXT = _("Write the matters studied at the hearing.")
ACTION_NO_TEXT = _("Problem %(n)s: say what is to be solved.")
ACTION_NO_OWNER = _("Problem %(n)s: name an owner, a person or a department.")
ACTION_NO_DUE = _("Problem %(n)s: give the date it is due by.")
ACTION_DUE_PAST = _("Problem %(n)s: the due date must come after the hearing.")
ACTION_OWNER_OUTSIDE = _("Problem %(n)s: the owner must hold a seat in the union or its Party organisation.")
ACTION_NOT_CLOSER = _("Only the owner, the union's chair or its office staff may close this action item.")
ACTION_CLOSED = _("This action item is already closed.")
ACTION_NOTE_EMPTY = _("Say how the problem was solved.")
RETURN_NEEDS_REASON = _("Say why it is returned: the union will read it.")
IN_FUTURE = _("The date cannot be in the future.")
GATE_NEEDS_REQUEST = _(
    "The catalogue of requests and reports lists “%(item)s” as needing a request for instructions: send "
    "that request to the Party organisation and start this once it is agreed."
)
GATE_REQUEST_NOT_AGREED = _("The chosen request has not been agreed by the Party organisation.")
GATE_REQUEST_USED = _(
    "The chosen request for instructions has already let another matter start: an agreed request is used "
    "once. Choose another, or send a new request to the Party organisation."
)
