"""The Model Workers' Home as the upper union sees it (S5.2): the titles held by the unions it oversees
(level, year, re-examination due) and the applications awaiting its own unions' review or evaluation.
Set-based: two queries whatever the number of unions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from oversight.selectors.scope import OversightScope
from workflows.modelhome.models import HomeApplication, HomeTitle
from workflows.modelhome.selectors import applications_awaiting, titles_in

# The tab lists at most this many titles; the counts cover them all.
HOME_ROWS = 200


@dataclass
class ModelHomeView:
    titles: list[HomeTitle]
    due: int
    awaiting: list[HomeApplication]


def model_home_of(
    scope: OversightScope, *, year: int, department_ids: list[int] | None = None
) -> ModelHomeView:
    """S5.2: the titles in the scope (those due for re-examination by ``year`` first) and what awaits the
    unions where the viewer sits (supervisor or chair seats)."""
    q = scope.union_q("union_id")
    if department_ids is not None:
        q &= Q(union_id__in=department_ids)
    titles = titles_in(q)
    own = [u.pk for u in scope.unions if u.supervisor_seat or u.chaired]
    return ModelHomeView(
        titles=titles,
        due=sum(1 for t in titles if t.reexamine_in <= year),
        awaiting=applications_awaiting(own),
    )
