"""S4.4's demo: at fin-office five contacts in every state (contacted this period with an opinion carried
into next year's plan, overdue, a follow-up past due, a worker in difficulty kept monthly, due again) and a
named reader. Idempotent."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.demo import seed_demo
from core.models import Union, User
from workflows.contacts import selectors
from workflows.contacts.demo import seed_demo_contacts
from workflows.contacts.models import Contact, DifficultyViewer
from workflows.contacts.selectors import Status


@pytest.mark.django_db
def test_S4_4_demo_shows_contacts_in_every_state():
    seed_demo()
    made = seed_demo_contacts(write=None)

    assert len(made) == Contact.objects.count() == 5
    assert seed_demo_contacts(write=None) == [] and Contact.objects.count() == 5
    office = Union.objects.get(code="fin-office")
    counts = selectors.coverage_counts([office.pk])[office.pk]
    assert (counts.due, counts.contacted, counts.overdue, counts.follow_ups_late) == (5, 2, 2, 1)
    states = {}
    for suffix in ("committee1", "committee2", "women", "audit"):
        for contact in selectors.my_contacts(User.objects.get(username=f"fin-office-{suffix}")):
            states[contact.display_name] = contact.state
    assert states["预算处工会小组"].status == Status.CONTACTED
    assert states["李建国"].status == Status.OVERDUE
    assert states["王晓明"].follow_up_late and states["王晓明"].status == Status.DUE
    assert states["赵秀英"].status == Status.CONTACTED and states["赵秀英"].months == 1
    assert states["陈志强"].status == Status.DUE
    year = timezone.localdate().year + 1
    opinions = selectors.opinions_for_plan(office, year)
    assert [o.raised for o in opinions] == ["希望增加职工书屋藏书，开展读书分享活动。"]
    assert DifficultyViewer.objects.get().person.username == "fin-office-vicechair"
