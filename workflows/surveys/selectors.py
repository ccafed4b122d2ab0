"""Reading the satisfaction survey (S5.2): a union's cycles, the outcome of the latest one for the Model
Workers' Home (``latest_survey_outcome``, ``survey_outcomes``), the results per question, and a token's
cycle for the answer page.

Every figure is aggregated in SQL (values().annotate()), so a page costs the same few queries whatever
the number of members and answers. Satisfaction is the share of ratings 4 and 5 (satisfied, very
satisfied) among the ratings given; the overall figure is over all the rating answers of the cycle."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Q, QuerySet

from .models import (
    SATISFIED_FROM,
    QuestionKind,
    SurveyAnswer,
    SurveyAnswerItem,
    SurveyCycle,
    SurveyQuestion,
    SurveyStatus,
    SurveyToken,
)

HUNDRED = Decimal("100")
ONE_PLACE = Decimal("0.1")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def percent(part: int, whole: int) -> Decimal | None:
    """part/whole in percent, one decimal place (half up); None when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


# --- the outcome, for the Model Workers' Home -----------------------------------------------------------


@dataclass(frozen=True)
class SurveyOutcome:
    """A cycle's figures (S5.2): tokens issued, answers, the response rate and the overall satisfaction
    against the cycle's threshold."""

    cycle_id: int
    title: str
    closes_on: datetime.date
    status: str
    issued: int
    answered: int
    response_rate_pct: Decimal | None
    satisfaction_pct: Decimal | None
    threshold_pct: Decimal

    @property
    def met(self) -> bool:
        return self.satisfaction_pct is not None and self.satisfaction_pct >= self.threshold_pct


