"""Whose work a user oversees. A supervisor sees every union below the union of their supervisor seat;
a union chair sees their own union.

``oversight_scope`` reads the user's seats (one query); the other selectors take the scope as a SQL
predicate on ``union_id`` (``OversightScope.union_sql``), so the unions below the provincial organs
union (20,000 at bench scale) are never sent back and forth as a list; the unions below a department
(a few hundred) are read once per request (``OversightScope.below``) and inlined, so that PostgreSQL
estimates them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core.models import Union, UnionKind
from core.selectors import MAX_DEPTH
from oversight.selectors.sql import ints

# The user's oversight seats in force (supervisor; chair of the union committee), and one row per union
# that is a seat union, a department below a supervisor seat (the department filter) or one of the
# unions asked for by a filter (checked here, not trusted). "Below" is found by walking UP from these
# few candidates (seat unions, departments, asked unions: tens of rows) to a supervisor seat, never by
# walking down the 20,000 unions below a provincial seat (43 ms per request at bench scale; this walk
# costs well under 1 ms with core_union's primary key).
# ``tops`` counts the roots of the tree: a supervisor of the only root oversees every other union,
# which the other queries then say as ``union_id <> root`` instead of walking 20,000 unions again.
_SCOPE_SQL = f"""
WITH RECURSIVE mine(union_id, role) AS (
    SELECT s.union_id, s.role FROM core_seat s LEFT JOIN core_body b ON b.id = s.body_id
    WHERE s.person_id = %s AND s.start_date <= %s AND (s.end_date IS NULL OR s.end_date >= %s)
      AND (s.role = 'supervisor' OR (s.role = 'chair' AND (s.body_id IS NULL OR b.kind = 'union_committee')))
),
candidate(id) AS (
    SELECT union_id FROM mine
    UNION SELECT id FROM core_union
        WHERE kind = 'department' AND EXISTS (SELECT 1 FROM mine WHERE role = 'supervisor')
    UNION SELECT id FROM core_union WHERE id IN ({{asked}})
),
up(id, ancestor, depth) AS (
    SELECT u.id, u.parent_id, 1 FROM core_union u JOIN candidate c ON c.id = u.id
    UNION ALL
    -- a scalar subquery: one primary-key probe per step up (a join here is planned as a hash of
    -- every union)
    SELECT up.id, (SELECT p.parent_id FROM core_union p WHERE p.id = up.ancestor), up.depth + 1 FROM up
    WHERE up.ancestor IS NOT NULL AND up.depth < {MAX_DEPTH}
),
sub(id) AS (
    SELECT DISTINCT id FROM up WHERE ancestor IN (SELECT union_id FROM mine WHERE role = 'supervisor')
)
SELECT u.id, u.name, u.kind, u.parent_id,
    u.id IN (SELECT id FROM sub) AS supervised,
    u.id IN (SELECT union_id FROM mine WHERE role = 'chair') AS chaired,
    u.id IN (SELECT union_id FROM mine WHERE role = 'supervisor') AS supervisor_seat,
    (SELECT COUNT(*) FROM core_union t WHERE t.parent_id IS NULL) AS tops
FROM core_union u
WHERE u.id IN (SELECT id FROM candidate) AND (
    u.id IN (SELECT union_id FROM mine)
    OR (u.id IN (SELECT id FROM sub) AND (u.kind = 'department' OR u.id IN ({{asked}}))))
