"""Demo data for the oversight pages, run by ``seed_demo`` after the other demo modules.
Idempotent: a second run changes nothing.

- The scorecard shows every status: last year's obligations are generated too (unmet ones are late
  or missed by now), and one demo union's S1.2 of this year is returned for correction if nothing
  returned exists yet.
- Efficiency shows real durations: the demo's steps were all completed within seconds of their
  creation when the demo was built; their start is moved back by a few days (once: only steps that
  took less than an hour are moved), and one step in three is marked as finished after its due date.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import demo_seeders
from core.models import Union
from core.services.statutory import obligations_generate
from core.statutory import Obligation, ObligationStatus
from oversight import demo_upward  # noqa: F401 (registers the upward summaries' seeder, order 98)
from workflows.models import WorkItem, WorkItemState

DEMO_UNION_CODES = ["fin-office", "edu-office", "edu-exam", "fin-centre"]


@transaction.atomic
def seed_demo_oversight(*, write: Callable[[str], object] = print) -> None:
    this_year = timezone.localdate().year
    made = obligations_generate(fiscal_year=this_year - 1)
    write(f"  demo oversight: {this_year - 1} obligations generated: {made} new (late or missed when unmet)")

    unions = list(Union.objects.filter(code__in=DEMO_UNION_CODES))
    if not Obligation.objects.filter(status=ObligationStatus.RETURNED).exists():
        target = (
            Obligation.objects.filter(
                union__in=unions, fiscal_year=this_year, code="S1.2", met_on__isnull=True
            )
            .order_by("union_id")
            .first()
        )
        if target is not None:
            Obligation.objects.filter(pk=target.pk).update(status=ObligationStatus.RETURNED)
            write(f"  demo oversight: {target.union} S1.2 {this_year} shown as returned for correction")

    quick = WorkItem.objects.filter(
        state=WorkItemState.DONE,
        parent__isnull=True,
        union__in=unions,
        finished_at__lt=F("created_at") + datetime.timedelta(hours=1),
    ).order_by("id")
    moved = 0
    for item in quick:
        days = 1 + item.pk % 9
        created = item.finished_at - datetime.timedelta(days=days, hours=item.pk % 7)
        due = created + datetime.timedelta(days=days - 2) if item.pk % 3 == 0 else item.due_at
        WorkItem.objects.filter(pk=item.pk).update(created_at=created, due_at=due)
        moved += 1
    if moved:
        write(f"  demo oversight: {moved} completed steps given realistic durations (efficiency page)")


demo_seeders.register("oversight", seed_demo_oversight, order=90)
