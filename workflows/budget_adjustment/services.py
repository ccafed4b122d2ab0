"""Budget adjustment services (S3.4): start, edit lines, submit with the S3.1/S3.2 checks on the
adjusted totals, withdraw, put the adjusted version in force, and the 30 September window.

The window (``selectors.window_open``): an adjustment can be started, submitted and approved only
until 23:59:59 of the window's last day in the union's time zone. A refusal writes its event before
anything else happens, outside the refused action's transaction, so the event stays. An adjustment
still open when the window closes lapses: the beat sweep ``adjustments_lapse_due`` (or the first
refused attempt) cancels its process and work items.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core.models import Union, User
from core.selectors import union_access
from core.services.events import event_record
from core.services.statutory import obligation_meet
from core.statutory import Obligation
from notifications.models import SubjectKind
from notifications.services.reminders import reminders_schedule
from workflows.budget.diff import carryover_change, version_diff
from workflows.budget.models import Budget, BudgetLine, BudgetStatus, BudgetVersion
from workflows.budget.services import LineInput, budget_rule_errors, lines_write, validate_lines
from workflows.models import WorkItem, WorkItemState
from workflows.services.drafting import document_submit, document_withdraw, editable_by
from workflows.services.workitems import (
    DocumentBusy,
    process_lock,
    user_may_act,
    work_items_cancel_open,
)

from . import errors
from .flows import BudgetAdjustmentFlow
from .models import (
    COUNTED_STATUSES,
    OPEN_STATUSES,
    AdjustmentLine,
    AdjustmentStatus,
    AdjustmentVersion,
    BudgetAdjustment,
)
from .selectors import (
    WINDOW_CODE,
    EffectiveRule,
    adjustment_rule_for,
    final_body_for,
    window_closes_at,
    window_last_day,
    window_open,
    window_params,
    window_rule,
)

__all__ = [
    "LineInput",
    "adjustment_create",
    "adjustment_save_lines",
    "adjustment_submit",
    "adjustment_withdraw",
    "adjustments_lapse_due",
    # the reads the pages take from here too
    "adjustment_rule_for",
    "window_closes_at",
    "window_last_day",
    "window_open",
]


# --- refusals after the window (S3.4) -----------------------------------------------------------


def _refuse_late(*, adjustment: BudgetAdjustment, actor: User | None, verb: str, message, **extra) -> None:
    """Outside any transaction of the refused action: the refusal's event, the lapse, the message."""
    params = window_params(union=adjustment.union, year=adjustment.year)
    event_record(
        verb=verb,
        actor=actor,
        subject=adjustment,
        union=adjustment.union,
        from_state=adjustment.status,
        detail={"rule": "S3.4", "cutoff": params["cutoff"], "tz": params["tz"], "at": params["now"], **extra},
    )
    adjustment_lapse(adjustment=adjustment, actor=actor, cause=verb)
    raise ValidationError(message, params={**params, "document": adjustment.title})


# --- start ----------------------------------------------------------------------------------------


def adjustment_create(*, actor: User, budget: Budget, reason: str, title: str = "") -> BudgetAdjustment:
    """Start an adjustment of the budget in force: version 1 copies its lines and carries the reason.

    Refused after the window closes (S3.4; the refusal is an event on the budget), while another
    adjustment of the budget is open, and beyond the number a year the union's rules allow."""
    union = budget.union
    if not union_access(user=actor, union=union).can_draft:
        raise PermissionDenied(errors.NOT_DRAFTER)
    if not window_open(union=union, year=budget.year):
        params = window_params(union=union, year=budget.year)
        event_record(
            verb="adjustment_refused",
            actor=actor,
            subject=budget,
            union=union,
            detail={"rule": "S3.4", "cutoff": params["cutoff"], "tz": params["tz"], "at": params["now"]},
        )
        raise ValidationError(errors.WINDOW_CLOSED_START, params=params)
    if not reason.strip():
        raise ValidationError(errors.REASON_REQUIRED)
    return _adjustment_create(actor=actor, budget=budget, reason=reason.strip(), title=title)


