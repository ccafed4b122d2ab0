"""Reads of the union tree and of who may see what. Each selector costs one SQL query.

The recursive CTEs are WITH RECURSIVE subqueries. ``MAX_DEPTH`` guards against a cycle slipping in
through raw SQL; the model refuses cycles (Union.clean).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from core.models import Seat, Union, UnionKind

MAX_DEPTH = 50

_ANCESTORS_CTE = f"""
WITH RECURSIVE anc(id, parent_id, depth) AS (
    SELECT id, parent_id, 0 FROM core_union WHERE id = %s
    UNION ALL
    SELECT u.id, u.parent_id, anc.depth + 1
    FROM core_union u JOIN anc ON u.id = anc.parent_id
    WHERE anc.depth < {MAX_DEPTH}
)"""

_DESCENDANTS_SQL = f"""
WITH RECURSIVE sub(id, depth) AS (
    SELECT id, 1 FROM core_union WHERE parent_id = %s
    UNION ALL
    SELECT u.id, sub.depth + 1 FROM core_union u JOIN sub ON u.parent_id = sub.id
    WHERE sub.depth < {MAX_DEPTH}
)
SELECT id FROM sub"""

# Unions a user may open: those where a seat in force grants view_union, every union below a union
# where a supervisor seat grants supervise_union, and the union groups of the unions where the user
# is an officer (view_union_documents), the group's own union or the one above it
# (GROUP_OPENS_TO_OFFICERS_ABOVE). Permission rows are kept in sync with the seats by
# core.services.permissions.
_VISIBLE_SQL = f"""
WITH RECURSIVE off(id) AS (
    SELECT p.content_object_id FROM core_unionuserobjectpermission p
    JOIN auth_permission ap ON ap.id = p.permission_id
    WHERE p.user_id = %s AND ap.codename = 'view_union_documents'
),
sup(id, depth) AS (
    SELECT u.id, 1 FROM core_union u
    WHERE u.parent_id IN (
        SELECT p.content_object_id FROM core_unionuserobjectpermission p
        JOIN auth_permission ap ON ap.id = p.permission_id
        WHERE p.user_id = %s AND ap.codename = 'supervise_union'
    )
    UNION ALL
    SELECT u.id, sup.depth + 1 FROM core_union u JOIN sup ON u.parent_id = sup.id
    WHERE sup.depth < {MAX_DEPTH}
)
SELECT id FROM sup
UNION
SELECT p.content_object_id FROM core_unionuserobjectpermission p
JOIN auth_permission ap ON ap.id = p.permission_id
WHERE p.user_id = %s AND ap.codename = 'view_union'
UNION
SELECT g.id FROM core_union g
WHERE g.kind = 'group' AND g.parent_id IN (
    SELECT id FROM off UNION SELECT u.id FROM core_union u WHERE u.parent_id IN (SELECT id FROM off)
)"""

# A union group's page opens to the officers of its own union and of the union above that (depth 1
# and 2); supervisors above see it as every union below them.
GROUP_OPENS_TO_OFFICERS_ABOVE = 2


# Whether a person holds a seat in force that opens oversight: a supervisor seat, or the chair of a
# union (of its union committee, or a union group's chair) — the seats oversight.selectors.scope
# reads. The 监督 menu asks it inside the query each page already makes for the bell (named
# parameters: user, today), so showing the menu costs no query of its own.
OVERSIGHT_SEAT_EXISTS = """EXISTS (
    SELECT 1 FROM core_seat s LEFT JOIN core_body b ON b.id = s.body_id
    WHERE s.person_id = %(user)s AND s.start_date <= %(today)s
      AND (s.end_date IS NULL OR s.end_date >= %(today)s)
      AND (s.role = 'supervisor'
           OR (s.role = 'chair' AND (s.body_id IS NULL OR b.kind = 'union_committee'))))"""


def union_ancestors(*, union: Union) -> QuerySet[Union]:
    """The union's upper-level unions, nearest first is not guaranteed: order by kind depth."""
    sql = _ANCESTORS_CTE + " SELECT id FROM anc WHERE depth > 0"
    return Union.objects.filter(id__in=RawSQL(sql, [union.pk]))


def union_ancestor_chain(*, union: Union) -> list[Union]:
    """Ancestors from the top of the tree down to the direct parent, in one query."""
    sql = (
        _ANCESTORS_CTE
        + """
        SELECT u.* FROM core_union u JOIN anc ON anc.id = u.id WHERE anc.depth > 0 ORDER BY anc.depth DESC"""
    )
    return list(Union.objects.raw(sql, [union.pk]))


def union_descendants(*, union: Union) -> QuerySet[Union]:
    return Union.objects.filter(id__in=RawSQL(_DESCENDANTS_SQL, [union.pk]))


def union_descendant_ids(*, union_id: int) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(_DESCENDANTS_SQL, [union_id])
        return {row[0] for row in cursor.fetchall()}


def unions_visible_to(*, user) -> QuerySet[Union]:
    """Every union this user may open, as one query: seats in force plus supervised subtrees."""
    if not user.is_authenticated or not user.is_active:
        return Union.objects.none()
    return Union.objects.filter(id__in=RawSQL(_VISIBLE_SQL, [user.pk, user.pk, user.pk]))


@dataclass(frozen=True)
class UnionAccess:
    """What one user may do in one union, derived from the permission rows in one query."""

    union_id: int
    direct: frozenset[str] = field(default_factory=frozenset)
    supervised: bool = False
    # a union group seen by an officer of the union it belongs to (or the one above): its page, not
    # its documents
    officer_above: bool = False

    @property
    def can_view(self) -> bool:
        return self.supervised or self.officer_above or "view_union" in self.direct

    @property
    def is_officer(self) -> bool:
        return "view_union_documents" in self.direct

    @property
    def can_view_documents(self) -> bool:
        return self.is_officer or self.supervised

    @property
    def can_draft(self) -> bool:
        return "draft_union_documents" in self.direct

    @property
    def can_manage_seats(self) -> bool:
        return "manage_union_seats" in self.direct

    @property
    def is_supervisor_here(self) -> bool:
        return "supervise_union" in self.direct


def union_access(*, user, union: Union) -> UnionAccess:
    if not user.is_authenticated or not user.is_active:
        return UnionAccess(union_id=union.pk)
    sql = (
        _ANCESTORS_CTE
        + """
        SELECT ap.codename, anc.depth
        FROM core_unionuserobjectpermission p
        JOIN auth_permission ap ON ap.id = p.permission_id
        JOIN anc ON anc.id = p.content_object_id
        WHERE p.user_id = %s"""
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [union.pk, user.pk])
        rows = cursor.fetchall()
    direct = frozenset(code for code, depth in rows if depth == 0)
    supervised = any(code == "supervise_union" and depth > 0 for code, depth in rows)
    officer_above = union.kind == UnionKind.GROUP and any(
        code == "view_union_documents" and 0 < depth <= GROUP_OPENS_TO_OFFICERS_ABOVE for code, depth in rows
    )
    return UnionAccess(union_id=union.pk, direct=direct, supervised=supervised, officer_above=officer_above)


def seats_of_person(*, person, on=None) -> QuerySet[Seat]:
    return (
        Seat.objects.filter(person=person)
        .in_force(on)
        .select_related("union", "body")
        .order_by("union__kind", "union_id", "body_id", "role")
    )
