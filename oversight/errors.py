"""Messages of the oversight pages and actions, kept in one place so tests assert on them."""

from django.utils.translation import gettext_lazy as _

FILTERS_IGNORED = _("Some filters made no sense and were ignored: %(names)s.")
PAGE_LINK_INVALID = _("The page link was not valid; showing the first page.")
REASSIGN_NOT_ALLOWED = _(
    "Only the union's chair or a supervisor of an upper-level union may reassign a task."
)
REASSIGN_PERSON_TASK = _(
    "Only a body's task can be reassigned; a person's own task (drafting, an opinion) stays with them."
)
REASSIGN_NOT_OPEN = _("This task is no longer open.")
REASSIGN_SAME_PERSON = _("%(person)s already holds this task.")
REASSIGN_OUTSIDE_BODY = _("%(person)s holds no seat in force in the %(body)s.")
REASSIGN_NO_PERSON = _("Choose the seat holder who takes the task over.")
URGE_UNION_NOT_SUPERVISED = _("Only a supervisor of an upper-level union may urge a union's tasks.")
URGE_REPORT_NOT_SUPERVISOR = _("Only a supervisor of the receiving union may urge the unions below.")
URGE_REPORT_UNKNOWN = _("This report and year are not tracked by the submission rate.")
SORT_NEEDS_NARROWER_SCOPE = _(
    "Sorting by who must act needs a department or a union: the whole province is shown oldest first."
)
