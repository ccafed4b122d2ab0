"""Half-year budget execution analysis services (S3.4): start, save actuals (typed or imported
with workflows.budget.actuals), file with the union committee's note. Each writes an event."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import BodyKind, BodyUserObjectPermission, Role, Seat, Union, User
from core.selectors import union_access
from core.services.events import event_record
from core.services.statutory import obligation_meet
from core.statutory import ObligationCode
from notifications.services import notification_create
from workflows.budget.models import AccountKind, Budget, BudgetStatus

from . import errors
from .models import BudgetExecutionReview, ExecutionLine, ReviewStatus, period_end
from .selectors import ledger_paid


def may_file(*, user, union: Union) -> bool:
    """The union committee's recorders (chair, secretary, office staff on its behalf) file the analysis."""
    return BodyUserObjectPermission.objects.filter(
        user=user,
        content_object__union=union,
        content_object__kind=BodyKind.UNION_COMMITTEE,
        permission__codename="record_decision",
    ).exists()


def _lines_from(version) -> list[tuple[str, Decimal]]:
    return list(version.lines.order_by("account_id").values_list("account_id", "amount"))


@transaction.atomic
def review_create(*, actor: User, budget: Budget, period: str) -> BudgetExecutionReview:
    """Start the analysis of a period: one line per line of the budget version in force."""
    union = budget.union
    if not union_access(user=actor, union=union).can_draft:
        raise PermissionDenied(errors.NOT_DRAFTER)
    budget = Budget.objects.select_related("current_version").get(pk=budget.pk)
    if budget.status != BudgetStatus.IN_FORCE:
        raise ValidationError(
            errors.BUDGET_NOT_IN_FORCE, params={"budget": budget.title, "status": budget.get_status_display()}
        )
    review = BudgetExecutionReview(
        union=union,
        budget=budget,
        version=budget.current_version,
        fiscal_year=budget.year,
        period=period,
        prepared_by=actor,
    )
    review.full_clean(exclude=["union", "budget", "version", "prepared_by"], validate_constraints=False)
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError:
        raise ValidationError(
            errors.EXISTS,
            params={"union": union.name, "year": budget.year, "period": review.get_period_display()},
        ) from None
    ExecutionLine.objects.bulk_create(
        [
            ExecutionLine(review=review, account_id=code, budgeted=amount)
            for code, amount in _lines_from(review.version)
        ]
    )
    event_record(
        verb="execution_review_created",
        actor=actor,
        subject=review,
        union=union,
        to_state=ReviewStatus.DRAFT,
        detail={"year": budget.year, "period": period, "budget_version": review.version.number},
    )
    return review


@transaction.atomic
def review_save_actuals(
    *, actor: User, review: BudgetExecutionReview, actuals: dict[str, Decimal], source: str = "form"
) -> BudgetExecutionReview:
    """Record the actual amount per line (cumulative from 1 January). If an adjustment put a new budget
    version in force meanwhile, the lines follow it (S3.4: the budget in force is the yardstick)."""
    review = (
        BudgetExecutionReview.objects.select_for_update().select_related("union", "budget").get(pk=review.pk)
    )
    if not union_access(user=actor, union=review.union).can_draft:
        raise PermissionDenied(errors.NOT_DRAFTER)
    if review.is_filed:
        raise ValidationError(errors.FILED)
    in_force = review.budget.current_version_id
    if in_force != review.version_id:
        review.version_id = in_force
        review.lines.all().delete()
        ExecutionLine.objects.bulk_create(
            [
                ExecutionLine(review=review, account_id=code, budgeted=amount)
                for code, amount in _lines_from(review.budget.current_version)
            ]
        )
    lines = list(review.lines.all())
    for line in lines:
        if line.account_id in actuals:
            line.actual = actuals[line.account_id]
    ExecutionLine.objects.bulk_update(lines, ["actual"])
    review.actuals_saved_at = timezone.now()
    review.save(update_fields=["version", "actuals_saved_at"])
    event_record(
        verb="actuals_saved",
        actor=actor,
        subject=review,
        union=review.union,
        detail={
            "lines": len(actuals),
            "source": source,
            "budget_version": review.budget.current_version.number,
        },
    )
    return review


