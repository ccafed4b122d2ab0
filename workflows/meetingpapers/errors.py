"""What the union's officers are told when a meeting paper is refused (issue 33). No rule code on screen:
the code comments and tests cite the rule."""

from django.utils.translation import gettext_lazy as _

# REG congress notice (issue 33): the notice goes out at least N working days before the meeting
NOTICE_TOO_LATE = _(
    "The notice of a %(body)s must go out at least %(days)s working days before the meeting: for a "
    "meeting on %(meets_on)s it had to be issued by %(latest)s. Choose a later meeting date."
)
MEETING_IN_PAST = _("The meeting date has passed: a notice is for a meeting still to come.")
NOT_THIS_BODY = _("Some documents chosen are no longer before this body: choose again from the list.")
NO_AGENDA = _("Give the agenda: choose a document before the body or write at least one agenda line.")
NOT_DRAFTER = _("Only the union's chair, vice chairs, office staff or finance officer may issue a notice.")
WRITTEN_BODY = _("This body decides in writing: it holds no meetings to give notice of.")
NO_SEATS = _("Nobody holds a seat in this body on the meeting day: there is nobody to notify.")
NOT_MAKER = _("Only the union's drafters or the body's recorders may print its meeting papers.")
UNKNOWN_PAPER = _("Choose the minutes, the resolution or the sign-in sheet.")
