"""The Model Workers' Home evaluation standard (S5.2): adopted from the shipped text, edited while a
draft, published, copied to a new year, kept by the provincial organs union's chair and office staff; the
published standard a union is measured against; titles awarded before Wuyi recorded from the province's
records."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import Union, UnionKind, User
from core.selectors import union_access
from core.services.events import event_record

from . import errors, selectors
from .models import (
    EvidenceSource,
    HomeCriterion,
    HomeDimension,
    HomeStandard,
    HomeTitle,
    Level,
    StandardStatus,
)

SHIPPED = Path(__file__).resolve().parent / "fixtures" / "model_home_standard.json"
TOTAL_WEIGHT = Decimal(100)


def shipped_standard() -> dict:
    """The shipped standard's text (S5.2), as the fixture has it."""
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def keeps_standard(actor: User, union: Union) -> bool:
    return union.kind == UnionKind.PROVINCIAL and union_access(user=actor, union=union).can_manage_seats


def _assert_keeper(actor: User, union: Union) -> None:
    if union.kind != UnionKind.PROVINCIAL:
        raise ValidationError(errors.NOT_PROVINCIAL)
    if not keeps_standard(actor, union):
        raise PermissionDenied(errors.NOT_STANDARD_KEEPER)


def _create_standard(
    *, union: Union, year: int, by: User, head: dict, dimensions: list[dict]
) -> HomeStandard:
    standard = HomeStandard(union=union, year=year, **head)
    standard.full_clean(exclude=["union"])
    try:
        with transaction.atomic():
            standard.save()
    except IntegrityError:
        raise ValidationError(
            {"year": [ValidationError(errors.STANDARD_EXISTS, params={"year": year})]}
        ) from None
    for d_order, spec in enumerate(dimensions, start=1):
        dimension = HomeDimension.objects.create(
            standard=standard,
            order=d_order,
            code=spec["code"],
            name=spec["name"],
            weight=Decimal(str(spec["weight"])),
        )
        HomeCriterion.objects.bulk_create(
            HomeCriterion(
                dimension=dimension,
                order=c_order,
                text=c["text"],
                points=Decimal(str(c["points"])),
                evidence_source=c.get("evidence_source", EvidenceSource.MANUAL),
                evidence_required=bool(c.get("evidence_required")),
                threshold_pct=None if c.get("threshold_pct") is None else Decimal(str(c["threshold_pct"])),
                how_evidenced=c.get("how_evidenced", ""),
            )
            for c_order, c in enumerate(spec["criteria"], start=1)
        )
    event_record(verb="home_standard_created", actor=by, subject=standard, union=union, detail={"year": year})
    return standard


@transaction.atomic
def standard_adopt_shipped(*, union: Union, year: int, by: User) -> HomeStandard:
    """S5.2: the provincial organs union adopts the shipped standard as its own for ``year``, a draft it
    edits before publishing."""
    _assert_keeper(by, union)
    data = shipped_standard()
    head = {
        "title": f"{data['title']}（{year}年）",
        "source": data["source"],
        "pass_score": Decimal(str(data["pass_score"])),
        "reexamine_every_years": data["reexamine_every_years"],
    }
    return _create_standard(union=union, year=year, by=by, head=head, dimensions=data["dimensions"])


@transaction.atomic
def standard_copy_to_year(*, standard: HomeStandard, year: int, by: User) -> HomeStandard:
    """A new year's version: a draft copy of ``standard`` (its dimensions and criteria as they stand)."""
    _assert_keeper(by, standard.union)
    dimensions = [
        {
            "code": d.code,
            "name": d.name,
            "weight": d.weight,
            "criteria": [
                {
                    "text": c.text,
                    "points": c.points,
                    "evidence_source": c.evidence_source,
                    "evidence_required": c.evidence_required,
                    "threshold_pct": c.threshold_pct,
                    "how_evidenced": c.how_evidenced,
                }
                for c in d.criteria.all()
            ],
        }
        for d in selectors.standard_with_criteria(standard)
    ]
    title = (
        standard.title.replace(str(standard.year), str(year))
        if str(standard.year) in standard.title
        else standard.title
    )
    head = {
        "title": title,
        "source": standard.source,
        "pass_score": standard.pass_score,
        "reexamine_every_years": standard.reexamine_every_years,
    }
    return _create_standard(union=standard.union, year=year, by=by, head=head, dimensions=dimensions)


