"""What changed between two versions of a plan, task by task (shown to the bodies, S2.2)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from .models import DutyArea, PlanSection


def plan_diff(old: list[PlanSection], new: list[PlanSection]) -> list[dict]:
    """Item by item (the key follows an item across versions): added, removed, or what changed in
    its title, owner, dates, deployment with Party building or duty area. Unchanged items are left out."""
    labels = dict(DutyArea.choices)

    def index(sections):
        return {item.key: (s.area, item) for s in sections for item in s.items.all()}

    before, after = index(old), index(new)
    changes = []
    for key, (area, item) in after.items():
        if key not in before:
            changes.append({"change": "added", "area": labels[area], "old": None, "new": item, "fields": []})
            continue
        old_area, was = before[key]
        fields = _changed_fields(was, item)
        if old_area != area:
            fields.append(_("duty area"))
        if fields:
            changes.append(
                {"change": "changed", "area": labels[area], "old": was, "new": item, "fields": fields}
            )
    for key, (area, was) in before.items():
        if key not in after:
            changes.append({"change": "removed", "area": labels[area], "old": was, "new": None, "fields": []})
    order = {a: i for i, a in enumerate(labels.values())}
    changes.sort(key=lambda c: order.get(c["area"], 99))
    return changes


def _changed_fields(was, item) -> list[str]:
    fields = []
    if was.title != item.title:
        fields.append(_("title"))
    if (was.starts_on, was.ends_on) != (item.starts_on, item.ends_on):
        fields.append(_("timetable"))
    if (was.owner_id, was.owner_text) != (item.owner_id, item.owner_text):
        fields.append(_("owner"))
    if (was.with_party, was.party_reference) != (item.with_party, item.party_reference):
        fields.append(_("deployed together with Party building"))  # S1.2 planning together
    return fields
