"""Reads of the union tree and of who may see what. Each selector costs one SQL query.

The recursive CTEs are WITH RECURSIVE subqueries. ``MAX_DEPTH`` guards against a cycle slipping in
through raw SQL; the model refuses cycles (Union.clean).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from core.models import Seat, Union

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

# Unions a user may open: those where a seat in force grants view_union, and every union below a
# union where a supervisor seat grants supervise_union. Permission rows are kept in sync with the
# seats by core.services.permissions.
_VISIBLE_SQL = f"""
WITH RECURSIVE sup(id, depth) AS (
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
WHERE p.user_id = %s AND ap.codename = 'view_union'"""


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
    return Union.objects.filter(id__in=RawSQL(_VISIBLE_SQL, [user.pk, user.pk]))


@dataclass(frozen=True)
class UnionAccess:
    """What one user may do in one union, derived from the permission rows in one query."""

    union_id: int
    direct: frozenset[str] = field(default_factory=frozenset)
    supervised: bool = False

    @property
    def can_view(self) -> bool:
        return self.supervised or "view_union" in self.direct

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
    return UnionAccess(union_id=union.pk, direct=direct, supervised=supervised)


def seats_of_person(*, person, on=None) -> QuerySet[Seat]:
    return (
        Seat.objects.filter(person=person)
        .in_force(on)
        .select_related("union", "body")
        .order_by("union__kind", "union_id", "body_id", "role")
    )
