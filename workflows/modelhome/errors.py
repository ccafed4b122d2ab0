"""What the users of the Model Workers' Home pages are told when something is refused (S5.1, S5.2)."""

from django.utils.translation import gettext_lazy as _

NOT_STANDARD_KEEPER = _(
    "Only the chair or the office staff of the provincial organs union keep the evaluation standard."
)
NOT_PROVINCIAL = _("Only the provincial organs union issues the Model Workers' Home standard.")
STANDARD_EXISTS = _("The standard of %(year)s exists already: edit it, or copy it to another year.")
STANDARD_PUBLISHED = _("A published standard can no longer be changed: copy it to a new year to revise it.")
STANDARD_EMPTY = _("The standard has no criteria: a union could not be evaluated against it.")
STANDARD_WEIGHTS = _(
    "The dimensions' weights add up to %(total)s: make them add up to 100 before publishing."
)
DIMENSION_POINTS = _(
    "The criteria of “%(dimension)s” add up to %(points)s points, not its weight of %(weight)s."
)
NO_PROVINCIAL_ROOT = _("This union has no provincial organs union above it to evaluate it.")
NO_STANDARD = _(
    "%(union)s has not published a Model Workers' Home standard for %(year)s: ask it to publish one."
)
NOT_APPLICANT_KIND = _("Only a grassroots union or a department organ union applies for the title.")
NOT_APPLICANT = _("Only the union's chair or its office staff prepare and send its application.")
APPLICATION_OPEN = _("The union has an application for %(year)s already.")
NOT_EDITABLE = _("This application is no longer with the union for editing.")
SCORE_RANGE = _("“%(criterion)s”: a score from 0 to %(points)s.")
PLAN_ITEM_FOREIGN = _("Choose tasks of the union's own annual plan of the year.")
EVIDENCE_MISSING = _(
    "Evidence is missing for “%(criterion)s”: %(how)s Add it before sending the application."
)
NOT_REVIEWER = _("Only the chair or the office staff of %(union)s review this application.")
NOT_EVALUATOR = _(
    "Only the chair or the office staff of %(union)s evaluate this application: you are not of the "
    "evaluating union."
)
NOT_UNDER_REVIEW = _("This application is not awaiting the department union's review.")
NOT_UNDER_EVALUATION = _("This application is not awaiting the provincial organs union's evaluation.")
OPINION_NEEDED = _("Write your opinions: the union needs them to revise its application.")
UNKNOWN_DECISION = _("Choose a decision.")
UNKNOWN_LEVEL = _("Choose the level of the title.")
