"""Who sees what (issue 3): every role × every page, supervisors read-only, outsiders refused."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.models import Event, Role, Seat, UnionKind
from core.selectors import union_access, unions_visible_to
from core.services.seats import seat_end
from core.tasks import sync_seat_permissions
from tests.factories import GRASSROOTS_ROLES, UserFactory, give_seat, make_union

MANAGERS = {"chair", "office_staff"}


@pytest.fixture
def a1_cast(tree):
    """One person per grassroots role in union a1, plus a spare seat to end."""
    people = {}
    for name, body_kind, role in GRASSROOTS_ROLES:
        person = UserFactory(username=f"a1-{name}")
        give_seat(person, tree["a1"], role, body_kind)
        people[name] = person
    spare = UserFactory(username="a1-spare")
    people["spare_seat"] = give_seat(spare, tree["a1"], Role.MEMBER, "union_committee")
    return people


def pages(tree, seat):
    a1 = tree["a1"].pk
    return {
        "home": ("get", reverse("home")),
        "union_list": ("get", reverse("union_list")),
        "union_detail": ("get", reverse("union_detail", args=[a1])),
        "seat_add": ("get", reverse("seat_add", args=[a1])),
        "seat_end": ("post", reverse("seat_end", args=[seat.pk])),
        "notifications": ("get", reverse("notifications:list")),
    }


def fetch(client, method, url):
    if method == "post":
        # 结束任期 confirmed (core/confirm.py): a manager's POST ends the term and redirects
        return client.post(url, {"end_date": timezone.localdate().isoformat(), "confirm": "yes"})
    return client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("role_name", [r[0] for r in GRASSROOTS_ROLES])
def test_every_grassroots_role_on_every_page(role_name, tree, a1_cast, client):
    client.force_login(a1_cast[role_name])
    for page, (method, url) in pages(tree, a1_cast["spare_seat"]).items():
        response = fetch(client, method, url)
        if page == "seat_add":
            expected = 200 if role_name in MANAGERS else 403
        elif page == "seat_end":
            expected = 302 if role_name in MANAGERS else 403
        else:
            expected = 200
        assert response.status_code == expected, (role_name, page, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("level", ["dept_a", "prov"])
def test_supervisor_above_sees_read_only(level, tree, a1_cast, supervisor_of, client):
    supervisor = supervisor_of(tree[level])
    client.force_login(supervisor)
    urls = pages(tree, a1_cast["spare_seat"])
    detail = client.get(urls["union_detail"][1])
    assert detail.status_code == 200
    assert b'data-testid="add-seat"' not in detail.content
    assert a1_cast["chair"].full_name in detail.content.decode()
    assert client.get(urls["seat_add"][1]).status_code == 403
    assert fetch(client, "post", urls["seat_end"][1]).status_code == 403
    assert Seat.objects.get(pk=a1_cast["spare_seat"].pk).end_date is None
    listed = client.get(urls["union_list"][1]).content.decode()
    assert tree["a1"].name in listed


@pytest.mark.django_db
def test_supervisor_of_other_department_is_an_outsider(tree, a1_cast, supervisor_of, client):
    client.force_login(supervisor_of(tree["dept_b"]))
    urls = pages(tree, a1_cast["spare_seat"])
    for page in ("union_detail", "seat_add", "seat_end"):
        method, url = urls[page]
        assert fetch(client, method, url).status_code == 404, page
    assert tree["a1"].name not in client.get(urls["union_list"][1]).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["other_union_chair", "no_seat", "union_group_leader"])
def test_outsider_is_refused_every_union_page_and_it_is_logged(kind, tree, a1_cast, client):
    outsider = UserFactory()
    if kind == "other_union_chair":
        give_seat(outsider, tree["b1"], Role.CHAIR, "union_committee")
    elif kind == "union_group_leader":
        # the leader of a group below a1 is not an officer of a1
        give_seat(outsider, tree["a1g"], Role.CHAIR)
    client.force_login(outsider)
    urls = pages(tree, a1_cast["spare_seat"])
    for page in ("union_detail", "seat_add", "seat_end"):
        method, url = urls[page]
        response = fetch(client, method, url)
        assert response.status_code == 404, (kind, page)
        assert a1_cast["chair"].full_name not in response.content.decode()
    assert Event.objects.filter(verb="access_denied", actor=outsider, union=tree["a1"]).count() == 3
    assert Seat.objects.get(pk=a1_cast["spare_seat"].pk).end_date is None


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(tree, a1_cast, client):
    for page, (method, url) in pages(tree, a1_cast["spare_seat"]).items():
        response = fetch(client, method, url)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_participants_are_not_officers(tree, a1_cast):
    """S2.2/S3.3 participants (representatives, Party members) see only what is put before them."""
    for name in ("representative", "party_member", "party_secretary"):
        access = union_access(user=a1_cast[name], union=tree["a1"])
        assert access.can_view and not access.is_officer and not access.can_draft, name
    for name in ("chair", "audit_director", "women_director", "office_staff", "finance_officer"):
        assert union_access(user=a1_cast[name], union=tree["a1"]).is_officer, name


@pytest.mark.django_db
def test_visible_unions_one_query_whatever_the_tree_size(tree, supervisor_of, django_assert_num_queries):
    supervisor = supervisor_of(tree["prov"])
    with django_assert_num_queries(1):
        small = set(unions_visible_to(user=supervisor).values_list("id", flat=True))
    for _ in range(40):
        make_union(UnionKind.GRASSROOTS, tree["dept_b"])
    with django_assert_num_queries(1):
        large = set(unions_visible_to(user=supervisor).values_list("id", flat=True))
    # everything below, plus the provincial union itself, where the supervisor holds the seat
    assert len(small) == 7 and len(large) == 47


@pytest.mark.django_db
def test_union_access_is_one_query(tree, a1_cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        union_access(user=a1_cast["chair"], union=tree["a1"])


@pytest.mark.django_db
def test_union_list_query_count_is_constant(tree, supervisor_of, client, django_assert_max_num_queries):
    supervisor = supervisor_of(tree["prov"])
    client.force_login(supervisor)
    client.get(reverse("home"))  # the first request stamps the idle-timeout clock into the session
    with django_assert_max_num_queries(8):
        assert client.get(reverse("union_list")).status_code == 200
    for _ in range(60):
        make_union(UnionKind.GRASSROOTS, tree["dept_b"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("union_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 67


@pytest.mark.django_db
def test_ending_a_term_revokes_access_at_once(tree, a1_cast, client):
    chair = a1_cast["chair"]
    client.force_login(chair)
    assert client.get(reverse("union_detail", args=[tree["a1"].pk])).status_code == 200
    seat = Seat.objects.get(person=chair, union=tree["a1"])
    seat_end(actor=None, seat=seat, end_date=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(reverse("union_detail", args=[tree["a1"].pk])).status_code == 404
    assert not unions_visible_to(user=chair).exists()


@pytest.mark.django_db
def test_term_ending_tonight_is_revoked_by_the_nightly_job(tree):
    today = timezone.localdate()
    member = UserFactory()
    give_seat(member, tree["a1"], Role.MEMBER, "union_committee", end=today)
    assert union_access(user=member, union=tree["a1"]).is_officer
    with time_machine.travel(
        datetime.datetime.combine(
            today + datetime.timedelta(days=1), datetime.time(0, 5), tzinfo=timezone.get_current_timezone()
        )
    ):
        assert sync_seat_permissions() >= 1
        assert not union_access(user=member, union=tree["a1"]).can_view


@pytest.mark.django_db
def test_term_starting_tomorrow_is_granted_by_the_nightly_job(tree):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    member = UserFactory()
    give_seat(member, tree["a1"], Role.MEMBER, "audit_committee", start=tomorrow)
    assert not union_access(user=member, union=tree["a1"]).can_view
    with time_machine.travel(
        datetime.datetime.combine(tomorrow, datetime.time(0, 5), tzinfo=timezone.get_current_timezone())
    ):
        sync_seat_permissions()
        assert union_access(user=member, union=tree["a1"]).is_officer


@pytest.mark.django_db
def test_deactivated_person_loses_every_grant(tree, a1_cast):
    chair = a1_cast["chair"]
    chair.is_active = False
    chair.save()
    assert not union_access(user=chair, union=tree["a1"]).can_view


@pytest.mark.django_db
def test_no_model_level_grant_is_ever_made(tree, a1_cast):
    """A model-level step permission would let a user act in every union (viewflow trap)."""
    from django.contrib.auth.models import Permission

    for person in a1_cast.values():
        user = person.person if isinstance(person, Seat) else person
        assert not user.user_permissions.exists()
        assert not user.has_perm("core.view_union_documents")
    assert Permission.objects.filter(user__isnull=False).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["a1 chair", "supervisor of dept_a"])
def test_union_page_links_only_the_child_unions_the_viewer_may_open(
    viewer, tree, a1_cast, supervisor_of, client
):
    """a1's union group (a1g) is listed on a1's page; its name links only for whoever may open it: the
    officers of a1 and the supervisors above (issue 25)."""
    person = a1_cast["chair"] if viewer == "a1 chair" else supervisor_of(tree["dept_a"])
    client.force_login(person)
    page = client.get(reverse("union_detail", args=[tree["a1"].pk])).content.decode()
    group = tree["a1g"]
    assert group.name in page
    opens = client.get(reverse("union_detail", args=[group.pk])).status_code == 200
    linked = f'href="{reverse("union_detail", args=[group.pk])}"' in page
    assert linked == opens
    assert opens
