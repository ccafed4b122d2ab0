"""Reading the Model Workers' Home (S5.1, S5.2): the standard a union is measured against, its
applications and titles, the titles of many unions at once (oversight, the union's page) and the
applications awaiting a reviewing or evaluating union."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Prefetch, Q, QuerySet

from core.models import Union, UnionKind
from core.selectors import union_ancestor_chain
from workflows.plan.models import PlanItem, PlanStatus

from .models import (
    OPEN_STATUSES,
    ApplicationStatus,
    HomeApplication,
    HomeCriterion,
    HomeDimension,
    HomeScore,
    HomeStandard,
    HomeTitle,
    StandardStatus,
)

APPLICANT_KINDS = (UnionKind.GRASSROOTS, UnionKind.DEPARTMENT)


def provincial_root(union: Union) -> Union | None:
    """The provincial organs union at the top of the union's tree (the union itself if it is one); one
    query."""
    if union.kind == UnionKind.PROVINCIAL:
        return union
    return next((u for u in union_ancestor_chain(union=union) if u.kind == UnionKind.PROVINCIAL), None)


def reviewing_union_of(union: Union) -> Union | None:
    """S5.2: the department union that reviews the union's application: its upper union when that is a
    department organ union; none when the union sits directly under the provincial organs union (its
    application goes straight to evaluation)."""
    parent = union.parent
    if parent is not None and parent.kind == UnionKind.DEPARTMENT:
        return parent
    return None


def published_standard(root: Union, year: int) -> HomeStandard | None:
    return HomeStandard.objects.filter(union=root, year=year, status=StandardStatus.PUBLISHED).first()


def standards_of(union: Union) -> QuerySet[HomeStandard]:
    return HomeStandard.objects.filter(union=union).order_by("-year")


def standard_with_criteria(standard: HomeStandard) -> list[HomeDimension]:
    """The standard's dimensions, each with its criteria (two queries)."""
    return list(
        HomeDimension.objects.filter(standard=standard)
        .order_by("order", "id")
        .prefetch_related(Prefetch("criteria", queryset=HomeCriterion.objects.order_by("order", "id")))
    )


def criteria_of(standard_id: int) -> list[HomeCriterion]:
    return list(
        HomeCriterion.objects.filter(dimension__standard_id=standard_id)
        .select_related("dimension")
        .order_by("dimension__order", "dimension_id", "order", "id")
    )


def applications_of(union: Union) -> QuerySet[HomeApplication]:
    return HomeApplication.objects.filter(union=union).select_related("standard").order_by("-year", "-id")


def open_application(union: Union, year: int) -> HomeApplication | None:
    return HomeApplication.objects.filter(union=union, year=year, status__in=OPEN_STATUSES).first()


def application_with_unions(pk: int) -> HomeApplication | None:
    return (
        HomeApplication.objects.filter(pk=pk)
        .select_related("union__parent", "standard__union", "reviewing_union")
        .first()
    )


def scores_of(application: HomeApplication) -> list[HomeScore]:
    """The application's scores in the standard's order, each with its criterion, dimension and the
    plan tasks linked (two queries)."""
    return list(
        HomeScore.objects.filter(application=application)
        .select_related("criterion__dimension")
        .prefetch_related("plan_items")
        .order_by(
            "criterion__dimension__order", "criterion__dimension_id", "criterion__order", "criterion_id"
        )
    )


def reviews_of(application: HomeApplication):
    return application.reviews.select_related("union", "reviewer").order_by("recorded_at", "id")


def titles_of(union_ids: Iterable[int]) -> dict[int, list[HomeTitle]]:
    """S5.2: {union id: its titles not revoked, newest first}; one query whatever the number of unions."""
    found: dict[int, list[HomeTitle]] = {}
    rows = HomeTitle.objects.filter(union_id__in=list(union_ids), revoked=False).order_by(
        "union_id", "-year", "-id"
    )
    for title in rows:
        found.setdefault(title.union_id, []).append(title)
    return found


def titles_in(scope_q: Q) -> list[HomeTitle]:
    """The titles not revoked of the unions a predicate on ``union_id`` picks (oversight), with their union;
    one query."""
    return list(
        HomeTitle.objects.filter(scope_q, revoked=False)
        .select_related("union")
        .order_by("reexamine_in", "union__name", "-year", "id")
    )


def applications_awaiting(union_ids: Iterable[int]) -> list[HomeApplication]:
    """S5.2: the applications awaiting one of ``union_ids``: under review by it (a department union) or
    under evaluation by it (the standard's issuer); one query."""
    ids = list(union_ids)
    return list(
        HomeApplication.objects.filter(
            Q(status=ApplicationStatus.SUBMITTED, reviewing_union_id__in=ids)
            | Q(status=ApplicationStatus.RECOMMENDED, standard__union_id__in=ids)
        )
        .select_related("union")
        .order_by("submitted_on", "id")
    )


def evidence_years(year: int) -> list[int]:
    """The years whose budget and plan evidence an application of ``year``: its own, and the next one's
    adopted in advance (an application made late in the year)."""
    return [year, year + 1]


def plan_item_choices(union: Union, year: int) -> list[PlanItem]:
    """S5.1: the tasks of the union's annual plans of the year and the next (their current versions),
    for linking to a criterion ("a plan task can be linked to a criterion"); one query."""
    return list(
        PlanItem.objects.filter(
            section__version__plan__union=union,
            section__version__plan__year__in=evidence_years(year),
            section__version__plan__current_version_id=F("section__version_id"),
        )
        .exclude(section__version__plan__status=PlanStatus.WITHDRAWN)
        .select_related("section__version__plan")
        .order_by("section__version__plan__year", "starts_on", "id")
    )
