"""Reading the Party organisation's catalogue, requests, hearings and action items (S1.1–S1.3)."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from core.models import Body, BodyKind, Seat, Union
from workflows import registry

from .models import (
    ActionItem,
    CatalogueItem,
    Hearing,
    HearingStatus,
    InstructionRequest,
    Reply,
    RequestStatus,
)

OPEN_REQUEST = [
    RequestStatus.DRAFT,
    RequestStatus.CHAIR_SIGN,
    RequestStatus.AWAITING_REPLY,
    RequestStatus.RETURNED,
]


def catalogue_for(union: Union) -> list[CatalogueItem]:
    """S1.3, rules as data: per matter the nearest row wins — the union's own, its department union's,
    the provincial default. Items switched off by the nearest row are left out."""
    scopes = [pk for pk in (union.pk, union.parent_id) if pk is not None]
    rows = CatalogueItem.objects.filter(Q(union__isnull=True) | Q(union_id__in=scopes))
    rank = {union.pk: 0, union.parent_id: 1, None: 2}
    nearest: dict[str, CatalogueItem] = {}
    for row in sorted(rows, key=lambda r: (rank[r.union_id], r.pk)):
        nearest.setdefault(row.matter, row)
    return sorted((r for r in nearest.values() if r.active), key=lambda r: (r.matter, r.pk))


def catalogue_item_for(union: Union, matter: str) -> CatalogueItem | None:
    return next((r for r in catalogue_for(union) if r.matter == matter), None)


def covering_kinds(matter: str) -> list[registry.DocumentKind]:
    """The document kinds that are this matter and whose chain has a Party step: their step is the
    request (S1.3), so the catalogue marks the item "covered by its chain"."""
    return [k for k in registry.kinds() if k.extra.get("instruction_matter") == matter]


def covered_note(matter: str) -> str:
    """What the catalogue page says of a matter a chain covers ("" when none does)."""
    notes = [str(k.extra.get("instruction_covered", "")) for k in covering_kinds(matter)]
    return "；".join(n for n in notes if n)


def agreed_requests(union_id: int, matter: str) -> QuerySet[InstructionRequest]:
    """The union's agreed requests on a matter not yet used to start a document (the catalogue gate)."""
    return InstructionRequest.objects.filter(
        union_id=union_id,
        item__matter=matter,
        reply__in=[Reply.AGREE, Reply.AGREE_WITH_INSTRUCTIONS],
        used_by_id__isnull=True,
    ).order_by("-replied_on", "-id")


def party_body(union: Union) -> Body | None:
    return Body.objects.filter(union=union, kind=BodyKind.PARTY_ORGANIZATION).first()


def led_union_ids(user) -> list[int]:
    """S1.1: the unions whose Party organisation the user sits on, directly or through the organ Party
    committee that leads it (a seat on the leading body acts for each body linked to it)."""
    today = timezone.localdate()
    bodies = Seat.objects.in_force(today).filter(person=user, body__kind=BodyKind.PARTY_ORGANIZATION)
    body_ids = bodies.values("body_id")
    return list(
        Body.objects.filter(Q(pk__in=body_ids) | Q(led_by__in=body_ids))
        .order_by("union_id")
        .values_list("union_id", flat=True)
        .distinct()
    )


def hearings_of_year(union_ids, year: int) -> QuerySet[Hearing]:
    """Each union's hearing of the year, its latest not withdrawn (DISTINCT ON the union)."""
    return (
        Hearing.objects.filter(union_id__in=union_ids, year=year)
        .exclude(status=HearingStatus.WITHDRAWN)
        .order_by("union_id", "-id")
        .distinct("union_id")
    )


def open_action_items(union_ids) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.filter(union_id__in=union_ids, closed_on__isnull=True)
        .select_related("owner", "hearing", "union")
        .order_by("due_on", "id")
    )


def awaiting_reply(union_ids) -> QuerySet[InstructionRequest]:
    return (
        InstructionRequest.objects.filter(union_id__in=union_ids, status=RequestStatus.AWAITING_REPLY)
        .select_related("union", "item")
        .order_by("reply_due", "id")
    )


def reports_received(union_ids, *, limit: int = 10) -> list[InstructionRequest]:
    return list(
        InstructionRequest.objects.filter(union_id__in=union_ids, kind="report")
        .exclude(status__in=OPEN_REQUEST)
        .exclude(status=RequestStatus.WITHDRAWN)
        .select_related("union")
        .order_by("-replied_on", "-id")[:limit]
    )


def replied_in_time(union_id: int, year: int) -> tuple[int, int]:
    """S1.3 on the scorecard: (requests and reports of the year replied by their due date, all that were
    sent). A request still awaiting its reply past its due date counts as not in time."""
    sent = InstructionRequest.objects.filter(union_id=union_id, year=year, reply_due__isnull=False).exclude(
        status=RequestStatus.WITHDRAWN
    )
    in_time = sent.filter(replied_on__isnull=False, replied_on__lte=F("reply_due")).count()
    return in_time, sent.count()


def sits_on_party(user, union_id: int) -> bool:
    """S1.1: a seat in force on the union's Party organisation or on the organ Party committee leading
    it (one query)."""
    seats = Seat.objects.in_force().filter(person=user)
    return (
        Body.objects.filter(union_id=union_id, kind=BodyKind.PARTY_ORGANIZATION)
        .filter(Exists(seats.filter(body=OuterRef("pk"))) | Exists(seats.filter(body=OuterRef("led_by"))))
        .exists()
    )


def hearings_of_union(union_id: int) -> list[Hearing]:
    """The union's hearings, newest year first, each with its meeting and its action items counted
    (one query)."""
    today = timezone.localdate()
    open_items = Q(action_items__closed_on__isnull=True)
    return list(
        Hearing.objects.filter(union_id=union_id)
        .select_related("meeting")
        .annotate(
            open_count=Count("action_items", filter=open_items),
            overdue_count=Count("action_items", filter=open_items & Q(action_items__due_on__lt=today)),
            closed_count=Count("action_items", filter=Q(action_items__closed_on__isnull=False)),
        )
        .order_by("-year", "-id")[:200]
    )
