"""Writing the satisfaction survey (S5.2): the union's office drafts a cycle from the default questionnaire,
opens it (one token per member in force), closes it (or the daily sweep does after ``closes_on``) and
publishes its reply to the findings; a member answers once with their token.

Rights: the union's chair and office staff (``can_manage_seats``, as for the members' register).

Anonymity (S5.2) is kept by ``answer_submit``: it reads no user, writes no event, no notification and no
log line, marks the token used with a compare-and-set (no time stored) and stores the answer with a random
key and the day only. The officers' actions do write events: they say who opened or closed a cycle, never
who answered."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone, translation

from core.models import Union, User
from core.selectors import union_access
from core.services.events import event_record
from workflows.memberpages.selectors import in_force_on
from workflows.members.models import Member
from workflows.members.services import keeps_register

from . import errors
from .models import (
    DEFAULT_THRESHOLD,
    RATINGS,
    QuestionKind,
    SurveyAnswer,
    SurveyAnswerItem,
    SurveyCycle,
    SurveyQuestion,
    SurveyStatus,
    SurveyToken,
)
from .questionnaire import DEFAULT_QUESTIONS
from .selectors import questions_of, token_by_clear, token_hash

TOKEN_BYTES = 18  # 24 url-safe characters


def union_today(union: Union) -> datetime.date:
    return timezone.localdate(timezone=union.tz)


def assert_manager(actor: User, union: Union) -> None:
    if not union_access(user=actor, union=union).can_manage_seats:
        raise PermissionDenied(errors.NOT_MANAGER)


def _locked(cycle: SurveyCycle) -> SurveyCycle:
    return SurveyCycle.objects.select_for_update().select_related("union").get(pk=cycle.pk)


# --- the cycle ------------------------------------------------------------------------------------------


def _check_dates(opens_on: datetime.date, closes_on: datetime.date) -> None:
    if closes_on < opens_on:
        raise ValidationError({"closes_on": errors.CLOSES_BEFORE_OPENING})


@transaction.atomic
def cycle_create(
    *,
    actor: User,
    union: Union,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    threshold_pct: Decimal = DEFAULT_THRESHOLD,
) -> SurveyCycle:
    """S5.2: a draft cycle with the default questionnaire copied in (in the site's language)."""
    assert_manager(actor, union)
    if not keeps_register(union):
        raise ValidationError(errors.NO_REGISTER)
    _check_dates(opens_on, closes_on)
    cycle = SurveyCycle(
        union=union,
        title=title.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        satisfied_threshold_pct=threshold_pct,
        created_by=actor,
        created_on=union_today(union),
    )
    cycle.full_clean()
    cycle.save()
    with translation.override(settings.LANGUAGE_CODE):
        SurveyQuestion.objects.bulk_create(
            SurveyQuestion(cycle=cycle, order=n, text=str(text), kind=kind, required=required)
            for n, (text, kind, required) in enumerate(DEFAULT_QUESTIONS, start=1)
        )
    event_record(verb="survey_created", actor=actor, subject=cycle, union=union)
    return cycle


@transaction.atomic
def cycle_update(
    *,
    actor: User,
    cycle: SurveyCycle,
    title: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    threshold_pct: Decimal,
    questions: list[tuple[str, str, bool]],
) -> SurveyCycle:
    """S5.2: while drafted, the title, the days, the threshold and the questions ((text, kind, required)
    in their order) are changed together. No answer exists yet, so the questions are replaced."""
    assert_manager(actor, cycle.union)
    cycle = _locked(cycle)
    if not cycle.is_draft:
        raise ValidationError(errors.NOT_DRAFT)
    _check_dates(opens_on, closes_on)
    if not any(kind == QuestionKind.RATING for _text, kind, _required in questions):
        raise ValidationError(errors.NO_QUESTIONS)
    cycle.title, cycle.opens_on, cycle.closes_on = title.strip(), opens_on, closes_on
    cycle.satisfied_threshold_pct = threshold_pct
    cycle.full_clean()
    cycle.save()
    SurveyQuestion.objects.filter(cycle=cycle).delete()
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(cycle=cycle, order=n, text=text.strip(), kind=kind, required=required)
        for n, (text, kind, required) in enumerate(questions, start=1)
    )
    event_record(verb="survey_edited", actor=actor, subject=cycle, union=cycle.union)
    return cycle


@dataclass(frozen=True)
class IssuedToken:
    """A token as issued: the clear token exists only here, for the printed slips (and the e-mail)."""

    member: Member
    token: str


def _issue(cycle: SurveyCycle, members: list[Member]) -> list[IssuedToken]:
    issued = [IssuedToken(member, secrets.token_urlsafe(TOKEN_BYTES)) for member in members]
    SurveyToken.objects.bulk_create(
        SurveyToken(cycle=cycle, member=item.member, token_hash=token_hash(item.token)) for item in issued
    )
    return issued


