"""What the archive indexes of an annual plan besides its title (S5.3): every version's guiding ideas,
its duty areas' tasks with their owners, and the reasons an area was left empty."""

from __future__ import annotations

from .models import AnnualPlan, PlanItem, PlanSection, PlanVersion


def plan_archive_text(plan: AnnualPlan) -> str:
    parts = []
    for version in PlanVersion.objects.filter(plan=plan).order_by("number"):
        parts.append(version.foreword)
        for section in PlanSection.objects.filter(version=version).order_by("id"):
            parts.extend([section.get_area_display(), section.empty_reason])
            items = PlanItem.objects.filter(section=section)
            parts.extend(f"{item.title} {item.owner_text}" for item in items)
    return "\n".join(p for p in parts if p)
