"""Picking people (issue 25): one search over names, pinyin and pinyin initials, within the people an
action allows, answered as (person, union, role) rows in two queries.

Which people an action allows is the action's own rule, decided where the action lives: each app's
``people.py`` registers a resolver for its actions (``register_scope``), which checks that the viewer
may act on the object the picker is for and returns its ``PeopleScope``. Core never names the apps
above it; the search endpoint (core.views_people) finds the resolvers by autodiscovery, as
``seed_demo`` finds the demo seeders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from core.models import Role, Seat, User
from core.pinyin import query_key

MAX_RESULTS = 20
MAX_QUERY = 60


@dataclass(frozen=True)
class PeopleScope:
    """Who an action may name (``allowed``, what its form accepts) and how they are offered."""

    allowed: QuerySet
    # never offered by the picker, though the form accepts them so that the service says why not
    # (the viewer: "you cannot transfer to yourself")
    not_offered: frozenset[int] = field(default_factory=frozenset)
    # the seat shown beside a name: one in this body, else in this union, else the person's first
    near_union_id: int | None = None
    near_body_id: int | None = None


@dataclass(frozen=True)
class PersonRow:
    person: User
    union: str
    role: str

    @property
    def name(self) -> str:
        return person_name(self.person)

    @property
    def pk(self) -> int:
        return self.person.pk


def person_name(person: User) -> str:
    """A person as the picker shows them: the full name, never the username."""
    return person.full_name or _("(name not recorded)")


# --- the search ----------------------------------------------------------------------------------------


def _matching(q: str) -> tuple[Q, Case | Value]:
    """The filter and the rank (0: a prefix match, first) of what was typed. Latin letters search the
    pinyin (anywhere: "hongyan") and the initials (from the start: "zhy"); Chinese searches the name."""
    text = q.strip()[:MAX_QUERY]
    if not text:
        return Q(), Value(0)
    if text.isascii():
        key = query_key(text)
        if not key:
            return Q(pk__in=[]), Value(0)
        rank = Case(
            When(name_initials__startswith=key, then=Value(0)),
            When(name_pinyin__startswith=key, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return Q(name_pinyin__contains=key) | Q(name_initials__startswith=key), rank
    rank = Case(
        When(full_name__startswith=text, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return Q(full_name__icontains=text), rank


def people_search(
    *, q: str, scope: PeopleScope, limit: int = MAX_RESULTS, exclude: Iterable[int] = ()
) -> list[PersonRow]:
    """At most ``limit`` people of ``scope.allowed`` matching ``q`` (all of them, by name, when ``q`` is
    empty), prefix matches first, each with the union and role of one seat in force. Two queries."""
    where, rank = _matching(q)
    people = list(
        scope.allowed.filter(where, is_active=True)
        .exclude(pk__in=[*scope.not_offered, *exclude])
        .select_related("home_union")
        .annotate(rank=rank)
        .order_by("rank", "name_pinyin", "full_name", "pk")[: max(1, min(limit, MAX_RESULTS + 1))]
    )
    return _with_seats(people, scope)


def people_rows(*, ids: Iterable[int], scope: PeopleScope) -> list[PersonRow]:
    """The allowed people among ``ids`` (chosen earlier), in the order given. Two queries, none for no ids."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    allowed = scope.allowed.filter(pk__in=wanted, is_active=True).select_related("home_union")
    found = {p.pk: p for p in allowed}
    return _with_seats([found[pk] for pk in wanted if pk in found], scope)


def _with_seats(people: list[User], scope: PeopleScope) -> list[PersonRow]:
    if not people:
        return []
    seats: dict[int, list[Seat]] = {}
    for seat in (
        Seat.objects.in_force()
        .filter(person_id__in=[p.pk for p in people])
        .select_related("union", "body")
        .order_by("person_id", "id")
    ):
        seats.setdefault(seat.person_id, []).append(seat)

    def nearness(seat: Seat) -> tuple[bool, bool]:
        in_body = seat.body_id is not None and seat.body_id == scope.near_body_id
        return (not in_body, seat.union_id != scope.near_union_id)

    rows = []
    for person in people:
        mine = seats.get(person.pk)
        if mine:
            seat = min(mine, key=nearness)
            rows.append(PersonRow(person, seat.union.name, seat_role(seat)))
        else:
            union = person.home_union.name if person.home_union_id else ""
            rows.append(PersonRow(person, union, _("no seat in force")))
    return rows


def seat_role(seat: Seat) -> str:
    role = Role(seat.role).label if seat.role in Role.values else seat.role
    if seat.body_id is None:
        return str(role)
    return _("%(body)s %(role)s") % {"body": seat.body.display_name, "role": role}


# --- who may be picked for what: the apps' resolvers ---------------------------------------------------

# resolver(request, ref) -> PeopleScope; it refuses (core.http.refuse: 404 or 403) a viewer who may not
# act on ``ref`` (a work item, a document "type:id", a plan, … as the action reads it)
ScopeResolver = Callable[..., PeopleScope]
_RESOLVERS: dict[str, ScopeResolver] = {}
_discovered = False


def register_scope(action: str, resolver: ScopeResolver) -> None:
    known = _RESOLVERS.get(action)
    if known is not None and known is not resolver:
        raise ValueError(f"people scope {action!r} is registered twice")
    _RESOLVERS[action] = resolver


def scope_resolver(action: str) -> ScopeResolver | None:
    global _discovered
    if not _discovered:
        autodiscover_modules("people")
        _discovered = True
    return _RESOLVERS.get(action)
