"""One team (S4.1, S4.2, S4.4) as the upper union sees it: per union below, the committees' rules and
institutions missing, the staffing gap, the contacts' coverage (counts, never names: records about
workers in difficulty stay with their union) and the re-elections due. Set-based: each part is one
selector over all the unions asked for, so a page costs the same for 1 union or 300."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection

from core.models import UnionKind
from oversight.selectors.scope import OversightScope
from workflows.contacts.selectors import Coverage, coverage_counts
from workflows.institutions.models import RulesType
from workflows.institutions.selectors import missing_rules
from workflows.roster.reelection_selectors import Due, reelections_due
from workflows.roster.selectors import Gap, staffing_gaps

# The team tab lists at most this many unions with something to see to; the counts cover them all.
TEAM_ROWS = 200


@dataclass
class TeamStatus:
    union_id: int
    name: str = ""
    rules_missing: list[str] = field(default_factory=list)  # the types' names
    gap: Gap | None = None
    coverage: Coverage | None = None
    reelections: list[Due] = field(default_factory=list)

    @property
    def contacts_overdue(self) -> int:
        return self.coverage.overdue if self.coverage else 0

    @property
    def needs_attention(self) -> bool:
        return bool(self.rules_missing or self.gap or self.contacts_overdue or self.reelections)


def team_of(unions: list[tuple[int, str]], *, on: datetime.date | None = None) -> dict[int, TeamStatus]:
    """S4.1 rules and re-elections, S4.2 staffing, S4.4 coverage of each of ``unions`` (id, name):
    nine queries, whatever their number."""
    found = {pk: TeamStatus(union_id=pk, name=name) for pk, name in unions}
    union_ids = list(found)
    labels = dict(RulesType.choices)
    for pk, codes in missing_rules(union_ids).items():
        found[pk].rules_missing = [str(labels[code]) for code in codes]
    for pk, gap in staffing_gaps(union_ids).items():
        found[pk].gap = gap
    for pk, coverage in coverage_counts(union_ids, on=on).items():
        found[pk].coverage = coverage
    for due in reelections_due(union_ids, on=on):
        found[due.body.union_id].reelections.append(due)
    return found


def scope_unions(scope: OversightScope, *, department_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the department and grassroots unions of the scope (those with committees), by name."""
    where = [scope.union_sql("u.id"), f"u.kind IN ('{UnionKind.DEPARTMENT}', '{UnionKind.GRASSROOTS}')"]
    if department_id is not None:
        where.append(f"u.id IN ({scope.below_sql((department_id,), including=True)})")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.id, u.name FROM core_union u WHERE {' AND '.join(where)} ORDER BY u.name, u.id"
        )
        return cursor.fetchall()
