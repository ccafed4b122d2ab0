"""Annual plan services: create, save sections and items (new version after submission), the S2.1
check, submit, withdraw, and the owners' progress on the plan in force (S2.3 execution)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Union, User
from core.selectors import union_access
from core.services.events import event_record
from workflows import errors
from workflows.services.drafting import (
    Recipient,
    document_submit,
    document_withdraw,
    editable_by,
)
from workflows.services.workitems import process_lock

from .flows import AnnualPlanFlow
from .models import (
    AnnualPlan,
    DutyArea,
    PlanItem,
    PlanProgress,
    PlanReview,
    PlanSection,
    PlanStatus,
    PlanVersion,
)

__all__ = [
    "ItemInput",
    "Recipient",
    "SectionInput",
    "plan_create",
    "plan_save",
    "plan_submit",
    "plan_withdraw",
]


# S1.2: the Party document's reference on a plan item (PlanItem.party_reference's length)
PARTY_REFERENCE_MAX = 100
PARTY_REFERENCE_TOO_LONG = _("The Party document reference of “%(title)s” is longer than %(max)s characters.")


@dataclass(frozen=True)
class ItemInput:
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    owner: User | None = None
    owner_text: str = ""
    key: str = ""
    # S1.2 planning together: deployed together with Party building, and the Party document's reference
    with_party: bool = False
    party_reference: str = ""


@dataclass(frozen=True)
class SectionInput:
    area: str
    items: list[ItemInput] = field(default_factory=list)
    empty_reason: str = ""


def plan_rule_errors(*, version: PlanVersion) -> list[str]:
    """S2.1: every one of the seven duty areas has items, or a written reason why not."""
    sections = {s.area: s for s in version.sections.prefetch_related("items")}
    problems = []
    for area in DutyArea:
        section = sections.get(area.value)
        if section is None or (not section.items.all() and not section.empty_reason.strip()):
            problems.append(str(errors.PLAN_AREA_EMPTY % {"area": area.label}))
    return problems


@transaction.atomic
def plan_create(*, actor: User, union: Union, year: int, foreword: str = "") -> AnnualPlan:
    if not union_access(user=actor, union=union).can_draft:
        raise PermissionDenied(errors.NOT_YOUR_TASK)
    existing = AnnualPlan.objects.filter(union=union, year=year).exclude(status=PlanStatus.WITHDRAWN).first()
    if existing is not None:
        raise ValidationError(
            errors.PLAN_EXISTS,
            params={"union": union.name, "year": year, "status": existing.get_status_display()},
        )
    plan = AnnualPlan(union=union, year=year, title=f"{union.name}{year}年度工作计划", drafter=actor)
    plan.full_clean(exclude=["process", "current_version"])
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError:
        raise ValidationError(
            errors.PLAN_EXISTS, params={"union": union.name, "year": year, "status": "—"}
        ) from None
    version = PlanVersion.objects.create(plan=plan, number=1, foreword=foreword, created_by=actor)
    PlanSection.objects.bulk_create([PlanSection(version=version, area=area) for area in DutyArea.values])
    plan.current_version = version
    plan.save(update_fields=["current_version"])
    event_record(
        verb="plan_created",
        actor=actor,
        subject=plan,
        union=union,
        to_state=PlanStatus.DRAFT,
        detail={"year": year},
    )
    AnnualPlanFlow.start.run(document=plan)
    plan.refresh_from_db()
    return plan


@transaction.atomic
def plan_save(
    *, actor: User, plan: AnnualPlan, sections: list[SectionInput], foreword: str = ""
) -> PlanVersion:
    """Replace the current version's sections; once submitted, an edit makes a new version."""
    with process_lock(plan.process_id, document=plan):
        if not editable_by(document=plan, user=actor):
            raise PermissionDenied(errors.PLAN_NOT_EDITABLE)
        problems = _section_problems(sections)
        if problems:
            raise ValidationError(problems)
        version = plan.current_version
        if version.submitted_at is not None:
            version = PlanVersion.objects.create(
                plan=plan, number=version.number + 1, foreword=foreword, created_by=actor
            )
            plan.current_version = version
            plan.save(update_fields=["current_version"])
            event_record(
                verb="version_created",
                actor=actor,
                subject=plan,
                union=plan.union,
                detail={"version": version.number},
            )
        else:
            version.foreword = foreword
            version.save(update_fields=["foreword"])
            version.sections.all().delete()
        _sections_write(version=version, sections=sections)
        event_record(
            verb="plan_saved",
            actor=actor,
            subject=plan,
            union=plan.union,
            detail={"version": version.number, "items": sum(len(s.items) for s in sections)},
        )
        return version


def _section_problems(sections: list[SectionInput]) -> list[str]:
    """Each section is a duty area; each item has a title and ends no earlier than it starts."""
    problems = []
    for section in sections:
        if section.area not in DutyArea.values:
            problems.append(str(errors.PLAN_UNKNOWN_AREA % {"area": section.area}))
        for item in section.items:
            if item.ends_on < item.starts_on:
                problems.append(str(errors.PLAN_ITEM_DATES % {"title": item.title}))
            if not item.title.strip():
                problems.append(str(errors.PLAN_ITEM_TITLE))
            if len(item.party_reference.strip()) > PARTY_REFERENCE_MAX:
                problems.append(
                    str(PARTY_REFERENCE_TOO_LONG % {"title": item.title, "max": PARTY_REFERENCE_MAX})
                )
    return problems


