"""Managing seats through the union page: bad input gets a clear message and loses nothing. The person
is picked by name, pinyin or initials among the people of the union's tree (issue 25), never an
outsider, and no username is shown."""

import datetime
import re

import pytest
from django.urls import reverse

from core import errors
from core.forms import SEAT_PERSON_OUTSIDE
from core.models import Body, Event, Role, Seat
from tests.factories import UserFactory, give_seat, seated
from tests.pages import content, shown


@pytest.fixture
def chair(tree):
    user = UserFactory()
    give_seat(user, tree["a1"], Role.CHAIR, "union_committee")
    return user


@pytest.fixture
def newcomer(tree):
    """钱新来, registered with a1 as home union, no seat yet."""
    return UserFactory(username="newcomer", full_name="钱新来", home_union=tree["a1"])


@pytest.fixture
def stranger(tree):
    """钱华, chair of b1 (another department): never offered to a1's seat form, nor taken by it."""
    return seated(tree["b1"], Role.CHAIR, "union_committee", username="b1-qian", full_name="钱华")


def offered(response) -> set[int]:
    return {int(v) for v in re.findall(r'type="radio" name="person" value="(\d+)"', content(response))}


def seat_search(client, union, q: str = ""):
    return client.get(
        reverse("people_search"), {"for": "seat", "ref": str(union.pk), "name": "person", "person_q": q}
    )


@pytest.mark.django_db
def test_chair_adds_a_seat_and_the_person_gains_access(tree, chair, newcomer, client):
    client.force_login(chair)
    body = Body.objects.get(union=tree["a1"], kind="audit_committee")
    response = client.post(
        reverse("seat_add", args=[tree["a1"].pk]),
        {"person": newcomer.pk, "body": body.pk, "role": Role.MEMBER, "start_date": "2026-01-01"},
    )
    assert response.status_code == 302
    seat = Seat.objects.get(person=newcomer)
    assert seat.body == body
    assert Event.objects.filter(verb="seat_created", subject_id=str(seat.pk), actor=chair).exists()
    client.force_login(newcomer)
    assert client.get(reverse("union_detail", args=[tree["a1"].pk])).status_code == 200


