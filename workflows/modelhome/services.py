"""Writing the Model Workers' Home (S5.1, S5.2): the standard (adopted from the shipped text, edited while
a draft, published, copied to a new year), the union's self-evaluation and application, the department
union's review, the provincial organs union's evaluation and the title.

Who: the standard is kept by the provincial organs union's chair and office staff; an application is
prepared and sent by the applying union's chair and office staff (``can_manage_seats``, as the roster:
the creation is the union's own work, kept by those who keep its seats); the reviewing department union's
and the evaluating provincial union's chair and office staff decide. Refusals of what was typed are
ValidationErrors (keyed by field where there is one), a missing right is PermissionDenied. Every change
writes an event; each step tells the people who act next.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import Union, User
from core.selectors import union_access
from core.services.events import event_record
from notifications.models import Notification
from notifications.services import notifications_create_once
from workflows.members.services import managers_of

from . import errors, evidence, selectors
from .models import (
    EDITABLE_STATUSES,
    ApplicationStatus,
    Decision,
    HomeApplication,
    HomeCriterion,
    HomeReview,
    HomeScore,
    HomeTitle,
    Level,
    ReviewStage,
)
from .standards import standard_for


def _today(union: Union) -> datetime.date:
    return timezone.localdate(timezone=union.tz)


def _tell(people, *, union: Union, title: str, url: str, key: str) -> None:
    """One notice per person and occasion (a retried request creates none twice)."""
    notifications_create_once(
        [
            Notification(recipient_id=pk, union=union, title=title[:200], url=url, dedupe_key=key)
            for pk in set(people)
        ]
    )


# --- the self-evaluation and the application -------------------------------------------------------------


def prepares(actor: User, union: Union) -> bool:
    return union_access(user=actor, union=union).can_manage_seats


def _assert_preparer(actor: User, union: Union) -> None:
    if not prepares(actor, union):
        raise PermissionDenied(errors.NOT_APPLICANT)


@transaction.atomic
def application_create(
    *, actor: User, union: Union, level_sought: str = Level.PROVINCIAL, year: int | None = None
) -> HomeApplication:
    """S5.1: the union starts its self-evaluation against the year's standard, one score per criterion."""
    _assert_preparer(actor, union)
    if union.kind not in selectors.APPLICANT_KINDS:
        raise ValidationError(errors.NOT_APPLICANT_KIND)
    if level_sought not in Level.values:
        raise ValidationError({"level_sought": [errors.UNKNOWN_LEVEL]})
    year = year or _today(union).year
    standard = standard_for(union, year)
    application = HomeApplication(
        union=union, standard=standard, year=year, level_sought=level_sought, created_by=actor
    )
    application.full_clean()
    try:
        with transaction.atomic():  # of two started at once, the second is told
            application.save()
    except IntegrityError:
        raise ValidationError(errors.APPLICATION_OPEN, params={"year": year}) from None
    HomeScore.objects.bulk_create(
        HomeScore(application=application, criterion=c) for c in selectors.criteria_of(standard.pk)
    )
    event_record(
        verb="home_application_created",
        actor=actor,
        subject=application,
        union=union,
        to_state=application.status,
        detail={"year": year, "standard": standard.pk, "level": level_sought},
    )
    return application


def _locked(application: HomeApplication) -> HomeApplication:
    """The application locked (its row only) with its unions read, as it is now."""
    return (
        HomeApplication.objects.select_for_update(of=("self",))
        .select_related("union__parent", "standard__union", "reviewing_union")
        .get(pk=application.pk)
    )


def _locked_editable(actor: User, application: HomeApplication) -> HomeApplication:
    _assert_preparer(actor, application.union)
    locked = _locked(application)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(errors.NOT_EDITABLE)
    return locked


def _score_value(raw, criterion: HomeCriterion) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        value = Decimal(-1)
    if not (0 <= value <= criterion.points) or not value.is_finite():
        raise ValidationError(
            errors.SCORE_RANGE,
            params={"criterion": criterion.text[:30], "points": criterion.points.normalize()},
        )
    return value


