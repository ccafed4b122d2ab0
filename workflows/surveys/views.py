"""The member's answer page (S5.2): ``/survey/<token>/``, open without signing in.

Anonymity: this view never reads ``request.user`` (a signed-in member answers exactly as a signed-out one)
and logs nothing with the token; the service writes no event. The page is a plain form POST with Django's
CSRF token, so any client can GET it and then POST it. A refused link is answered with its reason and
status (404 not valid, 410 used or closed, 409 not open yet); a missing required answer shows the form
again with every answer kept and the problem beside its question."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from . import errors, selectors, services
from .forms import AnswerForm

ANSWER = "workflows/surveys/answer.html"


def _status(problem: str) -> int:
    if problem == str(errors.LINK_UNKNOWN):
        return 404
    if problem == str(errors.SURVEY_NOT_OPEN):
        return 409
    return 410


@never_cache
def answer(request, token: str):
    """S5.2: the questionnaire of the token's cycle; answered once."""
    found = selectors.token_by_clear(token)
    problem = services.answer_problem(found)
    if problem is not None:
        return render(request, ANSWER, {"problem": problem}, status=_status(problem))
    cycle = found.cycle
    form = AnswerForm(
        request.POST if request.method == "POST" else None, questions=selectors.questions_of(cycle)
    )
    if request.method == "POST":
        try:
            services.answer_submit(token=token, answers=form.raw_answers())
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):  # used, closed or replaced meanwhile: nothing to re-show
                problem = exc.messages[0]
                return render(request, ANSWER, {"problem": problem}, status=_status(problem))
            form.is_valid()  # bind, then put the service's problems beside their questions
            for name, problems in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            return redirect("surveys:thanks")
    context = {"cycle": cycle, "union": cycle.union, "form": form}
    return render(request, ANSWER, context, status=400 if form.is_bound else 200)


def thanks(request):
    return render(request, "workflows/surveys/thanks.html")