def _locked_draft(standard: HomeStandard, by: User) -> HomeStandard:
    _assert_keeper(by, standard.union)
    locked = HomeStandard.objects.select_for_update().get(pk=standard.pk)
    if not locked.is_draft:
        raise ValidationError(errors.STANDARD_PUBLISHED)
    return locked


@transaction.atomic
def standard_update(
    *, standard: HomeStandard, by: User, head: dict, dimensions: dict[int, dict], criteria: dict[int, dict]
) -> HomeStandard:
    """The draft's own fields, its dimensions' names and weights, its criteria's texts, points, evidence
    and thresholds (S5.2: the standard is the provincial union's own text). ``dimensions`` and ``criteria``
    map their ids to the fields typed; ids of another standard are ignored."""
    locked = _locked_draft(standard, by)
    for name in ("title", "source", "pass_score", "reexamine_every_years"):
        if name in head:
            setattr(locked, name, head[name])
    locked.full_clean()
    locked.save()
    for dimension in HomeDimension.objects.filter(standard=locked, pk__in=list(dimensions)):
        for name, value in dimensions[dimension.pk].items():
            setattr(dimension, name, value)
        dimension.full_clean()
        dimension.save()
    for criterion in HomeCriterion.objects.filter(dimension__standard=locked, pk__in=list(criteria)):
        for name, value in criteria[criterion.pk].items():
            setattr(criterion, name, value)
        criterion.full_clean()
        criterion.save()
    event_record(verb="home_standard_changed", actor=by, subject=locked, union=locked.union)
    return locked


def standard_problems(standard: HomeStandard) -> list[str]:
    """What keeps a draft from being published: no criteria, weights not adding up to 100, a dimension
    whose criteria's points differ from its weight."""
    dimensions = selectors.standard_with_criteria(standard)
    problems = []
    if not any(d.criteria.all() for d in dimensions):
        problems.append(str(errors.STANDARD_EMPTY))
    total = sum((d.weight for d in dimensions), Decimal(0))
    if total != TOTAL_WEIGHT:
        problems.append(str(errors.STANDARD_WEIGHTS % {"total": total.normalize()}))
    for d in dimensions:
        points = sum((c.points for c in d.criteria.all()), Decimal(0))
        if points != d.weight:
            problems.append(
                str(
                    errors.DIMENSION_POINTS
                    % {"dimension": d.name, "points": points.normalize(), "weight": d.weight.normalize()}
                )
            )
    return problems


@transaction.atomic
def standard_publish(*, standard: HomeStandard, by: User) -> HomeStandard:
    """S5.2: the draft becomes the standard unions of the province are measured against for its year."""
    locked = _locked_draft(standard, by)
    problems = standard_problems(locked)
    if problems:
        raise ValidationError(problems)
    locked.status = StandardStatus.PUBLISHED
    locked.published_on = timezone.localdate(timezone=locked.union.tz)
    locked.save(update_fields=["status", "published_on"])
    event_record(
        verb="home_standard_published",
        actor=by,
        subject=locked,
        union=locked.union,
        from_state=StandardStatus.DRAFT,
        to_state=StandardStatus.PUBLISHED,
        detail={"year": locked.year},
    )
    return locked


def standard_for(union: Union, year: int) -> HomeStandard:
    """S5.2: the published standard of the union's provincial root for the year, or a clear refusal."""
    root = selectors.provincial_root(union)
    if root is None:
        raise ValidationError(errors.NO_PROVINCIAL_ROOT)
    standard = selectors.published_standard(root, year)
    if standard is None:
        raise ValidationError(errors.NO_STANDARD, params={"union": root.name, "year": year})
    return standard


@transaction.atomic
def title_record(*, actor: User, union: Union, year: int, level: str, awarded_by: Union) -> HomeTitle:
    """S5.2: a title awarded before Wuyi kept the evaluations (from the provincial organs union's
    records), by its keepers; re-examined after the years of that year's standard, else the default."""
    _assert_keeper(actor, awarded_by)
    if level not in Level.values:
        raise ValidationError({"level": [errors.UNKNOWN_LEVEL]})
    standard = HomeStandard.objects.filter(union=awarded_by, year=year).first()
    every = (
        standard.reexamine_every_years
        if standard
        else HomeStandard._meta.get_field("reexamine_every_years").default
    )
    title = HomeTitle(union=union, year=year, level=level, awarded_by=awarded_by, reexamine_in=year + every)
    title.full_clean()
    title.save()
    event_record(
        verb="home_title_recorded",
        actor=actor,
        subject=title,
        union=union,
        detail={"year": year, "level": level, "reexamine_in": title.reexamine_in},
    )
    return title
