"""What the users of the members' register are told when something is refused (S5.3 membership)."""

from django.utils.translation import gettext_lazy as _

NOT_MANAGER = _("Only the union's chair or its office staff may change the members' register.")
NOT_RECEIVING_MANAGER = _(
    "Only the chair or the office staff of the receiving union may accept or refuse this transfer."
)
NO_REGISTER = _("Only a grassroots union or a department organ union keeps a members' register.")
NAME_MISSING = _("Write the member's name.")
NUMBER_MISSING = _("Write the member number.")
NUMBER_IN_REGISTER = _("Member number %(number)s is already in this register (%(name)s).")
NUMBER_ELSEWHERE = _(
    "Member number %(number)s belongs to a member of %(union)s: a member moves through a transfer."
)
JOINED_MISSING = _("Give the date of joining the union.")
JOINED_IN_FUTURE = _("The date of joining cannot be in the future.")
GROUP_NOT_OURS = _("%(group)s is not a union group of this union.")
GROUP_CHOICE = _("Choose one of the union's groups.")
PERSON_MEMBER_ELSEWHERE = _("%(person)s is already an active member of %(union)s.")
ALREADY_LEFT = _("This member has left the union already.")
LEFT_IN_FUTURE = _("The date of leaving the union cannot be in the future.")
LEFT_BEFORE_JOINING = _("The date of leaving cannot come before the date of joining.")
TRANSFER_OPEN = _("This member has a transfer awaiting the receiving union: cancel it first.")
TRANSFER_SAME_UNION = _("A member cannot be transferred to the union they belong to.")
TRANSFER_UNKNOWN_UNION = _(
    "The receiving union does not exist or takes no members: choose a grassroots union or a "
    "department organ union from the list."
)
TRANSFER_CHOOSE_UNION = _("Choose the receiving union.")
TRANSFER_NOT_OPEN = _("This transfer has been decided or cancelled already.")
REFUSAL_REASON = _("Say why the transfer is refused; the sending union is told.")

# the .xlsx import (all or nothing: every problem of the file is listed with its row)
FILE_TOO_LARGE = _("The file is larger than %(limit)s MB.")
NOT_XLSX = _("The file is not an .xlsx workbook: export the register, fill it in and upload it again.")
NO_HEADER = _(
    "The header row (会员编号, 姓名 …) was not found in the first %(rows)s rows: use the columns of "
    "the exported register."
)
TOO_MANY_ROWS = _("The file has more than %(rows)s rows: split it and import each part.")
NO_ROWS = _("The file has no member below its header row.")
CHANGED_MEANWHILE = _(
    "The register changed while the file was being imported, and nothing was imported: upload it again."
)
ROW_PROBLEM = _("Row %(row)s: %(problem)s")
IMPORT_NAME_MISSING = _("the name is missing.")
IMPORT_NUMBER_MISSING = _("the member number is missing.")
IMPORT_NUMBER_TWICE = _("member number %(number)s already appears in row %(first)s.")
IMPORT_NUMBER_ELSEWHERE = _("member number %(number)s is an active member of %(union)s.")
IMPORT_GROUP_NOT_OURS = _("“%(group)s” is not a union group of this union.")
IMPORT_JOINED_MISSING = _("the date of joining is missing.")
IMPORT_JOINED_BAD = _("“%(value)s” is not a date (write it as 2024-03-01).")
IMPORT_JOINED_IN_FUTURE = _("the date of joining %(date)s is in the future.")
IMPORT_EMAIL_BAD = _("“%(value)s” is not an e-mail address.")
IMPORT_TOO_LONG = _("the %(column)s is longer than %(limit)s characters.")
