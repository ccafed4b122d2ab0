"""User-facing error messages of the core app, in one place so tests can assert on them."""

from django.utils.translation import gettext_lazy as _

UNION_PARENT_SELF = _("A union cannot be its own upper-level union.")
UNION_PARENT_CYCLE = _("The chosen upper-level union is below this union: that would make a cycle.")
UNION_PARENT_KIND = _("A %(kind)s must have a %(parents)s as its upper-level union.")
UNION_PROVINCIAL_PARENT = _(
    "The provincial organs union is the top of the tree and has no upper-level union."
)
UNION_BAD_TIME_ZONE = _("Unknown time zone: %(value)s.")
BODY_FRACTION = _("A fraction needs a numerator between 0 and its denominator, and a positive denominator.")
BODY_TERM = _("The term must end after it starts.")
BODY_LED_BY = _(
    "Only a union's Party organisation can be linked, and only to another Party organisation that is "
    "not itself linked to a third."
)
SEAT_BODY_OTHER_UNION = _("This body belongs to another union.")
SEAT_END_BEFORE_START = _("The term of a seat must end on or after the day it starts.")
SEAT_OUTSIDE_BODY_TERM = _(
    "The seat's term (%(start)s – %(end)s) lies outside the body's term (%(body_start)s – %(body_end)s)."
)
SEAT_ROLE_NEEDS_BODY = _("The role %(role)s is held in a body: choose the body.")
SEAT_ROLE_NOT_IN_BODY = _("The role %(role)s cannot be held in the %(body)s.")
SEAT_ROLE_UNION_LEVEL = _("The role %(role)s is held in the union itself, not in a body.")
SEAT_SUPERVISOR_KIND = _("Supervisors sit only in the provincial organs union or a department organ union.")
SEAT_DUPLICATE = _("%(person)s already holds this seat in this period.")
PERSON_INACTIVE = _("%(person)s is deactivated and cannot take a seat.")
USER_DELETE_FORBIDDEN = _("Users are never deleted: deactivate the account instead.")
EVENT_APPEND_ONLY = "core_event is append-only"
RULE_PERIODS = _(
    "Due dates are a list of periods with a month (1–12), a day (1–31, or 0 for the month's last day) "
    "and a year offset of 0 or 1."
)
UPLOAD_TYPE = _("Files of type %(suffix)s are not accepted. Allowed: %(allowed)s.")
UPLOAD_SIZE = _("The file is larger than the limit of %(limit)s MB.")
UPLOAD_CONTENT = _(
    "%(name)s is not what its name says: only PDF, OFD, images (JPEG, PNG), Word and Excel documents "
    "and plain text are accepted, and a program or another file renamed to such a name is refused."
)
# The people picker (core.forms_people): what a person field says about what was chosen or typed.
PERSON_NOT_ALLOWED = _("The person chosen cannot be chosen here. Search again and choose from the list.")
PERSON_NO_MATCH = _("Nobody who may be chosen here matches “%(value)s”.")
PERSON_SEVERAL_MATCH = _("Several people match “%(value)s”: choose one of them below.")
# Importing a State Council holiday notice (core.services.calendar): each names the line it is about.
NOTICE_NO_YEAR = _("The file names no year: add a line “年度 2027”.")
NOTICE_YEAR = _("Line %(line)s: “%(value)s” is not a year between 2000 and 2100.")
NOTICE_KEYWORD = _(
    "Line %(line)s: start the line with 年度, 来源, 放假 or 上班 (year, source, off, work), not “%(value)s”."
)
NOTICE_DATE = _("Line %(line)s: “%(value)s” is not a date written as 2027-01-01.")
NOTICE_NO_DATE = _("Line %(line)s: give the date or dates after “%(value)s”.")
NOTICE_RANGE = _("Line %(line)s: the range %(start)s 至 %(end)s ends before it starts.")
NOTICE_OUTSIDE_YEAR = _("Line %(line)s: %(date)s is not in %(year)s, the year this file is for.")
NOTICE_BOTH = _(
    "Line %(line)s: %(date)s is on line %(other)s too, the other way round: a day is either off or a "
    "working day."
)
NOTICE_EMPTY = _("The file gives no day off and no working day.")
NOTICE_UNREADABLE = _("The file could not be read as text (UTF-8): save it as plain text and try again.")