def _members_without_token(cycle: SurveyCycle, today: datetime.date) -> list[Member]:
    return list(
        Member.objects.filter(in_force_on(today), union_id=cycle.union_id)
        .exclude(pk__in=SurveyToken.objects.filter(cycle=cycle).values("member_id"))
        .order_by("member_number", "id")
    )


@transaction.atomic
def cycle_open(*, actor: User, cycle: SurveyCycle) -> list[IssuedToken]:
    """S5.2: the cycle opens and each member in force gets one token (the slips are printed from what this
    returns; only the tokens' hashes are kept)."""
    assert_manager(actor, cycle.union)
    cycle = _locked(cycle)
    if not cycle.is_draft:
        raise ValidationError(errors.ALREADY_OPEN)
    today = union_today(cycle.union)
    if cycle.closes_on < today:
        raise ValidationError({"closes_on": errors.CLOSES_IN_PAST})
    if not any(q.is_rating for q in questions_of(cycle)):
        raise ValidationError(errors.NO_QUESTIONS)
    members = _members_without_token(cycle, today)
    if not members:
        raise ValidationError(errors.NO_MEMBERS)
    cycle.status = SurveyStatus.OPEN
    cycle.opens_on = min(cycle.opens_on, today)
    cycle.save(update_fields=["status", "opens_on"])
    issued = _issue(cycle, members)
    event_record(
        verb="survey_opened",
        actor=actor,
        subject=cycle,
        union=cycle.union,
        from_state=SurveyStatus.DRAFT,
        to_state=SurveyStatus.OPEN,
        detail={"tokens": len(issued)},
    )
    return issued


@transaction.atomic
def tokens_issue_missing(*, actor: User, cycle: SurveyCycle) -> list[IssuedToken]:
    """S5.2: members who joined after the cycle opened get their token (one per member per cycle)."""
    assert_manager(actor, cycle.union)
    cycle = _locked(cycle)
    if not cycle.is_open:
        raise ValidationError(errors.NOT_OPEN)
    issued = _issue(cycle, _members_without_token(cycle, union_today(cycle.union)))
    if issued:
        event_record(
            verb="survey_tokens_issued",
            actor=actor,
            subject=cycle,
            union=cycle.union,
            detail={"tokens": len(issued)},
        )
    return issued


@transaction.atomic
def token_reissue(*, actor: User, cycle: SurveyCycle, member_id: int) -> IssuedToken:
    """S5.2: a member's lost slip is replaced: the unused token gets a new hash, so the old link stops
    working. A used token is never replaced (that would allow a second answer)."""
    assert_manager(actor, cycle.union)
    cycle = _locked(cycle)
    if not cycle.is_open:
        raise ValidationError(errors.NOT_OPEN)
    token = (
        SurveyToken.objects.select_for_update()
        .select_related("member")
        .filter(cycle=cycle, member_id=member_id)
        .first()
    )
    if token is None:
        raise ValidationError(errors.MEMBER_ELSEWHERE)
    if token.used:
        raise ValidationError(errors.MEMBER_ANSWERED)
    clear = secrets.token_urlsafe(TOKEN_BYTES)
    token.token_hash = token_hash(clear)
    token.save(update_fields=["token_hash"])
    event_record(verb="survey_token_replaced", actor=actor, subject=cycle, union=cycle.union)
    return IssuedToken(token.member, clear)


@transaction.atomic
def cycle_close(*, actor: User | None, cycle: SurveyCycle) -> SurveyCycle:
    """S5.2: no more answers; the results are final. ``actor`` None: the daily sweep after ``closes_on``."""
    if actor is not None:
        assert_manager(actor, cycle.union)
    cycle = _locked(cycle)
    if cycle.status == SurveyStatus.CLOSED:
        raise ValidationError(errors.ALREADY_CLOSED)
    if cycle.is_draft:
        raise ValidationError(errors.NOT_OPEN)
    cycle.status = SurveyStatus.CLOSED
    cycle.closed_on = union_today(cycle.union)
    cycle.save(update_fields=["status", "closed_on"])
    event_record(
        verb="survey_closed",
        actor=actor,
        subject=cycle,
        union=cycle.union,
        from_state=SurveyStatus.OPEN,
        to_state=SurveyStatus.CLOSED,
    )
    return cycle