@pytest.mark.django_db
def test_seat_ending_before_it_starts_is_refused_and_input_kept(tree, chair, newcomer, client):
    client.force_login(chair)
    body = Body.objects.get(union=tree["a1"], kind="audit_committee")
    response = client.post(
        reverse("seat_add", args=[tree["a1"].pk]),
        {
            "person": newcomer.pk,
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
    # the person chosen stays chosen, by name; the rest as typed
    assert f'value="{newcomer.pk}" checked' in html and "钱新来" in html and "newcomer" not in html
    assert 'value="换届补选"' in html and 'value="2026-05-01"' in html
    assert not Seat.objects.filter(person=newcomer).exists()


@pytest.mark.django_db
def test_seat_outside_the_body_term_is_refused(tree, chair, newcomer, client):
    body = Body.objects.get(union=tree["a1"], kind="union_committee")
    body.term_start, body.term_end = datetime.date(2024, 1, 1), datetime.date(2028, 12, 31)
    body.save()
    client.force_login(chair)
    response = client.post(
        reverse("seat_add", args=[tree["a1"].pk]),
        {
            "person": newcomer.pk,
            "body": body.pk,
            "role": Role.MEMBER,
            "start_date": "2027-01-01",
            "end_date": "2030-01-01",
        },
    )
    assert response.status_code == 400
    assert "超出了该机构的任期" in response.content.decode()


@pytest.mark.django_db
def test_unknown_person_and_role_in_wrong_body_are_refused(tree, chair, newcomer, client):
    client.force_login(chair)
    party = Body.objects.get(union=tree["a1"], kind="party_organization")
    data = {"body": party.pk, "role": Role.REPRESENTATIVE, "start_date": "2026-01-01"}
    response = client.post(reverse("seat_add", args=[tree["a1"].pk]), {**data, "person_q": "nobody"})
    assert response.status_code == 400
    assert "没有与“nobody”相符的可选人员" in response.content.decode()
    response = client.post(reverse("seat_add", args=[tree["a1"].pk]), {**data, "person": newcomer.pk})
    assert response.status_code == 400
    assert "同级党组织不设会员代表职务" in response.content.decode()


@pytest.mark.django_db
def test_body_of_another_union_cannot_be_posted(tree, chair, newcomer, client):
    foreign_body = Body.objects.get(union=tree["b1"], kind="audit_committee")
    client.force_login(chair)
    response = client.post(
        reverse("seat_add", args=[tree["a1"].pk]),
        {"person": newcomer.pk, "body": foreign_body.pk, "role": Role.MEMBER, "start_date": "2026-01-01"},
    )
    assert response.status_code == 400
    assert not Seat.objects.filter(person=newcomer).exists()


@pytest.mark.django_db
def test_script_in_a_note_is_escaped(tree, chair, client):
    newcomer = UserFactory(username="newcomer", full_name="<script>alert(1)</script>")
    give_seat(newcomer, tree["a1"], Role.MEMBER, "women_committee")
    client.force_login(chair)
    html = client.get(reverse("union_detail", args=[tree["a1"].pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- the person: picked among the union's tree, never an outsider (issue 25) ---------------------------


@pytest.mark.django_db
def test_an_outsider_is_refused_in_chinese_and_nothing_entered_is_lost(
    tree, chair, newcomer, stranger, client
):
    client.force_login(chair)
    url = reverse("seat_add", args=[tree["a1"].pk])
    body = Body.objects.get(union=tree["a1"], kind="audit_committee")
    data = {"body": body.pk, "role": Role.MEMBER, "start_date": "2026-05-01", "note": "换届<补选>"}
    # a forged (or stale) choice: b1's chair posted by id
    response = client.post(url, {**data, "person": stranger.pk})
    assert response.status_code == 400
    html = content(response)
    assert shown(SEAT_PERSON_OUTSIDE) in html and "只能为本工会及其下级工会的人员任职" in html
    assert 'value="换届&lt;补选&gt;"' in html and 'value="2026-05-01"' in html
    assert f'<option value="{body.pk}" selected>' in html
    assert "钱华" not in html and "b1-qian" not in html  # a forged id does not reveal who it is
    assert Event.objects.filter(verb="action_refused", actor=chair, union=tree["a1"]).exists()
    # typed by name without script: nobody of a1's tree is called so
    response = client.post(url, {**data, "person_q": "钱华"})
    assert response.status_code == 400
    assert shown(errors.PERSON_NO_MATCH, value="钱华") in content(response)
    assert not Seat.objects.filter(person=stranger, union=tree["a1"]).exists()
    # the initials typed without script take the one person of the tree they name
    response = client.post(url, {**data, "person_q": "qxl"})
    assert response.status_code == 302
    assert Seat.objects.get(union=tree["a1"], body=body).person == newcomer


@pytest.mark.django_db
def test_the_seat_picker_searches_the_union_tree_only(
    tree, chair, newcomer, stranger, client, django_assert_max_num_queries
):
    leader = seated(tree["a1g"], Role.CHAIR, username="a1g-qian", full_name="钱组长")  # the group below a1
    client.force_login(chair)
    seat_search(client, tree["a1"])  # the session's first request reads its caches
    with django_assert_max_num_queries(8):
        response = seat_search(client, tree["a1"], "qian")
    assert response.status_code == 200 and offered(response) == {newcomer.pk, leader.pk}
    html = content(response)
    assert "钱新来" in html and tree["a1"].name in html and "newcomer" not in html and "a1g-qian" not in html
    assert offered(seat_search(client, tree["a1"], "qxl")) == {newcomer.pk}
    assert offered(seat_search(client, tree["a1"], "钱")) == {newcomer.pk, leader.pk}
    assert "data-person-picker" in content(client.get(reverse("seat_add", args=[tree["a1"].pk])))
    # a department's office staff appoints among the whole department: a1 and its group, not b1
    client.force_login(seated(tree["dept_a"], Role.OFFICE_STAFF))
    assert offered(seat_search(client, tree["dept_a"], "qian")) == {newcomer.pk, leader.pk}
    # b1's chair may not search a1's people; an a1 member who may not manage seats may not either
    client.force_login(stranger)
    assert seat_search(client, tree["a1"], "qian").status_code == 404
    assert Event.objects.filter(verb="access_denied", actor=stranger, union=tree["a1"]).exists()
    assert seat_search(client, tree["b1"], "qian").status_code == 200  # b1's own tree: 钱华 only
    assert offered(seat_search(client, tree["b1"], "qian")) == {stranger.pk}
    client.force_login(seated(tree["a1"], Role.REPRESENTATIVE, "congress"))
    assert seat_search(client, tree["a1"], "qian").status_code == 403
    client.force_login(chair)
    for ref in ("x", "", "9" * 30):
        response = client.get(reverse("people_search"), {"for": "seat", "ref": ref, "name": "person"})
        assert response.status_code == 404, ref


# --- no username on screen -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_without_a_name_shows_no_username_on_the_union_page(tree, chair, client):
    nameless = seated(
        tree["a1"],
        Role.MEMBER,
        "women_committee",
        username="a1-nameless",
        full_name="",
        email="wu.ming@example.org",
    )
    assert str(nameless) == "（未登记姓名）"  # the default language, as the page shows it
    client.force_login(chair)
    html = content(client.get(reverse("union_detail", args=[tree["a1"].pk])))
    assert "（未登记姓名）" in html
    assert "a1-nameless" not in html and "wu.ming" not in html
    # nor anywhere on the page: no person's username at all
    usernames = [nameless.username, chair.username]
    assert not [u for u in usernames if re.search(rf"(?<![\w-]){re.escape(u)}(?![\w-])", html)]
    # the seat form picks them by what the page shows, and the end-of-term question names them so
    response = client.get(reverse("people_search"), {"for": "seat", "ref": tree["a1"].pk, "name": "person"})
    assert nameless.pk in offered(response) and "a1-nameless" not in content(response)
    seat = Seat.objects.get(person=nameless)
    question = content(client.post(reverse("seat_end", args=[seat.pk]), {"end_date": "2026-12-31"}))
    assert "（未登记姓名）" in question and "a1-nameless" not in question