@transaction.atomic
def review_take_paid(*, actor: User, review: BudgetExecutionReview) -> BudgetExecutionReview:
    """Issue 26: the amounts paid through the expenditure ledger up to the period's end become the actual
    amounts of every expenditure line of the budget in force (a line nothing was paid from: 0). Income
    lines keep what was typed or imported; typing and importing stay for unions whose books are elsewhere."""
    review = BudgetExecutionReview.objects.select_related("union", "budget").get(pk=review.pk)
    if not union_access(user=actor, union=review.union).can_draft:
        raise PermissionDenied(errors.NOT_DRAFTER)
    if review.is_filed:
        raise ValidationError(errors.FILED)
    paid = ledger_paid(review=review)
    if not paid:
        end = period_end(review.fiscal_year, review.period)
        raise ValidationError(errors.LEDGER_EMPTY, params={"end": end.isoformat()})
    codes = review.budget.current_version.lines.filter(account__kind=AccountKind.EXPENDITURE).values_list(
        "account_id", flat=True
    )
    actuals = {code: paid.get(code, Decimal("0")) for code in codes}
    return review_save_actuals(actor=actor, review=review, actuals=actuals, source="ledger")


@transaction.atomic
def review_file(
    *, actor: User, review: BudgetExecutionReview, note: str, on: datetime.date | None = None
) -> BudgetExecutionReview:
    """The union committee files the analysis with its note: the half-year obligation is met (S3.4)
    and the analysis becomes visible to the upper-level union."""
    review = BudgetExecutionReview.objects.select_for_update().select_related("union").get(pk=review.pk)
    union = review.union
    if not may_file(user=actor, union=union):
        raise PermissionDenied(errors.NOT_COMMITTEE)
    if review.is_filed:
        raise ValidationError(errors.FILED)
    today = timezone.localtime(timezone.now(), union.tz).date()
    end = period_end(review.fiscal_year, review.period)
    problems: list[str] = []
    if today <= end:
        problems.append(
            str(
                errors.PERIOD_NOT_OVER
                % {"period": review.get_period_display(), "year": review.fiscal_year, "end": end.isoformat()}
            )
        )
    missing = review.lines.filter(actual__isnull=True).count()
    if missing:
        problems.append(str(errors.ACTUALS_MISSING % {"count": missing}))
    if not note.strip():
        problems.append(str(errors.NOTE_REQUIRED))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    review.note = note.strip()
    review.status = ReviewStatus.FILED
    review.filed_at = now
    review.filed_by = actor
    review.save(update_fields=["note", "status", "filed_at", "filed_by"])
    event_record(
        verb="execution_review_filed",
        actor=actor,
        subject=review,
        union=union,
        from_state=ReviewStatus.DRAFT,
        to_state=ReviewStatus.FILED,
        detail={"year": review.fiscal_year, "period": review.period},
    )
    obligation_meet(
        union=union,
        code=ObligationCode.EXECUTION_ANALYSIS,
        fiscal_year=review.fiscal_year,
        period=review.period,
        on=on or today,
        by=f"budgetexecutionreview:{review.pk}",
    )
    _tell_supervisors_above(review)
    return review


def _tell_supervisors_above(review: BudgetExecutionReview) -> None:
    """The supervisors of the upper-level union hear that an analysis reached them (once each)."""
    union = review.union
    if union.parent_id is None:
        return
    title = _("%(union)s filed its budget execution analysis: %(year)s %(period)s") % {
        "union": union.name,
        "year": review.fiscal_year,
        "period": review.get_period_display(),
    }
    url = reverse("execution:detail", args=[review.pk])
    seats = Seat.objects.in_force().filter(union_id=union.parent_id, role=Role.SUPERVISOR)
    for person in {s.person_id: s.person for s in seats.select_related("person")}.values():
        notification_create(
            recipient=person,
            title=title[:200],
            url=url,
            union=union,
            dedupe_key=f"execution-filed:{review.pk}",
        )
