"""S5.4 and S5.3: the members' pages open to a member in force and to nobody else; a member gets nothing
beyond them; leaving the union ends them the same day; every page refuses the users of another union."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from tests.factories import UserFactory, seated
from tests.memberpages.conftest import make_member
from tests.scenarios import at, travel
from workflows.memberpages import services

pytestmark = pytest.mark.django_db
MEMBER_PAGES = ("memberpages:home", "memberpages:opinions")


def _union_pages(union_pk: int, opinion_pk: int) -> list[tuple[str, str]]:
    return [
        ("GET", reverse("memberpages:invitations", args=[union_pk])),
        ("POST", reverse("memberpages:invitations", args=[union_pk])),
        ("GET", reverse("memberpages:union_opinions", args=[union_pk])),
        ("POST", reverse("memberpages:answer", args=[opinion_pk])),
        ("GET", reverse("memberpages:published", args=[union_pk])),
    ]


def test_S5_3_access_ends_the_day_the_member_leaves(cast, login):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    member = make_member(cast.union, person=UserFactory(), left_on=tomorrow)
    with travel(at(today.year, today.month, today.day, 23, 55)):
        client = login(member.person)
        for name in MEMBER_PAGES:
            assert client.get(reverse(name)).status_code == 200

    with travel(at(tomorrow.year, tomorrow.month, tomorrow.day, 0, 5)):
        # ten minutes later in the same session, the day the membership ends: every page refuses at once
        for name in MEMBER_PAGES:
            assert client.get(reverse(name)).status_code == 404
        refused = client.post(reverse("memberpages:opinions"), {"kind": "opinion", "text": "还能提意见吗"})
        assert refused.status_code == 404


def test_S5_4_member_without_a_seat_sees_only_the_members_pages(cast, login, budget_in_force):
    member = make_member(cast.union, person=UserFactory(full_name="普通会员"))
    opinion = services.opinion_send(member=member, kind="opinion", rating=None, text="建议")
    client = login(member.person)

    assert client.get(reverse("memberpages:home")).status_code == 200
    # the union's own pages check seats: a member holds none
    for url in (
        reverse("union_detail", args=[cast.union.pk]),
        reverse("budget:list", args=[cast.union.pk]),
        reverse("budget:detail", args=[budget_in_force.pk]),
        reverse("roster:roster", args=[cast.union.pk]),
        reverse("obligations", args=[cast.union.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for method, url in _union_pages(cast.union.pk, opinion.pk):
        assert getattr(client, method.lower())(url).status_code == 404, url
    assert cast.union.name not in client.get(reverse("union_list")).content.decode()


def test_S5_4_every_page_refuses_another_unions_people(cast, tree, login, supervisor_of):
    mine = make_member(cast.union, person=UserFactory())
    opinion = services.opinion_send(member=mine, kind="opinion", rating=None, text="甲工会会员的意见")
    theirs = make_member(tree["b1"], person=UserFactory())
    outsiders = [
        cast.outsider,
        supervisor_of(tree["dept_b"]),
        seated(tree["b1"], Role.OFFICE_STAFF),
        theirs.person,
    ]
    for person in outsiders:
        client = login(person)
        for method, url in _union_pages(cast.union.pk, opinion.pk):
            assert getattr(client, method.lower())(url).status_code == 404, (person, url)
    # another union's member reads their own union's pages, never a1's
    client = login(theirs.person)
    page = client.get(reverse("memberpages:home")).content.decode()
    assert tree["b1"].name in page and cast.union.name not in page
    assert "甲工会会员的意见" not in client.get(reverse("memberpages:opinions")).content.decode()
    # a seat holder who is no member has no members' pages
    assert login(cast.chair).get(reverse("memberpages:home")).status_code == 404
    # a1's representative sees the union but may not invite or answer; its published list is open to them
    client = login(cast.representatives[0])
    for method, url in _union_pages(cast.union.pk, opinion.pk)[:-1]:
        assert getattr(client, method.lower())(url).status_code == 403, url
    assert client.get(reverse("memberpages:published", args=[cast.union.pk])).status_code == 200