@transaction.atomic
def scores_save(
    *, actor: User, application: HomeApplication, entries: dict[int, dict], summary: str | None = None
):
    """S5.2: the union's own score of each criterion with its note, evidence and linked plan tasks.
    ``entries`` maps criterion ids to {"self_score", "note", "evidence", "plan_items": [ids]}; problems are
    keyed ``score-<criterion id>`` and nothing is saved until all are right."""
    locked = _locked_editable(actor, application)
    scores = {
        s.criterion_id: s for s in HomeScore.objects.filter(application=locked).select_related("criterion")
    }
    allowed = {item.pk for item in selectors.plan_item_choices(locked.union, locked.year)}
    problems: dict[str, list] = {}
    plan_links: dict[int, list[int]] = {}
    for criterion_id, entry in entries.items():
        score = scores.get(criterion_id)
        if score is None:
            continue
        try:
            score.self_score = _score_value(entry.get("self_score"), score.criterion)
        except ValidationError as exc:
            problems.setdefault(f"score-{criterion_id}", []).append(exc)
        score.note = (entry.get("note") or "").strip()
        score.evidence = (entry.get("evidence") or "").strip()
        if "plan_items" in entry:
            wanted = [int(pk) for pk in entry["plan_items"]]
            if set(wanted) - allowed:
                problems.setdefault(f"score-{criterion_id}", []).append(errors.PLAN_ITEM_FOREIGN)
            plan_links[criterion_id] = wanted
    if problems:
        raise ValidationError(problems)
    HomeScore.objects.bulk_update(list(scores.values()), ["self_score", "note", "evidence"])
    for criterion_id, wanted in plan_links.items():
        scores[criterion_id].plan_items.set(wanted)
    if summary is not None:
        locked.summary = summary.strip()
        locked.save(update_fields=["summary"])
    event_record(verb="home_scores_saved", actor=actor, subject=locked, union=locked.union)
    return locked


def _managers(union_id: int) -> list[int]:
    return managers_of([union_id]).get(union_id, [])


@transaction.atomic
def application_submit(*, actor: User, application: HomeApplication) -> HomeApplication:
    """S5.2: the union applies. Refused while a required piece of evidence is missing (each named).
    It goes to the department union above for review, or straight to the provincial organs union when
    the union sits directly under it."""
    locked = _locked_editable(actor, application)
    report = evidence.evidence_report(locked)
    missing = [row for row in report.rows if row.required and not row.evidence.found]
    if missing:
        raise ValidationError(
            [
                ValidationError(
                    errors.EVIDENCE_MISSING,
                    params={"criterion": row.criterion.text, "how": row.criterion.how_evidenced},
                )
                for row in missing
            ]
        )
    reviewer = selectors.reviewing_union_of(locked.union)
    from_state = locked.status
    locked.reviewing_union = reviewer
    locked.status = ApplicationStatus.SUBMITTED if reviewer else ApplicationStatus.RECOMMENDED
    locked.submitted_on = _today(locked.union)
    locked.save(update_fields=["reviewing_union", "status", "submitted_on"])
    event_record(
        verb="home_application_submitted",
        actor=actor,
        subject=locked,
        union=locked.union,
        from_state=from_state,
        to_state=locked.status,
        detail={"reviewing_union": reviewer.pk if reviewer else None},
    )
    deciding = reviewer or locked.standard.union
    page = "modelhome:review" if reviewer else "modelhome:evaluate"
    _tell(
        _managers(deciding.pk),
        union=deciding,
        title=_("Model Workers' Home application of %(union)s awaits you") % {"union": locked.union.name},
        url=reverse(page, args=[locked.pk]),
        key=f"modelhome:{locked.pk}:submitted:{locked.submitted_on.isoformat()}:{_submissions(locked)}",
    )
    return locked


def _submissions(application: HomeApplication) -> int:
    return HomeReview.objects.filter(application=application).count()


# --- the review and the evaluation -----------------------------------------------------------------------


def reviews(actor: User, application: HomeApplication) -> bool:
    union = application.reviewing_union
    return union is not None and union_access(user=actor, union=union).can_manage_seats


def evaluates(actor: User, application: HomeApplication) -> bool:
    return union_access(user=actor, union=application.standard.union).can_manage_seats