def _token_counts(cycle_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{cycle id: (issued, used)}: one query."""
    rows = (
        SurveyToken.objects.filter(cycle_id__in=cycle_ids)
        .values("cycle_id")
        .annotate(issued=Count("id"), used=Count("id", filter=Q(used=True)))
        .order_by()
    )
    return {row["cycle_id"]: (row["issued"], row["used"]) for row in rows}


def _satisfied_counts(cycle_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{cycle id: (ratings given, ratings 4–5)} over all rating questions: one query."""
    rows = (
        SurveyAnswerItem.objects.filter(answer__cycle_id__in=cycle_ids, rating__isnull=False)
        .values("answer__cycle_id")
        .annotate(rated=Count("id"), satisfied=Count("id", filter=Q(rating__gte=SATISFIED_FROM)))
        .order_by()
    )
    return {row["answer__cycle_id"]: (row["rated"], row["satisfied"]) for row in rows}


def outcomes_of(cycles: list[SurveyCycle]) -> dict[int, SurveyOutcome]:
    """{cycle id: outcome} for the cycles: two queries, whatever their number and their answers'."""
    ids = [cycle.pk for cycle in cycles]
    tokens = _token_counts(ids) if ids else {}
    ratings = _satisfied_counts(ids) if ids else {}
    found = {}
    for cycle in cycles:
        issued, used = tokens.get(cycle.pk, (0, 0))
        rated, satisfied = ratings.get(cycle.pk, (0, 0))
        found[cycle.pk] = SurveyOutcome(
            cycle_id=cycle.pk,
            title=cycle.title,
            closes_on=cycle.closes_on,
            status=cycle.status,
            issued=issued,
            answered=used,
            response_rate_pct=percent(used, issued),
            satisfaction_pct=percent(satisfied, rated),
            threshold_pct=cycle.satisfied_threshold_pct,
        )
    return found


def survey_outcomes(union_ids: Iterable[int]) -> dict[int, SurveyOutcome]:
    """S5.1, S5.2: {union id: the outcome of its latest closed cycle, else of its latest open one}; a union
    without either is left out. Three queries whatever the number of unions, cycles and answers."""
    ids = list(union_ids)
    if not ids:
        return {}
    rows = (
        SurveyCycle.objects.filter(union_id__in=ids, status__in=[SurveyStatus.CLOSED, SurveyStatus.OPEN])
        .only("id", "union_id", "title", "closes_on", "status", "satisfied_threshold_pct")
        .order_by("union_id", "-closes_on", "-id")
    )
    chosen: dict[int, SurveyCycle] = {}
    for cycle in rows:
        best = chosen.get(cycle.union_id)
        # a closed cycle beats an open one; within a status the first (latest) wins
        if best is None or (best.status == SurveyStatus.OPEN and cycle.status == SurveyStatus.CLOSED):
            chosen[cycle.union_id] = cycle
    outcomes = outcomes_of(list(chosen.values()))
    return {union_id: outcomes[cycle.pk] for union_id, cycle in chosen.items()}


def latest_survey_outcome(union_id: int) -> SurveyOutcome | None:
    """S5.1, S5.2: the union's latest closed cycle's outcome, else its latest open one's; None without."""
    return survey_outcomes([union_id]).get(union_id)


# --- the officers' pages --------------------------------------------------------------------------------


def cycles_of_union(union_id: int) -> QuerySet[SurveyCycle]:
    return SurveyCycle.objects.filter(union_id=union_id).order_by("-opens_on", "-id")


def questions_of(cycle: SurveyCycle) -> list[SurveyQuestion]:
    return list(SurveyQuestion.objects.filter(cycle=cycle).order_by("order", "id"))


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answers: int = 0
    average: Decimal | None = None
    satisfaction_pct: Decimal | None = None
    satisfied: int = 0
    counts: dict[int, int] = field(default_factory=dict)  # rating → how many


@dataclass
class Results:
    cycle: SurveyCycle
    outcome: SurveyOutcome
    questions: list[QuestionResult]
    suggestions: list[tuple[str, list[str]]]  # (question, texts) for each free-text question


def _question_results(questions: list[SurveyQuestion]) -> list[QuestionResult]:
    """Each rating question's figures from one aggregate query over all the questions given."""
    rows = (
        SurveyAnswerItem.objects.filter(question__in=[q.pk for q in questions], rating__isnull=False)
        .values("question_id", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for row in rows:
        counts[row["question_id"]][row["rating"]] = row["n"]
    found = []
    for question in questions:
        if question.kind != QuestionKind.RATING:
            continue
        by_rating = counts.get(question.pk, {})
        total = sum(by_rating.values())
        points = sum(rating * n for rating, n in by_rating.items())
        satisfied = sum(n for rating, n in by_rating.items() if rating >= SATISFIED_FROM)
        found.append(
            QuestionResult(
                question=question,
                answers=total,
                average=(Decimal(points) / total).quantize(Decimal("0.01")) if total else None,
                satisfaction_pct=percent(satisfied, total),
                satisfied=satisfied,
                counts={rating: by_rating.get(rating, 0) for rating in (5, 4, 3, 2, 1)},
            )
        )
    return found


def _suggestions(questions: list[SurveyQuestion], limit: int | None) -> list[tuple[str, list[str]]]:
    """The free-text answers by question, sorted by their text: never in the order they came."""
    texts = (
        SurveyAnswerItem.objects.filter(question__in=[q.pk for q in questions if q.kind == QuestionKind.TEXT])
        .exclude(text="")
        .values_list("question_id", "text")
        .order_by("question_id", "text")
    )
    by_question: dict[int, list[str]] = defaultdict(list)
    for question_id, text in texts[:limit] if limit else texts:
        by_question[question_id].append(text)
    return [(q.text, by_question[q.pk]) for q in questions if q.pk in by_question]


def results_for(
    cycles: list[SurveyCycle], *, suggestions: bool = True, suggestions_limit: int | None = 1000
) -> list[Results]:
    """S5.2, for the cycles given: per rating question the answers, the average, the satisfaction and the
    count of each rating; overall, the response rate and the satisfaction over all rating answers; the
    free-text answers if asked. Three queries (four with the texts) whatever the cycles and answers."""
    if not cycles:
        return []
    questions = list(SurveyQuestion.objects.filter(cycle__in=cycles).order_by("cycle_id", "order", "id"))
    by_cycle: dict[int, list[SurveyQuestion]] = defaultdict(list)
    for question in questions:
        by_cycle[question.cycle_id].append(question)
    per_question = _question_results(questions)
    tokens = _token_counts([cycle.pk for cycle in cycles])
    found = []
    for cycle in cycles:
        mine = [r for r in per_question if r.question.cycle_id == cycle.pk]
        issued, used = tokens.get(cycle.pk, (0, 0))
        rated = sum(r.answers for r in mine)
        outcome = SurveyOutcome(
            cycle_id=cycle.pk,
            title=cycle.title,
            closes_on=cycle.closes_on,
            status=cycle.status,
            issued=issued,
            answered=used,
            response_rate_pct=percent(used, issued),
            satisfaction_pct=percent(sum(r.satisfied for r in mine), rated),
            threshold_pct=cycle.satisfied_threshold_pct,
        )
        texts = _suggestions(by_cycle[cycle.pk], suggestions_limit) if suggestions else []
        found.append(Results(cycle, outcome, mine, texts))
    return found


def results_of(cycle: SurveyCycle) -> Results:
    """S5.2: one cycle's results with its free-text answers (four queries)."""
    return results_for([cycle])[0]


def average_of(cycle_ids: list[int]) -> dict[int, Decimal | None]:
    """{cycle id: the average of all its ratings}: one query (the list page)."""
    rows = (
        SurveyAnswerItem.objects.filter(answer__cycle_id__in=cycle_ids, rating__isnull=False)
        .values("answer__cycle_id")
        .annotate(avg=Avg("rating"))
        .order_by()
    )
    return {row["answer__cycle_id"]: row["avg"] for row in rows}


# --- the answer page ------------------------------------------------------------------------------------


def token_by_clear(token: str) -> SurveyToken | None:
    """The token with its cycle and the cycle's union, or None for a made-up or replaced one."""
    if not token or len(token) > 100:
        return None
    return SurveyToken.objects.filter(token_hash=token_hash(token)).select_related("cycle__union").first()


def answers_count(cycle: SurveyCycle) -> int:
    return SurveyAnswer.objects.filter(cycle=cycle).count()


PUBLISHED_CYCLES = 2


def published_results(union_id: int) -> list[Results]:
    """S5.2, S5.4 open affairs: the union's latest closed cycles whose reply is published (at most
    ``PUBLISHED_CYCLES``), newest first, with their results but not the free texts. Four queries."""
    cycles = list(
        SurveyCycle.objects.filter(
            union_id=union_id, status=SurveyStatus.CLOSED, reply_published_on__isnull=False
        ).order_by("-closes_on", "-id")[:PUBLISHED_CYCLES]
    )
    return results_for(cycles, suggestions=False)


def published_cycles(union_ids: Iterable[int]) -> QuerySet[SurveyCycle]:
    """S5.4, for the upper union's list of what each union published: the cycles with a published reply."""
    return SurveyCycle.objects.filter(
        union_id__in=list(union_ids), status=SurveyStatus.CLOSED, reply_published_on__isnull=False
    ).only("id", "union_id", "title", "reply_published_on")
