"""Test factories for the satisfaction survey (S5.2), shared with the Model Workers' Home's tests."""

from __future__ import annotations

import datetime

from core.models import Role, Union, User
from tests.factories import seated
from tests.memberpages.conftest import make_member
from workflows.memberpages.selectors import in_force_on
from workflows.members.models import Member
from workflows.surveys import services
from workflows.surveys.models import QuestionKind, SurveyCycle
from workflows.surveys.selectors import questions_of


def survey_officer(union: Union) -> User:
    """Someone who may run the union's survey: a new office staff seat."""
    return seated(union, Role.OFFICE_STAFF)


def make_cycle(
    union: Union, *, actor: User | None = None, title: str = "2026年会员满意度测评"
) -> SurveyCycle:
    """A draft cycle with the default questionnaire, open from today for 30 days."""
    today = services.union_today(union)
    return services.cycle_create(
        actor=actor or survey_officer(union),
        union=union,
        title=title,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=30),
    )


def answers_for(cycle: SurveyCycle, ratings: list[int], text: str = "") -> dict[int, str]:
    """The form's answers (question id → value) giving ``ratings`` to the rating questions in order (the
    last rating repeats when fewer are given) and ``text`` to the free-text ones."""
    found = {}
    rating_questions = [q for q in questions_of(cycle) if q.kind == QuestionKind.RATING]
    for n, question in enumerate(rating_questions):
        found[question.pk] = str(ratings[min(n, len(ratings) - 1)])
    for question in questions_of(cycle):
        if question.kind == QuestionKind.TEXT and text:
            found[question.pk] = text
    return found


def make_survey_with_answers(
    union: Union, *, answers: list[list[int]], close: bool = True, actor: User | None = None
) -> SurveyCycle:
    """S5.2: a cycle from the default questionnaire, opened (one token per member in force; members are
    added when fewer than ``answers``), then each rating list submitted through the service with its own
    token — the rating questions in order, the last rating repeated when the list is shorter. Closed
    unless ``close=False``."""
    actor = actor or survey_officer(union)
    today = services.union_today(union)
    missing = len(answers) - Member.objects.filter(in_force_on(today), union=union).count()
    for _n in range(max(missing, 0)):
        make_member(union)
    cycle = make_cycle(union, actor=actor)
    issued = services.cycle_open(actor=actor, cycle=cycle)
    for item, ratings in zip(issued, answers, strict=False):
        services.answer_submit(token=item.token, answers=answers_for(cycle, ratings))
    if close:
        services.cycle_close(actor=actor, cycle=cycle)
    cycle.refresh_from_db()
    return cycle