@transaction.atomic
def _adjustment_create(*, actor: User, budget: Budget, reason: str, title: str) -> BudgetAdjustment:
    # Two drafters starting at once: the budget row serialises them (and the partial unique index).
    budget = (
        Budget.objects.select_for_update(of=("self",))
        .select_related("union", "current_version")
        .get(pk=budget.pk)
    )
    rule, sequence = _start_allowed(budget=budget)
    adjustment = BudgetAdjustment(
        union=budget.union,
        budget=budget,
        year=budget.year,
        sequence=sequence,
        title=title or f"{budget.union.name}{budget.year}年经费预算调整（第{sequence}次）",
        drafter=actor,
        base_version=budget.current_version,
        final_body=final_body_for(rule=rule, budget=budget),
    )
    adjustment.full_clean(exclude=["process", "current_version", "result_version"])
    try:
        with transaction.atomic():
            adjustment.save()
    except IntegrityError:
        raise ValidationError(errors.ONE_OPEN, params={"document": budget.title}) from None
    _first_version(actor=actor, adjustment=adjustment, reason=reason)
    _record_started(actor=actor, adjustment=adjustment, reason=reason)
    # The window obligation exists only once an adjustment is opened (rule "generated": False); it
    # comes before the flow so that the steps' due dates leave room before the window closes.
    _window_obligation_open(union=budget.union, year=budget.year)
    BudgetAdjustmentFlow.start.run(document=adjustment)
    adjustment.refresh_from_db()
    return adjustment


def _start_allowed(*, budget: Budget) -> tuple[EffectiveRule, int]:
    """The union's rule and the new adjustment's sequence number; refused unless the budget is in
    force, no other adjustment of it is open, and the year's allowance is not used up."""
    if budget.status != BudgetStatus.IN_FORCE:
        raise ValidationError(
            errors.BUDGET_NOT_IN_FORCE, params={"budget": budget.title, "status": budget.get_status_display()}
        )
    adjustments = BudgetAdjustment.objects.filter(budget=budget)
    still_open = adjustments.filter(status__in=OPEN_STATUSES).first()
    if still_open is not None:
        raise ValidationError(errors.ONE_OPEN, params={"document": still_open.title})
    rule = adjustment_rule_for(union=budget.union)
    made = adjustments.filter(status__in=COUNTED_STATUSES).count()
    if made >= rule.per_year:
        raise ValidationError(
            errors.PER_YEAR_REACHED, params={"year": budget.year, "count": made, "allowed": rule.per_year}
        )
    return rule, (adjustments.aggregate(n=Max("sequence"))["n"] or 0) + 1


def _first_version(*, actor: User, adjustment: BudgetAdjustment, reason: str) -> AdjustmentVersion:
    """Version 1: a copy of the base version's carryover and lines, with the reason."""
    base = adjustment.base_version
    version = AdjustmentVersion.objects.create(
        adjustment=adjustment,
        number=1,
        carryover=base.carryover,
        carryover_is_estimate=base.carryover_is_estimate,
        reason=reason,
        created_by=actor,
    )
    AdjustmentLine.objects.bulk_create(
        [
            AdjustmentLine(
                version=version, account_id=line.account_id, amount=line.amount, remark=line.remark
            )
            for line in base.lines.all()
        ]
    )
    adjustment.current_version = version
    adjustment.save(update_fields=["current_version"])
    return version


def _record_started(*, actor: User, adjustment: BudgetAdjustment, reason: str) -> None:
    """The start is an event on the adjustment and one on the budget it adjusts."""
    budget = adjustment.budget
    event_record(
        verb="adjustment_created",
        actor=actor,
        subject=adjustment,
        union=adjustment.union,
        to_state=AdjustmentStatus.DRAFT,
        detail={
            "year": budget.year,
            "sequence": adjustment.sequence,
            "base_version": adjustment.base_version.number,
            "reason": reason,
        },
    )
    event_record(
        verb="adjustment_started",
        actor=actor,
        subject=budget,
        union=adjustment.union,
        detail={"adjustment": adjustment.pk, "sequence": adjustment.sequence},
    )