def _record_review(
    *, application: HomeApplication, stage: str, union: Union, actor: User, decision: str, opinion: str
) -> HomeReview:
    review = HomeReview(
        application=application,
        stage=stage,
        union=union,
        reviewer=actor,
        decision=decision,
        opinion=opinion,
        decided_on=_today(union),
    )
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def application_review(
    *, actor: User, application: HomeApplication, decision: str, opinion: str = ""
) -> HomeApplication:
    """S5.2: the department union returns the application with its opinions (back to the union, editable)
    or recommends it to the provincial organs union."""
    locked = _locked(application)
    if locked.reviewing_union is None or locked.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(errors.NOT_UNDER_REVIEW)
    if not reviews(actor, locked):
        raise PermissionDenied(errors.NOT_REVIEWER % {"union": locked.reviewing_union.name})
    opinion = (opinion or "").strip()
    if decision not in (Decision.RETURNED, Decision.RECOMMENDED):
        raise ValidationError({"decision": [errors.UNKNOWN_DECISION]})
    if decision == Decision.RETURNED and not opinion:
        raise ValidationError({"opinion": [errors.OPINION_NEEDED]})
    reviewer_union = locked.reviewing_union
    review = _record_review(
        application=locked,
        stage=ReviewStage.DEPARTMENT,
        union=reviewer_union,
        actor=actor,
        decision=decision,
        opinion=opinion,
    )
    to_state = ApplicationStatus.RETURNED if decision == Decision.RETURNED else ApplicationStatus.RECOMMENDED
    _move(locked, actor=actor, to_state=to_state, verb=f"home_application_{decision}", review=review)
    if decision == Decision.RETURNED:
        _tell_applicant(locked, review)
    else:
        province = locked.standard.union
        _tell(
            _managers(province.pk),
            union=province,
            title=_("%(union)s is recommended for the Model Workers' Home") % {"union": locked.union.name},
            url=reverse("modelhome:evaluate", args=[locked.pk]),
            key=f"modelhome:{locked.pk}:review:{review.pk}",
        )
    return locked


def _move(application: HomeApplication, *, actor: User, to_state: str, verb: str, review: HomeReview) -> None:
    from_state = application.status
    application.status = to_state
    fields = ["status"]
    if to_state in (ApplicationStatus.AWARDED, ApplicationStatus.NOT_AWARDED):
        application.decided_on = review.decided_on
        fields.append("decided_on")
    application.save(update_fields=fields)
    event_record(
        verb=verb,
        actor=actor,
        subject=application,
        union=application.union,
        from_state=from_state,
        to_state=to_state,
        detail={"review": review.pk, "stage": review.stage, "by_union": review.union_id},
    )


def _tell_applicant(application: HomeApplication, review: HomeReview) -> None:
    _tell(
        _managers(application.union_id),
        union=application.union,
        title=_("Your Model Workers' Home application: %(decision)s")
        % {"decision": review.get_decision_display()},
        url=reverse("modelhome:application", args=[application.pk]),
        key=f"modelhome:{application.pk}:review:{review.pk}",
    )


@transaction.atomic
def application_evaluate(
    *, actor: User, application: HomeApplication, decision: str, level: str = "", opinion: str = ""
) -> HomeApplication:
    """S5.2: the provincial organs union awards the title (provincial, or recommended for the national
    one) or does not, with its opinion; a title is recorded with its year, level and re-examination year
    (the standard's ``reexamine_every_years`` later)."""
    locked = _locked(application)
    province = locked.standard.union
    if not evaluates(actor, locked):
        raise PermissionDenied(errors.NOT_EVALUATOR % {"union": province.name})
    if locked.status != ApplicationStatus.RECOMMENDED:
        raise ValidationError(errors.NOT_UNDER_EVALUATION)
    if decision not in (Decision.AWARDED, Decision.NOT_AWARDED):
        raise ValidationError({"decision": [errors.UNKNOWN_DECISION]})
    if decision == Decision.AWARDED and level not in Level.values:
        raise ValidationError({"level": [errors.UNKNOWN_LEVEL]})
    review = _record_review(
        application=locked,
        stage=ReviewStage.PROVINCIAL,
        union=province,
        actor=actor,
        decision=decision,
        opinion=(opinion or "").strip(),
    )
    _move(locked, actor=actor, to_state=decision, verb=f"home_application_{decision}", review=review)
    if decision == Decision.AWARDED:
        title = HomeTitle(
            union=locked.union,
            year=locked.year,
            level=level,
            awarded_by=province,
            application=locked,
            reexamine_in=locked.year + locked.standard.reexamine_every_years,
        )
        title.full_clean()
        title.save()
        event_record(
            verb="home_title_awarded",
            actor=actor,
            subject=title,
            union=locked.union,
            detail={"year": title.year, "level": level, "reexamine_in": title.reexamine_in},
        )
    _tell_applicant(locked, review)
    return locked
