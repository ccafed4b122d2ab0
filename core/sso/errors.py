"""What people are told when single sign-on or the people sync refuses something (issue 31)."""

from django.utils.translation import gettext_lazy as _

# single sign-on
SSO_UNKNOWN_PERSON = _(
    "Your organisation's sign-in worked, but Wuyi has no person matching your account. Ask the union's "
    "office to add you (or the system administrator to run the people sync), then sign in again."
)
SSO_PERSON_DISABLED = _(
    "Your account in Wuyi is disabled, so you cannot sign in. Ask the system administrator if this is wrong."
)
SSO_SEVERAL_PEOPLE = _(
    "Several people in Wuyi match your account, so Wuyi cannot tell which one is you. Ask the system "
    "administrator to correct the people's records."
)
SSO_FAILED = _(
    "Signing in through your organisation's identity provider did not succeed. Try again; if it keeps "
    "failing, tell the system administrator."
)
SSO_OFF = _("Single sign-on is not set up on this site.")
LOCAL_PASSWORD_OFF = _(
    "Sign-in with a Wuyi password is switched off: sign in through your organisation's identity "
    "provider. Members of the union sign in with their member number as before."
)

# the people sync
SYNC_NO_ROWS = _("The file has no rows of people.")
SYNC_NOT_UTF8 = _(
    "The file cannot be read as text: save it as CSV in UTF-8 (or GB18030) and upload it again."
)
SYNC_BAD_JSON = _("The file is not valid JSON (%(problem)s): it must be a list of objects, one per person.")
SYNC_JSON_NOT_LIST = _("The JSON file must be a list of objects, one per person.")
SYNC_NO_HEADER = _("The first line must name the columns; employee_number is missing from it.")
SYNC_UNKNOWN_COLUMNS = _("Unknown columns: %(columns)s. The columns are: %(known)s.")
SYNC_BAD_FORMAT = _("Choose the file's format: csv or json.")
SYNC_ROW_NOT_OBJECT = _("Row %(row)s: each entry must be an object with the columns as keys.")
ROW_PROBLEM = _("Row %(row)s: %(problem)s")
NUMBER_MISSING = _("the employee number is missing.")
NUMBER_TWICE = _("employee number %(number)s is also in row %(first)s.")
NAME_MISSING = _("a new person needs a full name.")
TOO_LONG = _("%(column)s is longer than %(limit)s characters.")
BAD_PHONE = _("%(value)s is not a phone number (a mobile number of 11 digits or a landline with area code).")
BAD_EMAIL = _("%(value)s is not an e-mail address.")
BAD_STATUS = _("the status %(value)s is neither active nor left.")
UNKNOWN_DEPARTMENT = _("no union has the code %(value)s.")
SEVERAL_WITHOUT_NUMBER = _(
    "several people without an employee number have the %(field)s %(value)s: give the right one the "
    "employee number in the administration first."
)
SEAT_CANNOT_END = _("%(person)s's seat (%(seat)s) cannot be ended: %(problem)s")
SYNC_NO_RIGHT = _("Only the system administrator may run the people sync.")
SYNC_UPLOAD_GONE = _("The uploaded file is no longer at hand: upload it again and check the report.")
