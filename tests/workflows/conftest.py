"""Fixtures for document flows: a grassroots union with every body seated, and a budget helper."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import Role, UnionKind
from tests.factories import UserFactory, give_seat, make_union
from workflows.budget.services import LineInput, Recipient, budget_create, budget_save_lines, budget_submit


class Cast:
    """People of union a1: drafter (office staff), chair, the three recorders, members, representatives."""

    def __init__(self, tree):
        a1 = tree["a1"]
        self.union = a1
        self.office = UserFactory(username="a1-office")
        give_seat(self.office, a1, Role.OFFICE_STAFF)
        self.chair = UserFactory(username="a1-chair")
        give_seat(self.chair, a1, Role.CHAIR, "union_committee")
        self.audit_director = UserFactory(username="a1-audit")
        give_seat(self.audit_director, a1, Role.DIRECTOR, "audit_committee")
        self.audit_members = [UserFactory(username=f"a1-audit{i}") for i in range(2)]
        for person in self.audit_members:
            give_seat(person, a1, Role.MEMBER, "audit_committee")
        self.party_secretary = UserFactory(username="a1-party")
        give_seat(self.party_secretary, a1, Role.SECRETARY, "party_organization")
        self.congress_chair = UserFactory(username="a1-congress-chair")
        give_seat(self.congress_chair, a1, Role.CHAIR, "congress")
        self.representatives = [UserFactory(username=f"a1-rep{i}") for i in range(5)]
        for person in self.representatives:
            give_seat(person, a1, Role.REPRESENTATIVE, "congress")
        # a union group below a1 answers through its leader
        self.group_leader = UserFactory(username="a1g-leader")
        give_seat(self.group_leader, tree["a1g"], Role.CHAIR)
        self.group = tree["a1g"]
        self.outsider = UserFactory(username="b1-chair")
        give_seat(self.outsider, tree["b1"], Role.CHAIR, "union_committee")

    @property
    def audit_committee(self):
        return [self.audit_director, *self.audit_members]

    @property
    def congress(self):
        return [self.congress_chair, *self.representatives]


@pytest.fixture
def cast(tree):
    return Cast(tree)


@pytest.fixture
def observer_below(cast):
    """The leader of a second union group below a1: may be copied on a1's documents (a union below
    it) and sees none of them otherwise (asked for no opinion)."""
    person = UserFactory(username="a1g2-leader")
    give_seat(person, make_union(UnionKind.GROUP, cast.union), Role.CHAIR)
    return person


BALANCED_LINES = [
    LineInput("401", Decimal("120000.00")),
    LineInput("402", Decimal("300000.00")),
    LineInput("50101", Decimal("150000.00")),
    LineInput("50102", Decimal("200000.00")),
    LineInput("50502", Decimal("60000.00")),
]


@pytest.fixture
def draft_budget(cast):
    def _make(year=2027, lines=BALANCED_LINES, carryover=Decimal("20000.00")):
        budget = budget_create(
            actor=cast.office, union=cast.union, year=year, carryover=carryover, carryover_is_estimate=True
        )
        budget_save_lines(
            actor=cast.office,
            budget=budget,
            lines=list(lines),
            carryover=carryover,
            carryover_is_estimate=True,
        )
        return budget

    return _make


@pytest.fixture
def submitted_budget(cast, draft_budget):
    def _make(recipients=None, **kwargs):
        budget = draft_budget(**kwargs)
        people = recipients or [Recipient(cast.group_leader, cast.group), Recipient(cast.representatives[0])]
        return budget_submit(
            actor=cast.office,
            budget=budget,
            recipients=people,
            due_at=timezone.now() + datetime.timedelta(days=7),
        )

    return _make