def cycles_close_due() -> int:
    """Daily (beat): the open cycles whose ``closes_on`` has passed in their union's time zone are closed.
    Idempotent: a cycle closed meanwhile is skipped."""
    closed = 0
    candidates = SurveyCycle.objects.filter(
        status=SurveyStatus.OPEN, closes_on__lt=timezone.localdate() + datetime.timedelta(days=1)
    ).select_related("union")
    for cycle in candidates:
        if cycle.closes_on >= union_today(cycle.union):
            continue
        try:
            cycle_close(actor=None, cycle=cycle)
        except ValidationError:
            continue
        closed += 1
    return closed


@transaction.atomic
def reply_publish(*, actor: User, cycle: SurveyCycle, reply: str) -> SurveyCycle:
    """S5.2, S5.4: the union's reply to the findings, published on the members' page with the results.
    Published once the cycle is closed; publishing again replaces the text and the day."""
    assert_manager(actor, cycle.union)
    cycle = _locked(cycle)
    if cycle.status != SurveyStatus.CLOSED:
        raise ValidationError(errors.NOT_CLOSED)
    reply = (reply or "").strip()
    if not reply:
        raise ValidationError({"reply": errors.REPLY_EMPTY})
    cycle.reply = reply
    cycle.reply_published_on = union_today(cycle.union)
    cycle.full_clean()
    cycle.save(update_fields=["reply", "reply_published_on"])
    event_record(verb="survey_reply_published", actor=actor, subject=cycle, union=cycle.union)
    return cycle


# --- answering (anonymous) ------------------------------------------------------------------------------


def answer_problem(token: SurveyToken | None, *, today: datetime.date | None = None) -> str | None:
    """Why a token does not open the form, as the message to show, or None. "Used" is said only to the
    holder of the link, who knows already whether they answered."""
    if token is None:
        return str(errors.LINK_UNKNOWN)
    cycle = token.cycle
    today = today or union_today(cycle.union)
    if cycle.status == SurveyStatus.CLOSED or cycle.closes_on < today:
        return str(errors.SURVEY_CLOSED)
    if cycle.status != SurveyStatus.OPEN:
        return str(errors.SURVEY_NOT_OPEN)
    if token.used:
        return str(errors.LINK_USED)
    return None


def clean_answers(questions: list[SurveyQuestion], raw: dict[int, str]) -> dict[int, int | str]:
    """The answers by question id from what the form sent (``raw``: question id → text); the problems
    keyed ``q<id>`` so the page shows each beside its question."""
    found: dict[int, int | str] = {}
    problems: dict[str, list] = {}
    for question in questions:
        value = (raw.get(question.pk) or "").strip()
        if not value:
            if question.required:
                problems[f"q{question.pk}"] = [errors.ANSWER_REQUIRED]
            continue
        if question.kind == QuestionKind.RATING:
            if not value.isdigit() or int(value) not in RATINGS:
                problems[f"q{question.pk}"] = [errors.RATING_RANGE]
                continue
            found[question.pk] = int(value)
        else:
            found[question.pk] = value[:2000]
    if problems:
        raise ValidationError(problems)
    return found


def _cycle_open_for_answers(cycle_id: int, today: datetime.date) -> bool:
    """A share lock on the open cycle: answers go in side by side while closing waits for them, so no
    answer lands after the cycle closed."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {SurveyCycle._meta.db_table} WHERE id = %s AND status = %s AND closes_on >= %s "
            "FOR SHARE",
            [cycle_id, SurveyStatus.OPEN, today],
        )
        return cursor.fetchone() is not None


@transaction.atomic
def answer_submit(*, token: str, answers: dict[int, str]) -> SurveyAnswer:
    """S5.2: a member's answers with their one-time token. One transaction: the cycle must be open, the
    token is marked used by a compare-and-set (``used=false`` → ``true``: of two submissions of the same
    token exactly one wins), then the answer (random key, the day only) and its items are stored. Nothing
    joins them: no event, no notification, no time, no user."""
    found = token_by_clear(token)
    today = union_today(found.cycle.union) if found is not None else None
    problem = answer_problem(found, today=today)
    if problem is not None:
        raise ValidationError(problem)
    cleaned = clean_answers(questions_of(found.cycle), answers)
    if not _cycle_open_for_answers(found.cycle_id, today):
        raise ValidationError(errors.SURVEY_CLOSED)
    unused = SurveyToken.objects.filter(pk=found.pk, token_hash=found.token_hash, used=False)
    marked = unused.update(used=True)
    if marked != 1:
        raise ValidationError(errors.LINK_USED)  # used, or replaced, a moment ago
    answer = SurveyAnswer.objects.create(cycle_id=found.cycle_id, answered_on=today)
    SurveyAnswerItem.objects.bulk_create(
        SurveyAnswerItem(
            answer=answer,
            question_id=question_id,
            rating=value if isinstance(value, int) else None,
            text=value if isinstance(value, str) else "",
        )
        for question_id, value in cleaned.items()
    )
    return answer
