"""Reading the rules (S4.1, S5.3): which types a union needs, the version in force of each, what is
missing (for the scorecard), and the union's page of every type."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.models import Body, BodyKind, Union

from .models import COMMITTEE_OF, OPEN_STATUSES, RulesDocument, RulesStatus, RulesType, body_needed


def needed_types(body_kinds: Iterable[str]) -> list[str]:
    """The types a union with these bodies needs, in the types' order: each committee's working rules
    where the committee exists (a single-person body too, S4.1), the institutions where the union
    committee exists (S5.3)."""
    kinds = set(body_kinds)
    return [value for value in RulesType.values if body_needed(value) in kinds]


def missing_rules(union_ids: Iterable[int]) -> dict[int, list[str]]:
    """S4.1, S5.3: per union, the type codes it needs without a version in force (in the types' order;
    an empty list when nothing is missing). Two queries whatever the number of unions: the unions'
    bodies and their types in force (the partial unique index institutions_one_in_force)."""
    ids = sorted(set(union_ids))
    bodies: dict[int, set[str]] = defaultdict(set)
    for union_id, kind in Body.objects.filter(union_id__in=ids).values_list("union_id", "kind"):
        bodies[union_id].add(kind)
    in_force: dict[int, set[str]] = defaultdict(set)
    rows = RulesDocument.objects.filter(union_id__in=ids, status=RulesStatus.IN_FORCE)
    for union_id, rules_type in rows.values_list("union_id", "rules_type"):
        in_force[union_id].add(rules_type)
    return {
        union_id: [t for t in needed_types(bodies[union_id]) if t not in in_force[union_id]]
        for union_id in ids
    }


def rules_in_force(union: Union) -> dict[str, RulesDocument]:
    """The version in force of each type the union has, by type code, with the meeting that approved it."""
    rows = RulesDocument.objects.filter(union_id=union.pk, status=RulesStatus.IN_FORCE).select_related(
        "meeting__body"
    )
    return {row.rules_type: row for row in rows}


def approving_body(*, union: Union, rules_type: str, bodies: dict[str, Body] | None = None) -> Body | None:
    """The body whose meeting approves this type at the union (S4.1): a committee's own meeting for its
    working rules, the union committee for a single-person body's duty statement and for every
    institution (S5.3). None when the union lacks the body the type needs (then it needs no such rules)."""
    if bodies is None:
        bodies = {b.kind: b for b in Body.objects.filter(union_id=union.pk)}
    own = bodies.get(body_needed(rules_type))
    if own is None:
        return None
    if rules_type in COMMITTEE_OF and not own.is_single_person:
        return own
    return bodies.get(BodyKind.UNION_COMMITTEE)


@dataclass
class TypeRow:
    """One type on the union's page: needed or not, the version in force, the one on its way, the older
    versions (superseded, readable)."""

    rules_type: str
    label: str
    needed: bool
    single_person: bool = False
    in_force: RulesDocument | None = None
    in_progress: RulesDocument | None = None
    superseded: list[RulesDocument] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return self.needed and self.in_force is None


def type_rows(union: Union) -> list[TypeRow]:
    """Every type for the union's page, in two queries (its bodies, its documents)."""
    bodies = {b.kind: b for b in Body.objects.filter(union_id=union.pk)}
    rows = {}
    for value, label in RulesType.choices:
        own = bodies.get(body_needed(value))
        rows[value] = TypeRow(
            rules_type=value,
            label=str(label),
            needed=own is not None,
            single_person=bool(own and value in COMMITTEE_OF and own.is_single_person),
        )
    documents = (
        RulesDocument.objects.filter(union_id=union.pk)
        .exclude(status=RulesStatus.WITHDRAWN)
        .select_related("meeting__body")
        .order_by("rules_type", "-version", "-id")
    )
    for document in documents:
        row = rows[document.rules_type]
        if document.status == RulesStatus.IN_FORCE:
            row.in_force = document
        elif document.status in OPEN_STATUSES:
            row.in_progress = document
        else:
            row.superseded.append(document)
    return list(rows.values())


def versions_of(document: RulesDocument) -> list[RulesDocument]:
    """Every other version of the same type at the same union (withdrawn drafts left out), newest first."""
    return list(
        RulesDocument.objects.filter(union_id=document.union_id, rules_type=document.rules_type)
        .exclude(pk=document.pk)
        .exclude(status=RulesStatus.WITHDRAWN)
        .order_by("-version", "-id")
    )


def next_version(*, union: Union, rules_type: str) -> int:
    last = (
        RulesDocument.objects.filter(union_id=union.pk, rules_type=rules_type)
        .exclude(status=RulesStatus.WITHDRAWN)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return (last or 0) + 1


def open_version(*, union: Union, rules_type: str) -> RulesDocument | None:
    return RulesDocument.objects.filter(
        union_id=union.pk, rules_type=rules_type, status__in=OPEN_STATUSES
    ).first()
