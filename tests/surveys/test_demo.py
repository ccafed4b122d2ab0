"""S5.2 demo: at fin-office, last year's survey closed with its reply on the members' page and this year's
open with about 60 % answered; nothing without members; idempotent."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from core.demo import seed_demo
from core.models import Union
from tests.factories import UserFactory
from workflows.members.models import Member
from workflows.surveys.demo import seed_demo_surveys
from workflows.surveys.models import SurveyCycle
from workflows.surveys.selectors import latest_survey_outcome, results_of

pytestmark = pytest.mark.django_db


def test_S5_2_demo_has_an_open_survey_with_answers_and_last_years_reply(client):
    seed_demo()
    office = Union.objects.get(code="fin-office")
    assert seed_demo_surveys(write=None) == []  # no members in the register: nothing
    for n in range(10):
        Member.objects.create(
            union=office, name=f"会员{n}", member_number=f"FO{n:04d}", joined_on=datetime.date(2021, 1, 1)
        )

    lines = seed_demo_surveys(write=None)

    assert "/survey/" in lines[1]
    last, current = SurveyCycle.objects.filter(union=office).order_by("opens_on")
    assert last.status == "closed" and last.reply_published_on and current.status == "open"
    outcome = results_of(current).outcome
    assert (outcome.issued, outcome.answered) == (10, 6) and outcome.satisfaction_pct is not None
    assert latest_survey_outcome(office.pk).cycle_id == last.pk
    assert seed_demo_surveys(write=None) == []  # idempotent
    assert SurveyCycle.objects.filter(union=office).count() == 2
    # the reply and the results are on the members' page
    member = Member.objects.get(member_number="FO0000")
    member.person = UserFactory()
    member.save(update_fields=["person"])
    client.force_login(member.person)
    page = client.get(reverse("memberpages:home")).content.decode()
    assert 'data-testid="published-survey"' in page and last.reply[:10] in page