ORDER BY u.name, u.id"""

_SUBTREE_SQL = f"""
WITH RECURSIVE sub(id, depth) AS (
    SELECT id, 1 FROM core_union WHERE parent_id IN ({{roots}})
    UNION ALL
    SELECT u.id, sub.depth + 1 FROM core_union u JOIN sub ON u.parent_id = sub.id
    WHERE sub.depth < {MAX_DEPTH}
)
SELECT id FROM sub"""


@dataclass(frozen=True)
class OversightScope:
    """The unions whose work a user oversees: below their supervisor seats, and the unions they chair."""

    unions: list[Union] = field(default_factory=list)
    tops: int = 0
    # The unions below some roots, read once per request (``below``).
    _below: dict = field(default_factory=dict, compare=False, repr=False)

    def below(self, roots: tuple[int, ...]) -> list[int]:
        """Every union below ``roots`` (one query, then remembered for this scope's request).

        The ids are put in the SQL as a list, not as the recursive query: PostgreSQL estimates a
        recursive subtree at 50,000 unions where a department has 330, and then reads all 5 million
        work items in parallel (and compiles the plan with JIT): 1.2 s instead of a few ms."""
        if roots not in self._below:
            with connection.cursor() as cursor:
                cursor.execute(_SUBTREE_SQL.format(roots=ints(roots)))
                self._below[roots] = sorted(row[0] for row in cursor.fetchall())
        return self._below[roots]

    def below_sql(self, roots: tuple[int, ...], *, including: bool = False) -> str:
        """``below`` as a literal SQL list (ids read from the database), with the roots if asked."""
        return ints([*(roots if including else ()), *self.below(roots)])

    @property
    def is_empty(self) -> bool:
        return not self.unions

    @property
    def supervisor_roots(self) -> list[Union]:
        return [u for u in self.unions if u.supervisor_seat]

    @property
    def chaired_ids(self) -> list[int]:
        return [u.pk for u in self.unions if u.chaired and not u.supervised]

    @property
    def departments(self) -> list[Union]:
        return [u for u in self.unions if u.supervised and u.kind == UnionKind.DEPARTMENT]

    def covers(self, union_id: int | None) -> bool:
        """Whether a union asked for by a filter (passed to oversight_scope) is in scope."""
        return any(u.pk == union_id and (u.supervised or u.chaired) for u in self.unions)

    def supervises(self, union_id: int) -> bool:
        """For a union named by a filter or form (passed to oversight_scope as ``asked``)."""
        return any(u.pk == union_id and u.supervised for u in self.unions)

    def supervises_listed(self, union_id: int) -> bool:
        """For a union of a row already read through the scope: supervised unless only chaired."""
        return union_id not in self.chaired_ids

    def union_named(self, union_id: int | None) -> Union | None:
        return next((u for u in self.unions if u.pk == union_id), None)

    def union_sql(self, column: str = "union_id") -> str:
        """A SQL predicate: ``column`` is a union this user oversees."""
        roots = self.supervisor_roots
        parts = []
        whole_tree = self.tops == 1 and any(r.parent_id is None for r in roots)
        if whole_tree:
            top = next(r for r in roots if r.parent_id is None)
            parts.append(f"{column} <> {int(top.pk)}")
        elif roots:
            parts.append(f"{column} IN ({self.below_sql(tuple(r.pk for r in roots))})")
        if self.chaired_ids:
            parts.append(f"{column} IN ({ints(self.chaired_ids)})")
        return "(" + (" OR ".join(parts) or "1 = 0") + ")"

    def union_q(self, column: str = "union_id") -> Q:
        """The same predicate for the ORM."""
        roots = self.supervisor_roots
        q = Q(**{f"{column}__in": self.chaired_ids}) if self.chaired_ids else Q(pk__in=[])
        top = next((r for r in roots if r.parent_id is None), None) if self.tops == 1 else None
        if top is not None:
            return q | ~Q(**{column: top.pk})
        if roots:
            q |= Q(**{f"{column}__in": self.below(tuple(r.pk for r in roots))})
        return q


def oversight_scope(*, user, asked: list[int] | None = None) -> OversightScope:
    """One query: the user's supervisor and chair seat unions, the departments below, and whichever
    of the ``asked`` unions (filter values) lie below. A supervisor's own union is returned too (flag
    ``supervisor_seat``) so a supervisor with nothing below still counts as one; its own work is not
    in scope."""
    if not user.is_authenticated or not user.is_active:
        return OversightScope()
    today = timezone.localdate()
    sql = _SCOPE_SQL.format(asked=ints(a for a in asked or [] if a is not None))
    unions = list(Union.objects.raw(sql, [user.pk, today, today]))
    for union in unions:
        union.supervised, union.chaired = bool(union.supervised), bool(union.chaired)
        union.supervisor_seat = bool(union.supervisor_seat)
    return OversightScope(unions=unions, tops=unions[0].tops if unions else 0)