def _window_obligation_open(*, union: Union, year: int) -> Obligation | None:
    rule = window_rule(union)
    if rule is not None and not rule.active:
        return None
    obligation, created = Obligation.objects.get_or_create(
        union=union,
        code=WINDOW_CODE,
        fiscal_year=year,
        period="",
        defaults={
            "due_date": window_last_day(union=union, year=year, rule=rule),
            "missed_after_days": rule.missed_after_days if rule is not None else 90,
        },
    )
    if created:
        reminders_schedule(subjects=[(SubjectKind.OBLIGATION, obligation.pk, union, obligation.due_date)])
    return obligation


# --- lines, checks, submit, withdraw --------------------------------------------------------------


def adjustment_editable_by(*, adjustment: BudgetAdjustment, user) -> bool:
    return editable_by(document=adjustment, user=user)


@transaction.atomic
def adjustment_save_lines(
    *,
    actor: User,
    adjustment: BudgetAdjustment,
    lines: list[LineInput],
    carryover: Decimal,
    carryover_is_estimate: bool,
    reason: str,
) -> AdjustmentVersion:
    """Replace the current version's lines and reason; a submitted version is kept and a new one made."""
    with process_lock(adjustment.process_id, document=adjustment):
        if not adjustment_editable_by(adjustment=adjustment, user=actor):
            raise PermissionDenied(errors.NOT_EDITABLE)
        if not reason.strip():
            raise ValidationError(errors.REASON_REQUIRED)
        accounts = validate_lines(lines)
        version = _version_to_edit(
            actor=actor,
            adjustment=adjustment,
            carryover=carryover,
            carryover_is_estimate=carryover_is_estimate,
            reason=reason.strip(),
        )
        lines_write(
            actor=actor,
            document=adjustment,
            version=version,
            line_model=AdjustmentLine,
            lines=lines,
            accounts=accounts,
        )
        return version


def _version_to_edit(
    *,
    actor: User,
    adjustment: BudgetAdjustment,
    carryover: Decimal,
    carryover_is_estimate: bool,
    reason: str,
) -> AdjustmentVersion:
    """The version that takes the new lines, without lines: a new one after a submission (the
    submitted one is kept), else the current one, its old lines removed."""
    version = adjustment.current_version
    if version.submitted_at is None:
        version.carryover = carryover
        version.carryover_is_estimate = carryover_is_estimate
        version.reason = reason
        version.full_clean(exclude=["adjustment", "created_by"])
        version.save()
        version.lines.all().delete()
        return version
    version = AdjustmentVersion.objects.create(
        adjustment=adjustment,
        number=version.number + 1,
        carryover=carryover,
        carryover_is_estimate=carryover_is_estimate,
        reason=reason,
        created_by=actor,
    )
    adjustment.current_version = version
    adjustment.save(update_fields=["current_version"])
    event_record(
        verb="version_created",
        actor=actor,
        subject=adjustment,
        union=adjustment.union,
        detail={"version": version.number},
    )
    return version


def adjustment_rule_errors(*, adjustment: BudgetAdjustment) -> list[str]:
    """The budget's S3.1/S3.2 checks on the adjusted totals, a reason, and at least one change."""
    version = adjustment.current_version
    problems = budget_rule_errors(version=version)
    if not version.reason.strip():
        problems.append(str(errors.REASON_REQUIRED))
    changed = any(c.change != "same" for c in version_diff(adjustment.base_version, version))
    if not changed and carryover_change(adjustment.base_version, version).change == "same":
        problems.append(str(errors.NO_CHANGE))
    return problems


