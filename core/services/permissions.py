"""Object permissions derived from seats.

Seats are the truth; guardian's direct-FK rows are a materialised view of the seats in force
today, rewritten on every seat change and by the nightly ``sync_seat_permissions`` task (a term
that ends needs no edit to end its access). No model-level grant is ever made: with viewflow a
model-level step permission would let a user claim every union's tasks.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone

from core.models import (
    Body,
    BodyKind,
    BodyUserObjectPermission,
    Role,
    Seat,
    Union,
    UnionUserObjectPermission,
    User,
)

# Sent after a person's grants lost rows (a term ended, a seat was removed, the person was
# deactivated): the approval spine hands their claimed tasks back to the body's queue.
permissions_revoked = Signal()

# Officers see their union's documents: the three committees, office staff and finance officer.
# Congress representatives and Party organisation members are participants: they see only what is
# put before them (a later issue's document pages), not every document of the union.
OFFICER_BODIES = {BodyKind.UNION_COMMITTEE, BodyKind.AUDIT_COMMITTEE, BodyKind.WOMEN_COMMITTEE}
DRAFTERS = {Role.OFFICE_STAFF, Role.FINANCE_OFFICER}
COMMITTEE_DRAFTERS = {Role.CHAIR, Role.VICE_CHAIR}
# Who records a body's meeting or decision: its chair/director/secretary, and office staff on the
# body's behalf (代录).
BODY_RECORDERS = {Role.CHAIR, Role.DIRECTOR, Role.SECRETARY}


def union_perms_for_seat(seat: Seat) -> set[str]:
    perms = {"view_union"}
    body_kind = seat.body.kind if seat.body_id else None
    if seat.role == Role.SUPERVISOR:
        perms.add("supervise_union")
        return perms
    if body_kind in OFFICER_BODIES or seat.role in DRAFTERS:
        perms.add("view_union_documents")
    if seat.role in DRAFTERS or (body_kind == BodyKind.UNION_COMMITTEE and seat.role in COMMITTEE_DRAFTERS):
        perms.add("draft_union_documents")
    if seat.role == Role.OFFICE_STAFF or (body_kind == BodyKind.UNION_COMMITTEE and seat.role == Role.CHAIR):
        perms.add("manage_union_seats")
    return perms


def desired_permissions(
    *, user: User, on: datetime.date
) -> tuple[set[tuple[str, int]], set[tuple[str, int]]]:
    """(codename, union id) and (codename, body id) pairs the user's seats in force grant."""
    union_pairs: set[tuple[str, int]] = set()
    body_pairs: set[tuple[str, int]] = set()
    if not user.is_active:
        return union_pairs, body_pairs
    seats = list(Seat.objects.filter(person=user).in_force(on).select_related("body"))
    office_unions = {s.union_id for s in seats if s.role == Role.OFFICE_STAFF}
    led = _led_bodies(seats)
    for seat in seats:
        union_pairs.update((code, seat.union_id) for code in union_perms_for_seat(seat))
        # S1.1: a seat on a leading Party organisation acts for each Party organisation it leads
        for body_id, union_id in [(seat.body_id, seat.union_id), *led.get(seat.body_id, [])]:
            union_pairs.add(("view_union", union_id))
            if body_id and seat.role in BODY_RECORDERS:
                body_pairs.add(("record_decision", body_id))
    if office_unions:
        for body_id in Body.objects.filter(union_id__in=office_unions).values_list("id", flat=True):
            body_pairs.add(("record_decision", body_id))
    return union_pairs, body_pairs


def _led_bodies(seats: list[Seat]) -> dict[int, list[tuple[int, int]]]:
    """Leading Party organisation's body id -> [(led body id, its union id)] for the seats' bodies."""
    leaders = [s.body_id for s in seats if s.body_id and s.body.kind == BodyKind.PARTY_ORGANIZATION]
    led: dict[int, list[tuple[int, int]]] = {}
    if leaders:
        for body_id, union_id, leader_id in Body.objects.filter(led_by__in=leaders).values_list(
            "id", "union_id", "led_by_id"
        ):
            led.setdefault(leader_id, []).append((body_id, union_id))
    return led


@transaction.atomic
def party_link_set(*, body: Body, led_by: Body | None) -> None:
    """S1.1: link a union's Party organisation to the one that leads it (or unlink it); the seat
    holders of the old and the new leader get or lose their rights over it the same moment."""
    leaders = {body.led_by_id, led_by.pk if led_by else None} - {None}
    body.led_by = led_by
    body.full_clean()
    body.save(update_fields=["led_by"])
    for user in User.objects.filter(seats__body_id__in=leaders).distinct():
        permissions_sync_for_user(user=user)


def _perm_ids(model, codenames: set[str]) -> dict[str, int]:
    return dict(
        Permission.objects.filter(
            content_type__app_label="core", content_type__model=model, codename__in=codenames
        ).values_list("codename", "id")
    )


@transaction.atomic
def permissions_sync_for_user(*, user: User, on: datetime.date | None = None) -> tuple[int, int]:
    """Make the user's object-permission rows equal to what their seats grant. Returns (added, removed)."""
    day = on or timezone.localdate()
    want_union, want_body = desired_permissions(user=user, on=day)
    added = removed = 0
    for model_name, table, want in (
        ("union", UnionUserObjectPermission, want_union),
        ("body", BodyUserObjectPermission, want_body),
    ):
        codenames = {code for code, _ in want}
        ids = _perm_ids(model_name, codenames)
        code_by_id = {v: k for k, v in ids.items()}
        have_rows = table.objects.filter(user=user).values_list("id", "permission_id", "content_object_id")
        all_codes = dict(
            Permission.objects.filter(id__in={row[1] for row in have_rows}).values_list("id", "codename")
        )
        code_by_id.update(all_codes)
        have = {(code_by_id[perm_id], obj_id): row_id for row_id, perm_id, obj_id in have_rows}
        stale = [row_id for pair, row_id in have.items() if pair not in want]
        if stale:
            removed += table.objects.filter(id__in=stale).delete()[0]
        missing = [pair for pair in want if pair not in have]
        table.objects.bulk_create(
            [table(user=user, permission_id=ids[code], content_object_id=obj_id) for code, obj_id in missing]
        )
        added += len(missing)
    if removed:
        permissions_revoked.send(sender=User, user=user)
    return added, removed


def permissions_sync_due(*, on: datetime.date | None = None, days_back: int = 7) -> int:
    """Resync everyone whose seat started or ended in the last ``days_back`` days (idempotent).

    A seat ending on day D still grants on D; from D+1 it does not. Looking back a week covers a
    beat that was down for a few nights.
    """
    day = on or timezone.localdate()
    since = day - datetime.timedelta(days=days_back)
    user_ids = (
        Seat.objects.filter(
            Q(start_date__gt=since, start_date__lte=day)
            | Q(end_date__gte=since - datetime.timedelta(days=1), end_date__lt=day)
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    count = 0
    for user in User.objects.filter(id__in=list(user_ids)):
        permissions_sync_for_user(user=user, on=day)
        count += 1
    return count


def permissions_sync_union_offices(*, union: Union) -> None:
    """A new body changes what the union's office staff may record: resync them."""
    for user in User.objects.filter(seats__union=union, seats__role=Role.OFFICE_STAFF).distinct():
        permissions_sync_for_user(user=user)