def _sections_write(*, version: PlanVersion, sections: list[SectionInput]) -> None:
    """The sections and their items, on a version that has none. An item keeps its key across
    versions (progress is recorded against it); a new item gets one."""
    for section in sections:
        row = PlanSection.objects.create(
            version=version, area=section.area, empty_reason=section.empty_reason.strip()
        )
        PlanItem.objects.bulk_create(
            [
                PlanItem(
                    section=row,
                    title=item.title.strip(),
                    owner=item.owner,
                    owner_text=item.owner_text,
                    starts_on=item.starts_on,
                    ends_on=item.ends_on,
                    key=item.key or uuid.uuid4().hex,
                    with_party=item.with_party,
                    party_reference=item.party_reference.strip(),
                )
                for item in section.items
            ]
        )


def plan_submit(
    *,
    actor: User,
    plan: AnnualPlan,
    recipients: list[Recipient] | None = None,
    due_at: datetime.datetime | None = None,
) -> AnnualPlan:
    return document_submit(
        actor=actor,
        document=plan,
        rule_errors=lambda: plan_rule_errors(version=plan.current_version),
        recipients=recipients,
        due_at=due_at,
    )


@transaction.atomic
def plan_withdraw(*, actor: User, plan: AnnualPlan, reason: str = "") -> AnnualPlan:
    document_withdraw(
        actor=actor, document=plan, reason=reason, not_withdrawable=errors.PLAN_NOT_WITHDRAWABLE
    )
    return plan


@transaction.atomic
def plan_progress_record(
    *, actor: User, plan: AnnualPlan, item: PlanItem, state: str, percent: int, note: str = ""
) -> PlanProgress:
    """S2.3: an item's owner (or an officer of the union) records progress on the plan in force."""
    if plan.status != PlanStatus.IN_FORCE or item.section.version_id != plan.current_version_id:
        raise ValidationError(errors.PLAN_NOT_IN_FORCE)
    if item.owner_id != actor.pk and not union_access(user=actor, union=plan.union).is_officer:
        raise PermissionDenied(errors.NOT_YOUR_TASK)
    progress = PlanProgress(
        plan=plan, item_key=item.key, state=state, percent=percent, note=note, recorded_by=actor
    )
    progress.full_clean(exclude=["plan", "recorded_by"])
    progress.save()
    event_record(
        verb="progress_recorded",
        actor=actor,
        subject=plan,
        union=plan.union,
        detail={"item": item.title, "state": state, "percent": percent},
    )
    return progress


def item_indicator(item: PlanItem, latest: PlanProgress | None, today: datetime.date) -> str:
    """S2.3: done; slipping when the timetable has passed and it is not done (or its owner says so)."""
    if latest is not None and latest.state == "done":
        return "done"
    if item.ends_on < today or (latest is not None and latest.state == "slipping"):
        return "slipping"
    return "on_time"


def review_period(*, plan: AnnualPlan, day: datetime.date) -> str:
    """The review period a day falls in, by the plan's cadence: 2027-Q1 … for quarterly reviews."""
    months = plan.review_every_months
    number = (day.month - 1) // months + 1
    prefix = "Q" if months == 3 else ("H" if months == 6 else "P")
    return f"{day.year}-{prefix}{number}" if months != 12 else str(day.year)


def reviews_due(*, plan: AnnualPlan, today: datetime.date | None = None) -> list[str]:
    """Periods of the plan year that have ended without a review."""
    day = today or timezone.localdate()
    if plan.status != PlanStatus.IN_FORCE:
        return []
    done = set(plan.reviews.values_list("period", flat=True))
    due = []
    months = plan.review_every_months
    for start_month in range(1, 13, months):
        end_month = min(start_month + months - 1, 12)
        end = datetime.date(plan.year, end_month, 1) + datetime.timedelta(days=32)
        end = end.replace(day=1) - datetime.timedelta(days=1)
        period = review_period(plan=plan, day=datetime.date(plan.year, start_month, 1))
        if end < day and period not in done:
            due.append(period)
    return due


@transaction.atomic
def plan_review_record(
    *, actor: User, plan: AnnualPlan, held_on: datetime.date, note: str = ""
) -> PlanReview:
    """Officers review the execution: each task of the plan in force as done, on time or slipping."""
    if not union_access(user=actor, union=plan.union).is_officer:
        raise PermissionDenied(errors.NOT_YOUR_TASK)
    if plan.status != PlanStatus.IN_FORCE:
        raise ValidationError(errors.PLAN_NOT_IN_FORCE)
    latest: dict[str, PlanProgress] = {}
    for progress in PlanProgress.objects.filter(plan=plan):
        latest.setdefault(progress.item_key, progress)  # newest first
    groups: dict[str, list[str]] = {"done": [], "on_time": [], "slipping": []}
    items = PlanItem.objects.filter(section__version=plan.current_version).order_by("ends_on", "id")
    for item in items:
        groups[item_indicator(item, latest.get(item.key), held_on)].append(item.title)
    period = review_period(plan=plan, day=held_on)
    if PlanReview.objects.filter(plan=plan, period=period).exists():
        raise ValidationError(errors.PLAN_REVIEW_EXISTS, params={"period": period})
    review = PlanReview.objects.create(
        plan=plan, period=period, held_on=held_on, note=note.strip(), recorded_by=actor, **groups
    )
    event_record(
        verb="plan_reviewed",
        actor=actor,
        subject=plan,
        union=plan.union,
        detail={"period": period, **{k: len(v) for k, v in groups.items()}},
    )
    return review