def adjustment_submit(*, actor: User, adjustment: BudgetAdjustment) -> BudgetAdjustment:
    """The drafter submits (first time, or after a revision): S3.1/S3.2 on the adjusted totals first.
    After the window closes the submission is refused and the adjustment lapses (S3.4)."""
    adjustment = BudgetAdjustment.objects.select_related("union", "process").get(pk=adjustment.pk)
    if not adjustment_editable_by(adjustment=adjustment, user=actor):
        raise PermissionDenied(errors.NOT_EDITABLE)
    if not window_open(union=adjustment.union, year=adjustment.year):
        _refuse_late(
            adjustment=adjustment, actor=actor, verb="submit_refused", message=errors.WINDOW_CLOSED_SUBMIT
        )
    # No outer transaction: process_lock opens it (a NOWAIT lock failure then retries cleanly).
    return document_submit(
        actor=actor,
        document=adjustment,
        rule_errors=lambda: adjustment_rule_errors(adjustment=adjustment),
        solicits=False,
    )


def adjustment_withdraw(*, actor: User, adjustment: BudgetAdjustment, reason: str = "") -> BudgetAdjustment:
    """The initiator withdraws before the first decision of a body."""
    document_withdraw(
        actor=actor, document=adjustment, reason=reason, not_withdrawable=errors.NOT_WITHDRAWABLE
    )
    return adjustment


# --- decisions: the window guard, the approval --------------------------------------------------


def adjustment_decision_check(*, work_item: WorkItem, actor: User) -> None:
    """Run before a body's decision is recorded (workflows.documents.decision_check): after the window
    closes the decision is refused with an event, and the adjustment lapses (S3.4)."""
    if work_item.state != WorkItemState.OPEN or not user_may_act(user=actor, work_item=work_item):
        return  # the decision service reports these itself
    adjustment = BudgetAdjustment.objects.select_related("union", "process").get(pk=work_item.document_id)
    if window_open(union=adjustment.union, year=adjustment.year):
        return
    _refuse_late(
        adjustment=adjustment,
        actor=actor,
        verb="decision_refused",
        message=errors.WINDOW_CLOSED_DECISION,
        step=work_item.step,
    )


def adjustment_put_in_force(*, adjustment: BudgetAdjustment) -> BudgetVersion:
    """Function node after the last body approves: the adjusted lines become a new version of the
    budget, and the budget's version in force (``current_version``) points at it. The original
    version stays, so both are readable on the budget's page (S3.4)."""
    adjustment = BudgetAdjustment.objects.select_related("union", "current_version").get(pk=adjustment.pk)
    union = adjustment.union
    if not window_open(union=union, year=adjustment.year):
        # The decision check refuses before this; a decision slipping past it must not take effect.
        raise ValidationError(
            errors.WINDOW_CLOSED_DECISION,
            params={**window_params(union=union, year=adjustment.year), "document": adjustment.title},
        )
    budget = (
        Budget.objects.select_for_update(of=("self",))
        .select_related("current_version")
        .get(pk=adjustment.budget_id)
    )
    now = timezone.now()
    version = _budget_version_from(adjustment=adjustment, budget=budget, now=now)
    previous_version = budget.current_version
    budget.current_version = version
    budget.save(update_fields=["current_version"])
    previous = adjustment.status
    adjustment.status = AdjustmentStatus.IN_FORCE
    adjustment.in_force_since = now
    adjustment.result_version = version
    adjustment.save(update_fields=["status", "in_force_since", "result_version"])
    _record_in_force(
        adjustment=adjustment, budget=budget, previous=previous, previous_version=previous_version
    )
    # The window served its purpose: an adjustment was approved within it.
    obligation_meet(
        union=union, code=WINDOW_CODE, fiscal_year=adjustment.year, by=f"budgetadjustment:{adjustment.pk}"
    )
    return version


