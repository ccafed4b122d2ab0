"""S4.2's demo: a social worker's contract ending in 20 days at fin-office (180 members, no gap) and a
gap at fin (620 members, no full-time chair on its roster). Idempotent."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.demo import seed_demo
from core.models import Union
from workflows.roster import selectors
from workflows.roster.demo import seed_demo_roster
from workflows.roster.models import RosterEntry


@pytest.mark.django_db
def test_s4_2_demo_shows_a_gap_at_fin_and_a_contract_ending_soon():
    seed_demo()
    made = seed_demo_roster(write=None)

    assert len(made) == RosterEntry.objects.count() == 5
    assert seed_demo_roster(write=None) == [] and RosterEntry.objects.count() == 5
    fin, office = Union.objects.get(code="fin"), Union.objects.get(code="fin-office")
    assert set(selectors.staffing_gaps([fin.pk, office.pk])) == {fin.pk}
    ending = selectors.contracts_ending(30).get()
    assert ending.union == office
    assert ending.contract_end == timezone.localdate() + datetime.timedelta(days=20)
