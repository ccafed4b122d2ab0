"""The catalogue of requests and reports as a union sees and changes it (S1.3, rules as data).

A union overrides an item of the provincial default with its own row for that matter; a department
union's row applies to the unions below it unless they set their own (selectors.catalogue_for reads
the nearest row). Those who manage the union's seats (its office staff and chair) change it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Union, User
from core.selectors import union_access
from core.services.events import event_record

from . import selectors
from .models import CatalogueItem, Matter

# The fields a union sets on its own row; the rest of a new row is copied from the row it overrides.
OVERRIDABLE = ("title", "kind", "procedure", "template", "replier", "reply_days", "active")

# The refusals of this module (errors.py is the app's home for them; kept here until it moves)
NOT_MANAGER = _(
    "Only the union's office staff or its chair may change its catalogue of requests and reports."
)
UNKNOWN_MATTER = _("Choose one of the matters of the catalogue.")


class SetBy:
    """Whose row a union's catalogue shows for a matter (the nearest wins)."""

    UNION = "union"
    DEPARTMENT = "department"
    DEFAULT = "default"


@dataclass(frozen=True)
class CatalogueRow:
    item: CatalogueItem
    set_by: str
    covered: str  # "covered by its chain" where a document chain already asks the Party organisation


def catalogue_rows(union: Union) -> list[CatalogueRow]:
    """The union's catalogue in use, each item with whose row it is and the chain that covers it."""
    rows = []
    for item in selectors.catalogue_for(union):
        if item.union_id == union.pk:
            set_by = SetBy.UNION
        elif item.union_id is not None:
            set_by = SetBy.DEPARTMENT
        else:
            set_by = SetBy.DEFAULT
        rows.append(CatalogueRow(item=item, set_by=set_by, covered=selectors.covered_note(item.matter)))
    return rows


def matters_not_listed(rows: list[CatalogueRow]) -> list[str]:
    """The matters the union's catalogue leaves out (never listed, or switched off by the nearest row)."""
    listed = {row.item.matter for row in rows}
    return [str(label) for value, label in Matter.choices if value not in listed]


def inherited_item(union: Union, matter: str) -> CatalogueItem | None:
    """The row the union's own would override: its department union's, else the provincial default,
    switched off or not (a switched-off row still lends its wording)."""
    rows = CatalogueItem.objects.filter(Q(union__isnull=True) | Q(union_id=union.parent_id), matter=matter)
    return min(rows, key=lambda row: (row.union_id is None, row.pk), default=None)


def nearest_item(union: Union, matter: str) -> CatalogueItem | None:
    """The row that decides the matter for the union, switched off or not (the form opens on it)."""
    own = CatalogueItem.objects.filter(union=union, matter=matter).first()
    return own or inherited_item(union, matter)


@transaction.atomic
def catalogue_item_override(*, actor: User, union: Union, matter: str, **fields) -> CatalogueItem:
    """S1.3: the union's own row for a matter, written over the one it inherits (its department
    union's or the provincial default); the fields not given keep the inherited values."""
    if not union_access(user=actor, union=union).can_manage_seats:
        raise PermissionDenied(NOT_MANAGER)
    if matter not in Matter.values:
        raise ValidationError(UNKNOWN_MATTER)
    unknown = set(fields) - set(OVERRIDABLE)
    if unknown:
        raise TypeError(f"not a field a union overrides: {sorted(unknown)}")
    own = CatalogueItem.objects.select_for_update().filter(union=union, matter=matter).first()
    base = own or inherited_item(union, matter)
    values = {name: getattr(base, name) for name in OVERRIDABLE} if base is not None else {}
    values.update(fields)
    candidate = CatalogueItem(union=union, matter=matter, **values)
    # the unique (union, matter) row is the one update_or_create writes: not a clash
    candidate.full_clean(validate_unique=False, validate_constraints=False)
    values = {name: getattr(candidate, name) for name in OVERRIDABLE}
    item, created = CatalogueItem.objects.update_or_create(union=union, matter=matter, defaults=values)
    event_record(
        verb="catalogue_item_overridden",
        actor=actor,
        subject=item,
        union=union,
        detail={"matter": matter, "created": created, "fields": sorted(fields)},
    )
    return item