def _budget_version_from(
    *, adjustment: BudgetAdjustment, budget: Budget, now: datetime.datetime
) -> BudgetVersion:
    """The budget's next version: a copy of the adjustment's current version, submitted at ``now``."""
    source = adjustment.current_version
    number = (budget.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = BudgetVersion.objects.create(
        budget=budget,
        number=number,
        carryover=source.carryover,
        carryover_is_estimate=source.carryover_is_estimate,
        note=f"预算调整（第{adjustment.sequence}次）：{source.reason}"[:5000],
        created_by=adjustment.drafter,
        submitted_at=now,
    )
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(version=version, account_id=line.account_id, amount=line.amount, remark=line.remark)
            for line in source.lines.all()
        ]
    )
    return version


def _record_in_force(
    *,
    adjustment: BudgetAdjustment,
    budget: Budget,
    previous: str,
    previous_version: BudgetVersion | None,
) -> None:
    """The adjustment is in force, and the budget was adjusted: an event on each."""
    version = adjustment.result_version
    event_record(
        verb="in_force",
        subject=adjustment,
        union=adjustment.union,
        from_state=previous,
        to_state=AdjustmentStatus.IN_FORCE,
        detail={"version": adjustment.current_version.number, "budget_version": version.number},
    )
    event_record(
        verb="adjusted",
        subject=budget,
        union=adjustment.union,
        detail={
            "adjustment": adjustment.pk,
            "from_version": previous_version.number if previous_version else None,
            "to_version": version.number,
        },
    )


# --- the lapse ------------------------------------------------------------------------------------


def adjustment_lapse(
    *, adjustment: BudgetAdjustment, actor: User | None = None, cause: str = "window_closed", now=None
) -> bool:
    """Close an adjustment still open after the window: cancel its process and work items, with an
    event saying so. Idempotent (re-read under the process lock). Returns True when this call lapsed it."""
    moment = now or timezone.now()
    with process_lock(adjustment.process_id):
        adjustment = BudgetAdjustment.objects.select_related("union", "process").get(pk=adjustment.pk)
        if adjustment.status not in OPEN_STATUSES:
            return False
        if window_open(union=adjustment.union, year=adjustment.year, now=moment):
            return False
        canceled = work_items_cancel_open(process=adjustment.process)
        process = adjustment.process
        process.status = "CANCELED"
        process.finished = moment
        process.save(update_fields=["status", "finished"])
        previous = adjustment.status
        adjustment.status = AdjustmentStatus.LAPSED
        adjustment.lapsed_at = moment
        adjustment.save(update_fields=["status", "lapsed_at"])
        params = window_params(union=adjustment.union, year=adjustment.year, now=moment)
        event_record(
            verb="lapsed",
            actor=actor,
            subject=adjustment,
            union=adjustment.union,
            from_state=previous,
            to_state=AdjustmentStatus.LAPSED,
            detail={
                "rule": "S3.4",
                "cause": cause,
                "cutoff": params["cutoff"],
                "tz": params["tz"],
                "canceled_tasks": canceled,
                "message": (
                    f"未在{params['cutoff']}（{params['tz']}）前批准，预算调整已失效，流程及待办已取消。"
                ),
            },
        )
        event_record(
            verb="adjustment_lapsed",
            actor=actor,
            subject=adjustment.budget,
            union=adjustment.union,
            detail={"adjustment": adjustment.pk},
        )
    return True


def adjustments_lapse_due(*, now: datetime.datetime | None = None) -> int:
    """Beat sweep: every adjustment still open after its window lapses. The database is the truth: a
    second run (or a second beat) finds nothing open and changes nothing."""
    moment = now or timezone.now()
    year = timezone.localtime(moment).year
    lapsed = 0
    candidates = (
        BudgetAdjustment.objects.filter(status__in=OPEN_STATUSES, year__lte=year)
        .select_related("union", "process")
        .order_by("id")
    )
    for adjustment in candidates:
        if window_open(union=adjustment.union, year=adjustment.year, now=moment):
            continue
        try:
            if adjustment_lapse(adjustment=adjustment, cause="sweep", now=moment):
                lapsed += 1
        except DocumentBusy:
            continue  # someone acts on it right now; the next sweep takes it
    return lapsed
