"""What members and the union's office are told when something in the satisfaction survey is refused
(S5.2). The refusals a member sees never say whose link it was."""

from django.utils.translation import gettext_lazy as _

NOT_MANAGER = _("Only the union's chair or its office staff may run the union's satisfaction survey.")
NO_REGISTER = _("This union keeps no members' register, so it has no satisfaction survey.")
NOT_DRAFT = _("The questions can be changed only while the survey is a draft.")
NOT_OPEN = _("This survey is not open: tokens are issued only while it is open.")
ALREADY_OPEN = _("This survey has been opened already.")
ALREADY_CLOSED = _("This survey is closed already.")
NOT_CLOSED = _("The reply to the findings is published once the survey is closed.")
CLOSES_BEFORE_OPENING = _("The survey cannot close before it opens.")
CLOSES_IN_PAST = _("The closing day has passed: choose a later one.")
NO_QUESTIONS = _("Add at least one rating question before opening the survey.")
NO_MEMBERS = _("The union has no members in force to ask.")
QUESTION_EMPTY = _("Write the question: it cannot be empty.")
REPLY_EMPTY = _("Write the reply: it cannot be empty.")
MEMBER_ELSEWHERE = _("Only members of this union in force can be given a link.")
MEMBER_ANSWERED = _("This member's link has been used: one answer per member, so it cannot be replaced.")

# the member's answer page
LINK_UNKNOWN = _(
    "This link is not valid. Check that it was copied whole, or ask your union for your own link."
)
LINK_USED = _("This link has already been used: each member answers once. Thank you for taking part.")
SURVEY_CLOSED = _("This survey has closed: answers are no longer taken.")
SURVEY_NOT_OPEN = _("This survey is not open yet.")
ANSWER_REQUIRED = _("Please answer this question.")
RATING_RANGE = _("Choose one of the five answers.")
