"""Who a reminder reaches, resolved when it is sent: a union's chair, its officers, the supervisors
of the union above, a body's recorders. A sweep batch reads them up front in a few set-based queries
(``BatchMemo``), so composing 2,000 reminders costs no query per reminder."""

from __future__ import annotations

from core.models import Body, BodyKind, BodyUserObjectPermission, Role, Seat, Union, User

# Bodies whose chairs and staff are not the union's officers: they hear of no obligation.
NOT_OFFICER_BODIES = {
    BodyKind.CONGRESS,
    BodyKind.PARTY_ORGANIZATION,
    BodyKind.AUDIT_COMMITTEE,
    BodyKind.WOMEN_COMMITTEE,
}


class Person:
    """A recipient known only by id: all a batch of reminders needs to address its notifications."""

    __slots__ = ("pk",)

    def __init__(self, pk: int):
        self.pk = pk


class BatchMemo:
    """What one sweep has read: the people of every union and body its reminders concern, and
    whatever the subjects' sources keep for composing (``values``). It lives as long as one call of
    the sweep (seconds): a later batch reads only the unions and bodies not read yet.

    Before composing, the sweep and the sources say which unions and bodies they need
    (``want_union``, ``want_body``); ``load_people`` then reads their seats and recorders at once."""

    def __init__(self):
        self.values: dict[tuple[str, object], object] = {}
        self._unions: dict[int, int | None] = {}  # union id -> parent id, still to read
        self._bodies: set[int] = set()

    def get(self, name: str, union: Union, compute) -> list:
        key = (name, union.pk)
        if key not in self.values:
            self.values[key] = compute(union)
        return self.values[key]

    def want_union(self, union: Union) -> None:
        if ("chairs", union.pk) not in self.values:
            self._unions[union.pk] = union.parent_id

    def want_body(self, body_id: int | None) -> None:
        if body_id is not None and ("recorders", body_id) not in self.values:
            self._bodies.add(body_id)

    def load_people(self) -> None:
        if self._unions:
            self._load_seats(self._unions)
        if self._bodies:
            self._load_recorders(self._bodies)
        self._unions, self._bodies = {}, set()

    def _load_seats(self, unions: dict[int, int | None]) -> None:
        scope = set(unions) | {p for p in unions.values() if p is not None}
        chairs: dict[int, dict[int, None]] = {u: {} for u in scope}
        officers: dict[int, dict[int, None]] = {u: {} for u in scope}
        supervisors: dict[int, dict[int, None]] = {u: {} for u in scope}
        seats = list(
            Seat.objects.in_force()
            .filter(union_id__any=scope, role__in=[Role.CHAIR, Role.OFFICE_STAFF, Role.SUPERVISOR])
            .order_by("pk")
            .values_list("union_id", "role", "body_id", "person_id")
        )
        # the bodies' kinds in a query of their own: joined, the planner hashed all 80,000 bodies
        kinds = self.values.setdefault(("body_kinds", None), {})
        wanted = {body_id for _u, _r, body_id, _p in seats if body_id is not None} - kinds.keys()
        if wanted:
            kinds.update(Body.objects.filter(pk__any=wanted).values_list("id", "kind"))
        for union_id, role, body_id, person_id in seats:
            body_kind = kinds.get(body_id)
            if role == Role.CHAIR and body_kind == BodyKind.UNION_COMMITTEE:
                chairs[union_id][person_id] = None
            if role in (Role.CHAIR, Role.OFFICE_STAFF) and body_kind not in NOT_OFFICER_BODIES:
                officers[union_id][person_id] = None
            if role == Role.SUPERVISOR:
                supervisors[union_id][person_id] = None
        for union_id, parent_id in unions.items():
            self.values[("chairs", union_id)] = [Person(p) for p in chairs[union_id]]
            self.values[("officers", union_id)] = [Person(p) for p in officers[union_id]]
            self.values[("supervisors", union_id)] = (
                [Person(p) for p in supervisors[parent_id]] if parent_id is not None else []
            )

    def _load_recorders(self, bodies: set[int]) -> None:
        recorders: dict[int, list[Person]] = {b: [] for b in bodies}
        for body_id, user_id in (
            BodyUserObjectPermission.objects.filter(
                content_object_id__any=bodies, permission__codename="record_decision", user__is_active=True
            )
            .order_by("pk")
            .values_list("content_object_id", "user_id")
        ):
            recorders[body_id].append(Person(user_id))
        for body_id, people in recorders.items():
            self.values[("recorders", body_id)] = people


def share_unions(rows, memo: BatchMemo | None = None) -> None:
    """One Union object per union of the batch (reminders and subjects), read in one query and
    shared (the parent is needed by id only), instead of two joined copies per row."""
    rows = list(rows)
    unions = memo.values.setdefault(("unions", None), {}) if memo is not None else {}
    ids = {row.union_id for row in rows}
    unions.update((u.pk, u) for u in Union.objects.filter(pk__any=ids - unions.keys()))
    for row in rows:
        row.union = unions[row.union_id]


def _remembered(name: str):
    """The people of a union: from the batch's memo in a sweep, else read now."""

    def decorate(compute):
        def wrapper(union: Union, memo: BatchMemo | None = None) -> list:
            return compute(union) if memo is None else memo.get(name, union, compute)

        return wrapper

    return decorate


@_remembered("chairs")
def chairs(union: Union) -> list[User]:
    return [
        s.person
        for s in Seat.objects.in_force()
        .filter(union=union, role=Role.CHAIR, body__kind=BodyKind.UNION_COMMITTEE)
        .select_related("person")
    ]


@_remembered("officers")
def union_officers(union: Union) -> list[User]:
    """The union chair and the office staff: who hears of an obligation no process has started."""
    seats = (
        Seat.objects.in_force()
        .filter(union=union)
        .filter(role__in=[Role.CHAIR, Role.OFFICE_STAFF])
        .exclude(body__kind__in=NOT_OFFICER_BODIES)
    )
    return list({s.person_id: s.person for s in seats.select_related("person")}.values())


@_remembered("supervisors")
def supervisors_above(union: Union) -> list[User]:
    if union.parent_id is None:
        return []
    return [
        s.person
        for s in Seat.objects.in_force()
        .filter(union_id=union.parent_id, role=Role.SUPERVISOR)
        .select_related("person")
    ]


def body_recorders(body_id: int, memo: BatchMemo | None = None) -> list:
    """Who records a body's decisions (and so acts on its tasks)."""
    if memo is not None:
        key = ("recorders", body_id)
        if key not in memo.values:
            memo.values[key] = body_recorders(body_id)
        return memo.values[key]
    user_ids = BodyUserObjectPermission.objects.filter(
        content_object_id=body_id, permission__codename="record_decision"
    ).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True))
