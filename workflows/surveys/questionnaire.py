"""The default questionnaire of the satisfaction survey (S5.2), as data: copied into every new cycle, where
the union's office may change it while the cycle is a draft. Eight rating questions on the union's work (the
dimensions of the Model Workers' Home, S5.1) and one free-text question for suggestions. The texts are
copied in the site's language when a cycle is made."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import QuestionKind

# (text, kind, required)
DEFAULT_QUESTIONS = (
    (_("How satisfied are you with how the union is organised and led?"), QuestionKind.RATING, True),
    (
        _("How satisfied are you with democratic management and the openness of the union's affairs?"),
        QuestionKind.RATING,
        True,
    ),
    (
        _("How satisfied are you with how the union protects your rights and interests?"),
        QuestionKind.RATING,
        True,
    ),
    (_("How satisfied are you with the services the union gives its members?"), QuestionKind.RATING, True),
    (_("How satisfied are you with the union's cultural and sports activities?"), QuestionKind.RATING, True),
    (
        _("How satisfied are you with the Workers' Home and its facilities (reading room, gym, rest room)?"),
        QuestionKind.RATING,
        True,
    ),
    (_("How satisfied are you with how the union's funds are used?"), QuestionKind.RATING, True),
    (_("How satisfied are you with how the union keeps in touch with members?"), QuestionKind.RATING, True),
    (_("Overall, how satisfied are you with the union's work?"), QuestionKind.RATING, True),
    (_("Your suggestions for the union's work"), QuestionKind.TEXT, False),
)
