"""Step specifications shared by the document flows: who acts, what status, how long (data).

A human node (``workflows.flowbase.human``) writes its work item from its ``onCreate`` hook, so the item is
written in the same transaction as the task. A step is due after its duration (data: StepDuration
rows over the flow's defaults), early enough that the rest of the chain fits before the deadline of the
obligation the document meets.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from core import refcache
from core.models import Body, BodyKind
from workflows.models import StepDuration


class Actor:
    DRAFTER = "drafter"
    RECIPIENT = "recipient"
    # A person the document kind names for the step (DocumentKind.step_holder): the finance officer
    # who checks an expenditure request, the chair who approves it, the member who countersigns.
    HOLDER = "holder"


# The upper union's supervisors sign for (签收) a report submitted to it: a work item of each of them
# outside the report's flow, closed when one of them acknowledges or returns the report.
SIGN_FOR_STEP = "sign_for"


@dataclass(frozen=True)
class StepSpec:
    name: str
    title: str
    actor: str  # Actor.DRAFTER, Actor.RECIPIENT or a BodyKind value
    status: str
    days: int
    description: str = ""  # what the step is, in the users' words (the flow diagram's caption)
    # a holder's step: the holder approves or returns it on the shared decision page (services.personal);
    # False: the holder acts on the document's own page (the finance officer records the payment)
    decides: bool = True

    @property
    def body_kind(self) -> str | None:
        return self.actor if self.actor in BodyKind.values else None


def steps_by_name(*specs: StepSpec) -> dict[str, StepSpec]:
    return {spec.name: spec for spec in specs}


def body_of(union, kind: str) -> Body:
    return Body.objects.get(union=union, kind=kind)


def _step_durations() -> dict[tuple[int | None, str], dict[str, int]]:
    """Every StepDuration row by (union or None, document type): a handful, kept in core.refcache."""
    result: dict[tuple[int | None, str], dict[str, int]] = {}
    for union_id, document_type, step, days in StepDuration.objects.values_list(
        "union_id", "document_type", "step", "days"
    ):
        result.setdefault((union_id, document_type), {})[step] = days
    return result


def step_days(*, union_id: int | None, document_type: str, steps: dict[str, StepSpec]) -> dict[str, int]:
    """Each step's duration in calendar days: the union's own StepDuration row, else the default row,
    else the flow's StepSpec (step_due and the deadline forecast, workflows.forecast)."""
    durations = refcache.cached("step-durations", _step_durations)
    days = {name: s.days for name, s in steps.items()}
    days.update(durations.get((None, document_type), {}))
    days.update(durations.get((union_id, document_type), {}))  # the union's own rows win
    return days


def step_durations_any_union(*, document_type: str) -> dict[str, int]:
    """The longest duration any StepDuration row gives each step of a document type (an upper bound)."""
    longest: dict[str, int] = {}
    for (_union_id, kind), rows in refcache.cached("step-durations", _step_durations).items():
        if kind == document_type:
            for step, days in rows.items():
                longest[step] = max(days, longest.get(step, 0))
    return longest


def step_due(
    *,
    spec: StepSpec,
    union,
    document_type: str,
    chain: list[str],
    steps: dict[str, StepSpec],
    deadline: datetime.date | None,
) -> datetime.datetime:
    """The step's due moment: its duration from now, but early enough that the remaining steps fit
    before the obligation's deadline. Durations are data (StepDuration rows) with the
    flow's defaults."""
    days = step_days(union_id=union.pk, document_type=document_type, steps=steps)
    due = timezone.now() + datetime.timedelta(days=days.get(spec.name, spec.days))
    if deadline is not None and spec.name in chain:
        later = chain[chain.index(spec.name) + 1 :]
        latest_day = deadline - datetime.timedelta(days=sum(days.get(step, 0) for step in later))
        latest = timezone.make_aware(
            datetime.datetime.combine(latest_day, datetime.time(23, 59, 59)), union.tz
        )
        due = min(due, latest)
    return due
