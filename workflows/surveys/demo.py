"""Demo: the satisfaction survey (S5.2), after the members' pages (order 92).

At fin-office, through the real services: last year's survey, closed, with its answers and the union's
reply published on the members' page; and this year's survey, open, answered by about 60 % of the members
in force (the others' links stay unused; one is printed here so the answer page can be tried). Nothing is
made when fin-office has no members; idempotent: once fin-office has a survey, nothing more is made."""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from core import demo_seeders
from core.models import Union, User
from workflows.memberpages.selectors import in_force_on
from workflows.members.models import Member

from . import services
from .models import QuestionKind, SurveyAnswer, SurveyCycle
from .selectors import questions_of

ANSWERED_SHARE = 0.6
# the ratings' weights (5, 4, 3, 2, 1): last year short of the 90 %, this year above it
LAST_YEAR_WEIGHTS = (45, 40, 10, 4, 1)
THIS_YEAR_WEIGHTS = (60, 33, 5, 2, 0)
SUGGESTIONS = ("希望增加职工书屋的新书。", "建议健身室延长开放时间。", "多组织青年职工联谊活动。", "")
REPLY = (
    "感谢会员们参与测评。针对大家反映的问题，工会将：一、每季度更新职工书屋图书；"
    "二、健身室开放时间延长至每晚20时；三、下半年组织两次青年职工联谊活动。"
)


def _answer_all(cycle: SurveyCycle, issued: list, share: float, weights: tuple, rng: random.Random) -> int:
    questions = questions_of(cycle)
    count = round(len(issued) * share)
    for n, item in enumerate(issued[:count]):
        answers = {}
        for question in questions:
            if question.kind == QuestionKind.RATING:
                answers[question.pk] = str(rng.choices((5, 4, 3, 2, 1), weights=weights)[0])
            else:
                answers[question.pk] = SUGGESTIONS[n % len(SUGGESTIONS)]
        services.answer_submit(token=item.token, answers=answers)
    return count


def _last_year(union: Union, office: User, today: datetime.date, rng: random.Random) -> SurveyCycle:
    year = today.year - 1
    cycle = services.cycle_create(
        actor=office,
        union=union,
        title=f"{year}年会员满意度测评",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=14),
    )
    issued = services.cycle_open(actor=office, cycle=cycle)
    _answer_all(cycle, issued, 0.85, LAST_YEAR_WEIGHTS, rng)
    services.cycle_close(actor=office, cycle=cycle)
    # the demo's past: the cycle ran in November last year (only days are kept, as always)
    opens_on, closes_on = datetime.date(year, 11, 1), datetime.date(year, 11, 15)
    SurveyCycle.objects.filter(pk=cycle.pk).update(
        opens_on=opens_on, closes_on=closes_on, closed_on=closes_on, created_on=opens_on
    )
    SurveyAnswer.objects.filter(cycle=cycle).update(answered_on=datetime.date(year, 11, 8))
    cycle.refresh_from_db()
    services.reply_publish(actor=office, cycle=cycle, reply=REPLY)
    SurveyCycle.objects.filter(pk=cycle.pk).update(reply_published_on=datetime.date(year, 12, 1))
    return cycle


@transaction.atomic
def seed_demo_surveys(*, write=print) -> list[str]:
    union = Union.objects.filter(code="fin-office").first()
    office = User.objects.filter(username="fin-office-office").first()
    if union is None or office is None or SurveyCycle.objects.filter(union=union).exists():
        return []
    today = services.union_today(union)
    rng = random.Random(52)  # the same demo every time
    if not Member.objects.filter(in_force_on(today), union=union).exists():
        return []
    last = _last_year(union, office, today, rng)
    cycle = services.cycle_create(
        actor=office,
        union=union,
        title=f"{today.year}年会员满意度测评",
        opens_on=today - datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=21),
    )
    issued = services.cycle_open(actor=office, cycle=cycle)
    answered = _answer_all(cycle, issued, ANSWERED_SHARE, THIS_YEAR_WEIGHTS, rng)
    made = [
        f"Surveys at fin-office: {last.title} closed with its reply published; {cycle.title} open, "
        f"{answered} of {len(issued)} members answered",
        f"  an unused survey link: /survey/{issued[-1].token}/",
    ]
    if write:
        for line in made:
            write(line)
    return made


demo_seeders.register("surveys", seed_demo_surveys, order=93)
