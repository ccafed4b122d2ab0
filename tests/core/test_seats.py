"""Managing seats through the union page: bad input gets a clear message and loses nothing."""

import datetime

import pytest
from django.urls import reverse

from core.models import Body, Event, Role, Seat
from tests.factories import UserFactory, give_seat


@pytest.fixture
def chair(tree):
    user = UserFactory()
    give_seat(user, tree["a1"], Role.CHAIR, "union_committee")
    return user


@pytest.mark.django_db
def test_chair_adds_a_seat_and_the_person_gains_access(tree, chair, client):
    newcomer = UserFactory(username="newcomer")
    client.force_login(chair)
    body = Body.objects.get(union=tree["a1"], kind="audit_committee")
    response = client.post(
        reverse("seat_add", args=[tree["a1"].pk]),
        {"person": "newcomer", "body": body.pk, "role": Role.MEMBER, "start_date": "2026-01-01"},
    )
    assert response.status_code == 302
    seat = Seat.objects.get(person=newcomer)
    assert seat.body == body
    assert Event.objects.filter(verb="seat_created", subject_id=str(seat.pk), actor=chair).exists()
    client.force_login(newcomer)
    assert client.get(reverse("union_detail", args=[tree["a1"].pk])).status_code == 200


@pytest.mark.django_db
def test_seat_ending_before_it_starts_is_refused_and_input_kept(tree, chair, client):
    UserFactory(username="newcomer")
    client.force_login(chair)
    body = Body.objects.get(union=tree["a1"], kind="audit_committee")
    response = client.post(
        reverse("seat_add", args=[tree["a1"].pk]),
        {
            "person": "newcomer",
            "body": body.pk,
            "role": Role.MEMBER,
            "start_date": "2026-05-01",
            "end_date": "2026-04-01",
            "note": "换届补选",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "任职结束日期不得早于开始日期" in html
    assert 'value="newcomer"' in html and 'value="换届补选"' in html and 'value="2026-05-01"' in html
    assert not Seat.objects.filter(person__username="newcomer").exists()


@pytest.mark.django_db
def test_seat_outside_the_body_term_is_refused(tree, chair, client):
    UserFactory(username="newcomer")
    body = Body.objects.get(union=tree["a1"], kind="union_committee")
    body.term_start, body.term_end = datetime.date(2024, 1, 1), datetime.date(2028, 12, 31)
    body.save()
    client.force_login(chair)
    response = client.post(
        reverse("seat_add", args=[tree["a1"].pk]),
        {
            "person": "newcomer",
            "body": body.pk,
            "role": Role.MEMBER,
            "start_date": "2027-01-01",
            "end_date": "2030-01-01",
        },
    )
    assert response.status_code == 400
    assert "超出了该机构的任期" in response.content.decode()


@pytest.mark.django_db
def test_unknown_person_and_role_in_wrong_body_are_refused(tree, chair, client):
    client.force_login(chair)
    party = Body.objects.get(union=tree["a1"], kind="party_organization")
    response = client.post(
        reverse("seat_add", args=[tree["a1"].pk]),
        {"person": "nobody-here", "body": party.pk, "role": Role.REPRESENTATIVE, "start_date": "2026-01-01"},
    )
    assert response.status_code == 400
    assert "不存在用户名为“nobody-here”的启用人员" in response.content.decode()
    UserFactory(username="newcomer")
    response = client.post(
        reverse("seat_add", args=[tree["a1"].pk]),
        {"person": "newcomer", "body": party.pk, "role": Role.REPRESENTATIVE, "start_date": "2026-01-01"},
    )
    assert response.status_code == 400
    assert "同级党组织不设会员代表职务" in response.content.decode()


@pytest.mark.django_db
def test_body_of_another_union_cannot_be_posted(tree, chair, client):
    UserFactory(username="newcomer")
    foreign_body = Body.objects.get(union=tree["b1"], kind="audit_committee")
    client.force_login(chair)
    response = client.post(
        reverse("seat_add", args=[tree["a1"].pk]),
        {"person": "newcomer", "body": foreign_body.pk, "role": Role.MEMBER, "start_date": "2026-01-01"},
    )
    assert response.status_code == 400
    assert not Seat.objects.filter(person__username="newcomer").exists()


@pytest.mark.django_db
def test_script_in_a_note_is_escaped(tree, chair, client):
    newcomer = UserFactory(username="newcomer", full_name="<script>alert(1)</script>")
    give_seat(newcomer, tree["a1"], Role.MEMBER, "women_committee")
    client.force_login(chair)
    html = client.get(reverse("union_detail", args=[tree["a1"].pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
